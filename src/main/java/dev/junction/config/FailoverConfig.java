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
 */
public record FailoverConfig(int maxAttempts, Duration requestTimeout, Duration cooldown, BreakerConfig breaker,
        Duration keyProbeEvery, Duration maxRetryWait, boolean continueStreams) {

    public static final FailoverConfig DEFAULT = new FailoverConfig(5, Duration.ofMinutes(10), Duration.ofSeconds(30),
            BreakerConfig.DEFAULT, Duration.ofMinutes(5), Duration.ofSeconds(5), true);

    public FailoverConfig {
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(cooldown, "cooldown");
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(keyProbeEvery, "keyProbeEvery");
        Objects.requireNonNull(maxRetryWait, "maxRetryWait");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
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
