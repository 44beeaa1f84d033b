package dev.junction.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The period a counter counts in: {@code [start, end)}. A counter for one window starts at zero
 * and is forgotten after {@code end}, which maps onto a keyed counter with an expiry.
 *
 * @param start first instant counted
 * @param end first instant no longer counted
 */
public record Window(Instant start, Instant end) {

    /** A window that never ends: for gauges such as requests in flight. */
    public static final Window OPEN = new Window(Instant.EPOCH, Instant.MAX);

    public Window {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("a window must end after it starts");
        }
    }

    /** The fixed window of length {@code size}, aligned to the epoch, that holds {@code now}. */
    public static Window fixed(Duration size, Instant now) {
        long length = size.toMillis();
        if (length <= 0) {
            throw new IllegalArgumentException("a window lasts at least a millisecond");
        }
        long at = now.toEpochMilli();
        long start = Math.floorDiv(at, length) * length;
        return new Window(Instant.ofEpochMilli(start), Instant.ofEpochMilli(start + length));
    }
}
