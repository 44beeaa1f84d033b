package dev.junction.testing;

import dev.junction.core.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Real time plus an offset a test moves forward by hand, so cooldowns pass without sleeping. */
public final class MutableClock implements Clock {

    private final AtomicLong offsetNanos = new AtomicLong();

    public void advance(Duration by) {
        offsetNanos.addAndGet(by.toNanos());
    }

    @Override
    public Instant now() {
        return Instant.now().plusNanos(offsetNanos.get());
    }

    @Override
    public long nanoTime() {
        return System.nanoTime() + offsetNanos.get();
    }
}
