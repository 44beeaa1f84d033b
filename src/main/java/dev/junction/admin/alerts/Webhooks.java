package dev.junction.admin.alerts;

import dev.junction.config.AlertsConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts notices to the webhooks (the config file's, then the admin API's, read from the database at
 * each notice, so a webhook made through any instance is used by every instance at once) from one
 * background thread, in the order they were raised (a recovery never overtakes its firing), never
 * on a request's path. Each attempt has the webhook's timeout; a failed one (no answer, or not 2xx)
 * is retried with doubling back-off up to the webhook's {@code retries}. A full queue drops the
 * notice with a warning; the dashboard still has it. A webhook URL is a secret (tokens sit in its
 * path or query), as are its headers: logs name the webhook and its origin only.
 */
public final class Webhooks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
    private static final int QUEUE = 1_000;

    private record Delivery(Hook hook, byte[] body, String what) {
    }

    /** What one attempt came to: delivered (a 2xx answer), or the problem (a status or an error's type). */
    public record Attempt(boolean delivered, int status, String problem) {
    }

    private final List<Hook> file;
    private final Supplier<List<Hook>> stored;
    private final BlockingQueue<Delivery> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private HttpClient http;
    private Thread worker;
    private volatile boolean closed;

    private Webhooks(List<Hook> file, Supplier<List<Hook>> stored) {
        this.file = List.copyOf(file);
        this.stored = stored;
    }

    /**
     * The sender for the file's {@code hooks} and the admin API's {@code stored} ones; its thread
     * and HTTP client start with the first notice to send.
     */
    public static Webhooks start(List<AlertsConfig.Webhook> hooks, Supplier<List<Hook>> stored) {
        return new Webhooks(Objects.requireNonNull(hooks, "hooks").stream().map(Hook::of).toList(),
                Objects.requireNonNull(stored, "stored"));
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
        if (closed) {
            return;
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
            Delivery delivery = new Delivery(hook, Payloads.body(hook.format(), notice),
                    notice.event().wire() + " of alert " + notice.alert().id());
            startWorker();
            if (!queue.offer(delivery)) {
                LOG.warn("alert webhook {} ({}): queue full, {} dropped", hook.name(), hook.origin(),
                        delivery.what());
            }
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

    private synchronized void startWorker() {
        if (worker == null && !closed) {
            worker = Thread.ofVirtual().name("alert-webhooks").start(this::run);
        }
    }

    /** Notices delivered (a 2xx answer). */
    public long delivered() {
        return delivered.get();
    }

    /** Notices given up on after every retry. */
    public long failed() {
        return failed.get();
    }

    /** {@code scheme://host[:port]}: what of a webhook URL may be logged or shown. */
    public static String origin(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
    }

    private void run() {
        while (!closed || !queue.isEmpty()) {
            Delivery delivery;
            try {
                delivery = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (delivery != null && !deliver(delivery)) {
                return;
            }
        }
    }

    /** Delivers with retries; false when interrupted (closing). */
    private boolean deliver(Delivery d) {
        Hook hook = d.hook();
        Duration wait = hook.backoff();
        for (int attempt = 0; attempt <= hook.retries(); attempt++) {
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
            if (attempt < hook.retries()) {
                LOG.info("alert webhook {} ({}) {} for {}; retrying in {} ms", hook.name(), hook.origin(),
                        tried.problem(), d.what(), wait.toMillis());
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                wait = wait.multipliedBy(2);
            } else {
                LOG.warn("alert webhook {} ({}) {} for {}; gave up after {} attempts", hook.name(), hook.origin(),
                        tried.problem(), d.what(), hook.retries() + 1);
            }
        }
        failed.incrementAndGet();
        return true;
    }

    /** One POST of {@code body} to {@code hook}. */
    private Attempt attempt(Hook hook, byte[] body) throws InterruptedException {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(hook.url()).timeout(hook.timeout())
                    .header("Content-Type", "application/json").header("User-Agent", "Junction-Alerts");
            hook.headers().forEach(request::header);
            HttpResponse<Void> response = http().send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                return new Attempt(true, response.statusCode(), "");
            }
            return new Attempt(false, response.statusCode(), "answered " + response.statusCode());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // The exception's message may quote the URL; only its type is told.
            return new Attempt(false, 0, e.getClass().getSimpleName());
        }
    }

    /** Waits until every queued notice has been tried (tests; stop). */
    public void drain(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** Stops taking notices, gives the queued ones a few seconds, then stops the thread. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = worker;
        }
        if (running != null) {
            try {
                running.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.interrupt();
        }
        synchronized (this) {
            if (http != null) {
                http.close();
            }
        }
    }
}
