package dev.junction.routing;

import dev.junction.config.ChannelConfig;
import dev.junction.config.FailoverConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * A channel at run time: its configuration plus what routing remembers about it — per-key rest and
 * disable state, a circuit breaker, and the verdict of its health check. Provider keys are only
 * ever shown by their last four characters.
 */
public final class Channel {

    private final ChannelConfig config;
    private final List<KeyState> keys;
    private final Breaker breaker;
    private final FailoverConfig failover;
    private final RandomGenerator random;
    private final AtomicInteger nextKey = new AtomicInteger();
    private volatile boolean healthy = true;

    Channel(ChannelConfig config, FailoverConfig failover, RandomGenerator random) {
        this.config = Objects.requireNonNull(config, "config");
        this.failover = failover;
        this.random = random;
        List<KeyState> states = new ArrayList<>();
        for (String secret : config.apiKeys()) {
            states.add(new KeyState(new ProviderKey(secret)));
        }
        if (states.isEmpty()) {
            states.add(new KeyState(null));
        }
        this.keys = List.copyOf(states);
        this.breaker = new Breaker(failover.breaker());
    }

    public ChannelConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    public List<KeyState> keys() {
        return keys;
    }

    /** False while the channel's health check fails. */
    public boolean healthy() {
        return healthy;
    }

    /** A usable key not in {@code exclude}, in this channel's rotation order; null when none is. */
    KeyState usableKey(Set<KeyState> exclude, long now) {
        int count = keys.size();
        int start = config.keySelection() == ChannelConfig.KeySelection.RANDOM
                ? random.nextInt(count) : Math.floorMod(nextKey.getAndIncrement(), count);
        for (int i = 0; i < count; i++) {
            KeyState key = keys.get((start + i) % count);
            if (!exclude.contains(key) && key.usable(now)) {
                return key;
            }
        }
        return null;
    }

    /** The not-excluded, not-disabled key that frees first; null when every key is excluded or disabled. */
    KeyState soonestKey(Set<KeyState> exclude) {
        KeyState best = null;
        for (KeyState key : keys) {
            if (!exclude.contains(key) && !key.disabled() && (best == null || key.coolUntil() < best.coolUntil())) {
                best = key;
            }
        }
        return best;
    }

    Breaker breaker() {
        return breaker;
    }

    /** The circuit's state, for logs and the admin API. */
    public CircuitState circuit(long now) {
        return CircuitState.valueOf(breaker.state(now).name());
    }

    // --- outcomes, reported by the relay ---------------------------------------------------------

    public void succeeded(KeyState key, long now) {
        breaker.success(now);
    }

    /** A 429: the key rests for {@code retryAfter}, or the configured cooldown when the upstream gave none. */
    public void rateLimited(KeyState key, Duration retryAfter, long now) {
        Duration rest = retryAfter != null ? retryAfter : failover.cooldown();
        key.coolUntil(now + rest.toNanos());
    }

    /** A 401/403: the provider refused the key; it is disabled until a probe succeeds. */
    public void keyRejected(KeyState key, String reason, long now) {
        if (key.key().isPresent()) {
            key.disable(reason, now + failover.keyProbeEvery().toNanos());
        } else {
            breaker.failure(now);
        }
    }

    /** A failure of the channel itself (5xx, network, timeout, garbage): counts toward its breaker. */
    public void failed(long now) {
        breaker.failure(now);
    }

    /** An attempt that ended without a verdict (the client left). */
    public void abandoned() {
        breaker.release();
    }

    /** Sets the health-check verdict. */
    public void healthy(boolean verdict, long now) {
        this.healthy = verdict;
        if (verdict) {
            breaker.success(now);
        }
    }

    @Override
    public String toString() {
        return "Channel[" + config.name() + "]";
    }
}
