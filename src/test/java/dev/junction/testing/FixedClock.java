package dev.junction.testing;

import dev.junction.core.Clock;
import java.time.Instant;

/** A clock whose wall time stays at one instant; its monotonic reading is the real one. */
public final class FixedClock implements Clock {

    private final Instant now;

    private FixedClock(Instant now) {
        this.now = now;
    }

    public static Clock at(Instant now) {
        return new FixedClock(now);
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
