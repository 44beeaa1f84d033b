package dev.junction.admin.alerts;

import dev.junction.config.AlertsConfig;
import dev.junction.core.Clock;
import dev.junction.relay.RetryAfter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts notices to the webhooks (the config file's, then the admin API's, read from the database at
 * each notice, so a webhook made through any instance is used by every instance at once) in the
 * background, never on a request's path. Each webhook has its own lane: its notices go out in the
 * order they were raised (a recovery never overtakes its firing), and a slow or dead receiver holds
 * up only its own. Each attempt has the webhook's timeout; a failed one (no answer, or not 2xx) is
 * retried up to the webhook's {@code retries} times, waiting as {@link RetrySchedule} says (doubling
 * from the webhook's {@code backoff}, capped, a 429's or 503's {@code Retry-After} honoured within
 * the cap) through the injected {@link Pause}. A lane holds at most {@value #LANE} notices: past
 * that the oldest waiting one is dropped, counted ({@link #dropped()}) and logged; the dashboard
 * still has it. A webhook URL is a secret (tokens sit in its path or query), as are its headers:
 * logs name the webhook and its origin only.
 */
public final class Webhooks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
    /** Notices one webhook's lane holds while it delivers or waits to retry one. */
    static final int LANE = 100;

    /** Waits between attempts; injected so that tests see the waits instead of sleeping them. */
    @FunctionalInterface
    public interface Pause {

        /** Really waits. */
        Pause SLEEP = Thread::sleep;

        void pause(Duration wait) throws InterruptedException;
    }

    private record Delivery(Hook hook, byte[] body, String what) {
    }

    /**
     * What one attempt came to: delivered (a 2xx answer), or the problem (a status or an error's
     * type), with the receiver's {@code Retry-After} when it answered 429 or 503 with one.
     */
    public record Attempt(boolean delivered, int status, String problem, Optional<Duration> retryAfter) {

        public Attempt {
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }

    /** One webhook's notices waiting, and the thread sending them (null when idle). Guarded by the Webhooks. */
    private static final class Lane {
        final ArrayDeque<Delivery> waiting = new ArrayDeque<>();
        Thread worker;
    }

    private final List<Hook> file;
    private final Supplier<List<Hook>> stored;
    private final Clock clock;
    private final Pause pause;
    /** The lanes with notices to send, by webhook; a lane goes when it is empty. Guarded by this. */
    private final Map<String, Lane> lanes = new HashMap<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private HttpClient http;
    private boolean closed;

    private Webhooks(List<Hook> file, Supplier<List<Hook>> stored, Clock clock, Pause pause) {
        this.file = List.copyOf(file);
        this.stored = stored;
        this.clock = clock;
        this.pause = pause;
    }

    /**
     * The sender for the file's {@code hooks} and the admin API's {@code stored} ones, waiting
     * between attempts with {@code pause} and reading a {@code Retry-After} date on {@code clock};
     * its threads and HTTP client start with the first notice to send.
     */
    public static Webhooks start(List<AlertsConfig.Webhook> hooks, Supplier<List<Hook>> stored, Clock clock,
            Pause pause) {
        return new Webhooks(Objects.requireNonNull(hooks, "hooks").stream().map(Hook::of).toList(),
                Objects.requireNonNull(stored, "stored"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(pause, "pause"));
    }

    /** As above, really waiting, on the system clock. */
    public static Webhooks start(List<AlertsConfig.Webhook> hooks, Supplier<List<Hook>> stored) {
        return start(hooks, stored, Clock.system(), Pause.SLEEP);
    }

    /** The file's webhooks only (tests, tools). */
    public static Webhooks start(List<AlertsConfig.Webhook> hooks) {
        return start(hooks, List::of);
    }

    /** The webhooks: the file's (read-only), then the admin API's; a file webhook wins on a name. */
    public List<Hook> hooks() {
        Map<String, Hook> all = new LinkedHashMap<>();
        file.forEach(h -> all.put(h.name(), h));
        for (Hook h : stored.get()) {
            all.putIfAbsent(h.name(), h);
        }
        return List.copyOf(all.values());
    }

    /** Queues {@code notice} for every enabled webhook whose {@code min_tier} it reaches; returns at once. */
    public void send(Notice notice) {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        List<Hook> hooks;
        try {
            hooks = hooks();
        } catch (RuntimeException e) {
            LOG.warn("alert webhooks could not be read ({}); only the config file's are sent", e.toString());
            hooks = file;
        }
        for (Hook hook : hooks) {
            if (!hook.enabled() || !notice.tier().atLeast(hook.minTier())) {
                continue;
            }
            enqueue(new Delivery(hook, Payloads.body(hook.format(), notice),
                    notice.event().wire() + " of alert " + notice.alert().id()));
        }
    }

    /** Adds a delivery to its webhook's lane (dropping the lane's oldest when full) and starts the lane. */
    private void enqueue(Delivery delivery) {
        Hook hook = delivery.hook();
        String key = hook.source() + ":" + hook.name();
        Delivery lost = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            Lane lane = lanes.computeIfAbsent(key, k -> new Lane());
            if (lane.waiting.size() >= LANE) {
                lost = lane.waiting.pollFirst();
            }
            lane.waiting.addLast(delivery);
            if (lane.worker == null) {
                lane.worker = Thread.ofVirtual().name("alert-webhook-" + hook.name()).start(() -> run(key, lane));
            }
        }
        if (lost != null) {
            long total = dropped.incrementAndGet();
            LOG.warn("alert webhook {} ({}): {} notices waiting, the oldest ({}) dropped ({} dropped so far)",
                    hook.name(), hook.origin(), LANE, lost.what(), total);
        }
    }

    /** Sends {@code notice} to {@code hook} once, now, on the caller's thread (the API's test button). */
    public Attempt test(Hook hook, Notice notice) throws InterruptedException {
        return attempt(hook, Payloads.body(hook.format(), notice));
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return http;
    }

    /** Notices delivered (a 2xx answer). */
    public long delivered() {
        return delivered.get();
    }

    /** Notices given up on after every retry. */
    public long failed() {
        return failed.get();
    }

    /** Notices dropped unsent because their webhook's lane was full. */
    public long dropped() {
        return dropped.get();
    }

    /** {@code scheme://host[:port]}: what of a webhook URL may be logged or shown. */
    public static String origin(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
    }

    /** Sends a lane's notices in order until it is empty (the lane then goes) or the sender is interrupted. */
    private void run(String key, Lane lane) {
        while (true) {
            Delivery next;
            synchronized (this) {
                next = lane.waiting.pollFirst();
                if (next == null) {
                    lane.worker = null;
                    lanes.remove(key, lane);
                    notifyAll();
                    return;
                }
            }
            if (!deliver(next)) {
                return;
            }
        }
    }

    /** Delivers with retries; false when interrupted (closing). */
    private boolean deliver(Delivery d) {
        Hook hook = d.hook();
        RetrySchedule schedule = new RetrySchedule(hook.backoff());
        for (int attempt = 1; ; attempt++) {
            Attempt tried;
            try {
                tried = attempt(hook, d.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (tried.delivered()) {
                delivered.incrementAndGet();
                return true;
            }
            if (attempt > hook.retries()) {
                LOG.warn("alert webhook {} ({}) {} for {}; gave up after {} attempts", hook.name(), hook.origin(),
                        tried.problem(), d.what(), attempt);
                failed.incrementAndGet();
                return true;
            }
            Duration wait = schedule.before(attempt, tried.retryAfter());
            LOG.info("alert webhook {} ({}) {} for {}; retrying in {} ms", hook.name(), hook.origin(),
                    tried.problem(), d.what(), wait.toMillis());
            try {
                pause.pause(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** One POST of {@code body} to {@code hook}. */
    private Attempt attempt(Hook hook, byte[] body) throws InterruptedException {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(hook.url()).timeout(hook.timeout())
                    .header("Content-Type", "application/json").header("User-Agent", "Junction-Alerts");
            hook.headers().forEach(request::header);
            HttpResponse<Void> response = http().send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status / 100 == 2) {
                return new Attempt(true, status, "", Optional.empty());
            }
            Optional<Duration> retryAfter = status == 429 || status == 503
                    ? response.headers().firstValue("Retry-After")
                            .flatMap(value -> RetryAfter.parse(null, value, clock.now()))
                    : Optional.empty();
            return new Attempt(false, status, "answered " + status, retryAfter);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // The exception's message may quote the URL; only its type is told.
            return new Attempt(false, 0, e.getClass().getSimpleName(), Optional.empty());
        }
    }

    /** Waits until every queued notice has been tried, retries included (tests; stop). */
    public void drain(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        synchronized (this) {
            while (!lanes.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    /** Stops taking notices, gives the queued ones a few seconds, then stops the threads. */
    @Override
    public void close() {
        List<Thread> running = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (Lane lane : lanes.values()) {
                if (lane.worker != null) {
                    running.add(lane.worker);
                }
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (Thread thread : running) {
            try {
                thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread.interrupt();
        }
        synchronized (this) {
            if (http != null) {
                http.close();
            }
        }
    }
}
