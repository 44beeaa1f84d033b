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
 * @param continueStreams whether a stream that breaks after content is continued by the next candidate
 */
public record FailoverConfig(int maxAttempts, Duration requestTimeout, Duration cooldown, BreakerConfig breaker,
        Duration keyProbeEvery, boolean continueStreams) {

    public static final FailoverConfig DEFAULT = new FailoverConfig(5, Duration.ofMinutes(10), Duration.ofSeconds(30),
            BreakerConfig.DEFAULT, Duration.ofMinutes(5), true);

    public FailoverConfig(int maxAttempts, Duration requestTimeout, Duration cooldown, BreakerConfig breaker,
            Duration keyProbeEvery) {
        this(maxAttempts, requestTimeout, cooldown, breaker, keyProbeEvery, true);
    }

    public FailoverConfig {
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(cooldown, "cooldown");
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(keyProbeEvery, "keyProbeEvery");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /**
     * A channel's circuit opens after {@code consecutiveFailures} failures in a row, or when at
     * least {@code minRequests} requests in the last {@code window} failed at {@code failureRate}
     * or more. It stays open for {@code openFor}, then lets one probe request through.
     */
    public record BreakerConfig(int consecutiveFailures, double failureRate, int minRequests, Duration window,
            Duration openFor) {

        public static final BreakerConfig DEFAULT = new BreakerConfig(5, 0.5, 10, Duration.ofSeconds(60),
                Duration.ofSeconds(30));

        public BreakerConfig {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(openFor, "openFor");
        }
    }
}
