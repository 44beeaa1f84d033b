package dev.junction.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How hard the gateway tries, and how it remembers failures (the {@code failover:} section).
 *
 * @param maxAttempts most upstream tries for one request
 * @param requestTimeout deadline for the whole request, all attempts included
 * @param cooldown how long a rate-limited key rests when the upstream gave no Retry-After
 * @param breaker when a channel's circuit opens
 * @param keyProbeEvery how often a key disabled after a 401/403 is tried again
 * @param maxRetryWait the longest a same-channel retry ({@code retries:} on a channel) waits, Retry-After
 *     included; a longer wait moves on to the next channel instead
 * @param continueStreams whether a stream that breaks after content is continued by the next candidate
 * @param hedge when a stream's first token is late enough to start the next candidate in parallel
 * @param continueSameChannel how many times one request may ask the channel whose stream broke to
 *     continue its own answer (another of its keys, or the same key after a short wait) when no
 *     other candidate is left; 0 (the default, as for {@code retries:}) never does
 */
public record FailoverConfig(int maxAttempts, Duration requestTimeout, Duration cooldown, BreakerConfig breaker,
        Duration keyProbeEvery, Duration maxRetryWait, boolean continueStreams, Hedge hedge,
        int continueSameChannel) {

    public static final FailoverConfig DEFAULT = new FailoverConfig(5, Duration.ofMinutes(10), Duration.ofSeconds(30),
            BreakerConfig.DEFAULT, Duration.ofMinutes(5), Duration.ofSeconds(5), true, Hedge.OFF, 0);

    /** The shape before {@code continue_same_channel}. */
    public FailoverConfig(int maxAttempts, Duration requestTimeout, Duration cooldown, BreakerConfig breaker,
            Duration keyProbeEvery, Duration maxRetryWait, boolean continueStreams, Hedge hedge) {
        this(maxAttempts, requestTimeout, cooldown, breaker, keyProbeEvery, maxRetryWait, continueStreams, hedge, 0);
    }

    /** The shape before {@code hedge_after}. */
    public FailoverConfig(int maxAttempts, Duration requestTimeout, Duration cooldown, BreakerConfig breaker,
            Duration keyProbeEvery, Duration maxRetryWait, boolean continueStreams) {
        this(maxAttempts, requestTimeout, cooldown, breaker, keyProbeEvery, maxRetryWait, continueStreams, Hedge.OFF);
    }

    /**
     * {@code hedge_after}: a fixed wait for a stream's first token ({@code 8s}), or the 95th
     * percentile of the upstream model's recent times to first token ({@code p95}), after which the
     * next candidate is started in parallel; off by default.
     *
     * @param after the fixed wait, or null
     * @param p95 whether the wait is the model's recent 95th percentile
     */
    public record Hedge(Duration after, boolean p95) {

        public static final Hedge OFF = new Hedge(null, false);

        public static Hedge after(Duration after) {
            return new Hedge(Objects.requireNonNull(after, "after"), false);
        }

        public static final Hedge P95 = new Hedge(null, true);

        public boolean on() {
            return after != null || p95;
        }
    }

    public FailoverConfig {
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(cooldown, "cooldown");
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(keyProbeEvery, "keyProbeEvery");
        Objects.requireNonNull(maxRetryWait, "maxRetryWait");
        Objects.requireNonNull(hedge, "hedge");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (continueSameChannel < 0) {
            throw new IllegalArgumentException("continueSameChannel must not be negative");
        }
    }

    /** The shape before {@code max_retry_wait}. */
    public FailoverConfig(int maxAttempts, Duration requestTimeout, Duration cooldown, BreakerConfig breaker,
            Duration keyProbeEvery) {
        this(maxAttempts, requestTimeout, cooldown, breaker, keyProbeEvery, Duration.ofSeconds(5), true);
    }

    /**
     * A channel's circuit opens after {@code consecutiveFailures} failures in a row, or when at
     * least {@code minRequests} requests in the last {@code window} failed at {@code failureRate}
     * or more. While open, the channel is probed out of band {@code probeEvery} after opening, then
     * at doubling intervals up to {@code probeMax} (and never more than {@code openFor}); a passing
     * probe, or the end of {@code openFor}, makes it half-open: {@code halfOpenRequests} real requests
     * must succeed before full traffic returns, and a failure reopens it with the backoff continuing.
     */
    public record BreakerConfig(int consecutiveFailures, double failureRate, int minRequests, Duration window,
            Duration openFor, Duration probeEvery, Duration probeMax, int halfOpenRequests) {

        public static final BreakerConfig DEFAULT = new BreakerConfig(5, 0.5, 10, Duration.ofSeconds(60),
                Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(8), 3);

        public BreakerConfig {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(openFor, "openFor");
            Objects.requireNonNull(probeEvery, "probeEvery");
            Objects.requireNonNull(probeMax, "probeMax");
            if (halfOpenRequests < 1) {
                throw new IllegalArgumentException("halfOpenRequests must be at least 1");
            }
        }

        /** The shape before out-of-band probes and half-open settings. */
        public BreakerConfig(int consecutiveFailures, double failureRate, int minRequests, Duration window,
                Duration openFor) {
            this(consecutiveFailures, failureRate, minRequests, window, openFor, Duration.ofSeconds(2),
                    Duration.ofSeconds(8), 3);
        }
    }
}
