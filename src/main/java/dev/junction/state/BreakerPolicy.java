package dev.junction.state;

import java.time.Duration;
import java.util.Objects;

/**
 * When a circuit opens: after {@code consecutiveFailures} failures in a row, or when at least
 * {@code minRequests} outcomes in the last {@code window} failed at {@code failureRate} or more.
 * It stays open for {@code openFor} at most. Meanwhile it is probed out of band {@code probeEvery}
 * after opening, then at doubling intervals capped at {@code probeMax} (and at {@code openFor}); a
 * passing probe or the end of the rest makes it half-open, where {@code halfOpenRequests} real
 * requests must succeed before it closes. A failure while half-open reopens it for the current
 * probe interval, the backoff continuing rather than starting over.
 */
public record BreakerPolicy(int consecutiveFailures, double failureRate, int minRequests, Duration window,
        Duration openFor, Duration probeEvery, Duration probeMax, int halfOpenRequests) {

    public BreakerPolicy {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(openFor, "openFor");
        Objects.requireNonNull(probeEvery, "probeEvery");
        Objects.requireNonNull(probeMax, "probeMax");
        if (halfOpenRequests < 1) {
            throw new IllegalArgumentException("halfOpenRequests must be at least 1");
        }
    }

    /** One half-open request, probes from 2 s up to 8 s. */
    public BreakerPolicy(int consecutiveFailures, double failureRate, int minRequests, Duration window,
            Duration openFor) {
        this(consecutiveFailures, failureRate, minRequests, window, openFor, Duration.ofSeconds(2),
                Duration.ofSeconds(8), 1);
    }

    /** The first out-of-band probe interval, never past the rest itself. */
    long firstProbeMillis() {
        return Math.min(probeEvery.toMillis(), openFor.toMillis());
    }

    /** The interval after {@code current}: doubled, capped at {@code probeMax} and {@code openFor}. */
    long nextProbeMillis(long current) {
        long cap = Math.max(firstProbeMillis(), Math.min(probeMax.toMillis(), openFor.toMillis()));
        return Math.min(cap, Math.max(1, current) * 2);
    }
}
