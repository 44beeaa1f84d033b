package dev.junction.metrics;

import java.util.Objects;

/**
 * One channel's routing state, as the gauges show it.
 *
 * @param channel channel name
 * @param healthy false while its health check fails
 * @param circuit its breaker: {@code closed}, {@code open} or {@code half_open}
 * @param keys how many provider keys it has (a channel without auth has one)
 * @param keysCooling keys resting after a rate limit
 * @param keysDisabled keys the provider refused (401/403), waiting for a probe
 */
public record ChannelState(String channel, boolean healthy, Circuit circuit, int keys, int keysCooling,
        int keysDisabled) {

    /** A breaker's state. */
    public enum Circuit {
        CLOSED, OPEN, HALF_OPEN;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ChannelState {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(circuit, "circuit");
    }

    /** Keys neither cooling nor disabled. */
    int keysUsable() {
        return Math.max(0, keys - keysCooling - keysDisabled);
    }
}
