package dev.junction.admin.alerts;

import dev.junction.config.AlertsConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts notices to the configured webhooks from one background thread, in the order they were
 * raised (a recovery never overtakes its firing), never on a request's path. Each attempt has the
 * webhook's timeout; a failed one (no answer, or not 2xx) is retried with doubling back-off up to the
 * webhook's {@code retries}. A full queue drops the notice with a warning; the dashboard still has
 * it. A webhook URL is a secret (tokens sit in its path or query): logs name the webhook and its
 * origin only.
 */
public final class Webhooks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
    private static final int QUEUE = 1_000;

    private record Delivery(AlertsConfig.Webhook hook, byte[] body, String what) {
    }

    private final List<AlertsConfig.Webhook> hooks;
    private final HttpClient http;
    private final BlockingQueue<Delivery> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Thread worker;
    private volatile boolean closed;

    private Webhooks(List<AlertsConfig.Webhook> hooks) {
        this.hooks = List.copyOf(hooks);
        // No client (and its selector thread) when there is nothing to send to.
        this.http = hooks.isEmpty() ? null : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        this.worker = Thread.ofVirtual().name("alert-webhooks").unstarted(this::run);
    }

    /** Starts the sender for {@code hooks} (with none it sends nothing and starts no thread). */
    public static Webhooks start(List<AlertsConfig.Webhook> hooks) {
        Webhooks webhooks = new Webhooks(Objects.requireNonNull(hooks, "hooks"));
        if (!hooks.isEmpty()) {
            webhooks.worker.start();
        }
        return webhooks;
    }

    /** The webhooks, for the API (their URLs shown as origins only). */
    public List<AlertsConfig.Webhook> hooks() {
        return hooks;
    }

    /** Queues {@code notice} for every webhook whose {@code min_tier} it reaches; returns at once. */
    public void send(Notice notice) {
        if (closed) {
            return;
        }
        for (AlertsConfig.Webhook hook : hooks) {
            Tier min = Tier.parse(hook.minTier()).orElse(Tier.INFO);
            if (!notice.tier().atLeast(min)) {
                continue;
            }
            Delivery delivery = new Delivery(hook, Payloads.body(hook.format(), notice),
                    notice.event().wire() + " of alert " + notice.alert().id());
            if (!queue.offer(delivery)) {
                LOG.warn("alert webhook {} ({}): queue full, {} dropped", hook.name(), origin(hook.url()),
                        delivery.what());
            }
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
        AlertsConfig.Webhook hook = d.hook();
        Duration wait = hook.backoff();
        for (int attempt = 0; attempt <= hook.retries(); attempt++) {
            String problem;
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(hook.url()).timeout(hook.timeout())
                        .header("Content-Type", "application/json").header("User-Agent", "Junction-Alerts")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(d.body())).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 == 2) {
                    delivered.incrementAndGet();
                    return true;
                }
                problem = "answered " + response.statusCode();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                // The exception's message may quote the URL; only its type is logged.
                problem = e.getClass().getSimpleName();
            }
            if (attempt < hook.retries()) {
                LOG.info("alert webhook {} ({}) {} for {}; retrying in {} ms", hook.name(), origin(hook.url()),
                        problem, d.what(), wait.toMillis());
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                wait = wait.multipliedBy(2);
            } else {
                LOG.warn("alert webhook {} ({}) {} for {}; gave up after {} attempts", hook.name(),
                        origin(hook.url()), problem, d.what(), hook.retries() + 1);
            }
        }
        failed.incrementAndGet();
        return true;
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
        closed = true;
        if (hooks.isEmpty()) {
            return;
        }
        try {
            worker.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.interrupt();
        if (http != null) {
            http.close();
        }
    }
}
