package dev.junction.relay;

import dev.junction.config.ChannelConfig;
import dev.junction.config.FailoverConfig;
import dev.junction.config.HealthCheck;
import dev.junction.core.Clock;
import dev.junction.http.CancelSignal;
import dev.junction.http.UpstreamClient;
import dev.junction.http.UpstreamFailure;
import dev.junction.http.UpstreamRequest;
import dev.junction.http.UpstreamResponse;
import dev.junction.routing.Channel;
import dev.junction.routing.KeyState;
import dev.junction.routing.Router;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background checks that bring channels and keys back: each channel with a {@code health_check}
 * gets a one-token request every {@code every} (failing takes it out of rotation, passing brings
 * it back), and each key disabled after a 401/403 is retried every {@code failover.key_probe_every}
 * (an answer other than 401/403 re-enables it). While a circuit is open, the channel is probed out
 * of band at the breaker's growing intervals (from {@code breaker.probe_every} up to
 * {@code breaker.probe_max}): its health-check request for the channel's own circuit (else a
 * one-token request), the model itself for a model's circuit; a 2xx makes the circuit half-open, so
 * a recovered channel is back within seconds rather than after the whole {@code open_for}.
 */
public final class HealthProber implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthProber.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

    private final Router router;
    private final UpstreamClient upstream;
    private final Clock clock;
    private final Map<Long, Long> nextCheck = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;

    private HealthProber(Router router, UpstreamClient upstream, Clock clock, ScheduledExecutorService ticker) {
        this.router = router;
        this.upstream = upstream;
        this.clock = clock;
        this.ticker = ticker;
    }

    /** Starts checking once a second for what is due. */
    public static HealthProber start(Router router, UpstreamClient upstream, Clock clock) {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("junction-health").daemon(true).factory());
        HealthProber prober = new HealthProber(Objects.requireNonNull(router), Objects.requireNonNull(upstream),
                Objects.requireNonNull(clock), ticker);
        ticker.scheduleWithFixedDelay(prober::runDue, 1, 1, TimeUnit.SECONDS);
        return prober;
    }

    /** Runs every check that is due now, each on its own virtual thread, and waits for them. */
    public void runDue() {
        long now = clock.nanoTime();
        Instant wall = clock.now();
        java.time.Duration keyProbeEvery = router.failover().keyProbeEvery();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            // One snapshot per round; schedules are kept by channel id, so they outlive a swap.
            for (Channel channel : router.current().channels()) {
                ChannelConfig config = channel.config();
                config.healthCheck().ifPresent(check -> {
                    long due = nextCheck.getOrDefault(channel.id(), now);
                    if (now >= due) {
                        nextCheck.put(channel.id(), now + check.every().toNanos());
                        threads.submit(() -> check(channel, check));
                    }
                });
                for (String model : channel.probesDue()) {
                    threads.submit(() -> probeCircuit(channel, model));
                }
                for (KeyState key : channel.keys()) {
                    if (key.probeDue(wall, keyProbeEvery)) {
                        threads.submit(() -> probeKey(channel, key));
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("health checks failed to run: {}", e.toString());
        }
    }

    private void check(Channel channel, HealthCheck check) {
        KeyState key = channel.keys().stream().filter(k -> !k.disabled()).findFirst().orElse(channel.keys().getFirst());
        int status = probe(channel, key, check.model());
        boolean healthy = status >= 200 && status < 300;
        if (healthy != channel.healthy()) {
            LOG.info("channel {} health check {}: {}", channel.name(), healthy ? "passed" : "failed",
                    status == 0 ? "no answer" : "HTTP " + status);
        }
        channel.healthChecked(healthy, status == 0 ? "no answer" : "HTTP " + status);
    }

    /** Probes an open circuit: the channel's ({@code upstreamModel} empty) or one upstream model's. */
    private void probeCircuit(Channel channel, String upstreamModel) {
        ChannelConfig config = channel.config();
        KeyState key = channel.keys().stream().filter(k -> !k.disabled()).findFirst().orElse(channel.keys().getFirst());
        String model = !upstreamModel.isEmpty() ? upstreamModel : config.healthCheck()
                .map(check -> config.models().getOrDefault(check.model(), check.model()))
                .orElse(channel.upstreamModels().getFirst());
        int status = probeUpstream(channel, key, model);
        boolean passed = status >= 200 && status < 300;
        if (passed) {
            LOG.info("channel {}{} answered a probe while its circuit was open; half-open now", channel.name(),
                    upstreamModel.isEmpty() ? "" : " model " + upstreamModel);
        }
        channel.probed(upstreamModel, passed);
    }

    private void probeKey(Channel channel, KeyState key) {
        String model = channel.config().healthCheck().map(HealthCheck::model)
                .orElse(channel.config().models().keySet().iterator().next());
        int status = probe(channel, key, model);
        if (status != 0 && status != 401 && status != 403) {
            LOG.info("channel {} key {} works again (HTTP {}); re-enabled", channel.name(), key.suffix(), status);
            key.enable();
        }
    }

    /** One tiny chat request in the channel's wire format; returns the HTTP status, or 0 when none arrived. */
    private int probe(Channel channel, KeyState key, String model) {
        return probeUpstream(channel, key, channel.config().models().getOrDefault(model, model));
    }

    private int probeUpstream(Channel channel, KeyState key, String upstreamModel) {
        ChannelConfig config = channel.config();
        Duration limit = min(PROBE_TIMEOUT, config.timeouts().total());
        UpstreamRequest request = ProbeCall.of(config, key, upstreamModel, min(limit, config.timeouts().firstByte()),
                limit);
        try (UpstreamResponse response = upstream.send(request, new CancelSignal())) {
            response.readAll(1 << 20);
            return response.status();
        } catch (UpstreamFailure e) {
            return 0;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
