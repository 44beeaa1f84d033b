package dev.junction.state;

import java.time.Duration;
import java.util.Objects;

/**
 * When a circuit opens: after {@code consecutiveFailures} failures in a row, or when at least
 * {@code minRequests} outcomes in the last {@code window} failed at {@code failureRate} or more.
 * It stays open for {@code openFor}, then lets one probe request through.
 */
public record BreakerPolicy(int consecutiveFailures, double failureRate, int minRequests, Duration window,
        Duration openFor) {

    public BreakerPolicy {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(openFor, "openFor");
    }
}
