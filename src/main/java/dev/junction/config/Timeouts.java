package dev.junction.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Upstream time limits of one channel.
 *
 * @param connect TCP (and TLS) connect
 * @param firstByte from sending the request to the first response byte (for streams: the first event)
 * @param idle longest silence between two reads once the answer has started (also before the first byte)
 * @param total longest one attempt may take, streaming included
 * @param firstToken for streams, from sending the request to the first content event (text, a tool
 *     call, reasoning), unlike {@code firstByte}; zero: no limit beyond the others
 */
public record Timeouts(Duration connect, Duration firstByte, Duration idle, Duration total, Duration firstToken) {

    public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(60),
            Duration.ofSeconds(120), Duration.ofMinutes(10), Duration.ZERO);

    public Timeouts(Duration connect, Duration firstByte, Duration idle, Duration total) {
        this(connect, firstByte, idle, total, Duration.ZERO);
    }

    public Timeouts {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(firstByte, "firstByte");
        Objects.requireNonNull(idle, "idle");
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(firstToken, "firstToken");
    }
}
