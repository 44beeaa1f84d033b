package dev.junction.core;

import java.time.Instant;

/**
 * The gateway's only source of time: wall time for records, a monotonic reading for durations.
 * Injected everywhere so tests can move time by hand.
 */
public interface Clock {

    /** Wall-clock time, for timestamps that are stored or shown. */
    Instant now();

    /** A monotonic reading in nanoseconds, for measuring durations and deadlines. */
    long nanoTime();

    static Clock system() {
        return SystemClock.INSTANCE;
    }

    enum SystemClock implements Clock {
        INSTANCE;

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }
    }
}
