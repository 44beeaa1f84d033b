package dev.junction.core;

import java.util.concurrent.TimeUnit;

/**
 * Sleeping in steps toward the end of an interval, for a background thread that gathers work for the
 * interval and handles what arrived at each step (the usage writer, the access log).
 */
public final class Intervals {

    private Intervals() {
    }

    /**
     * Sleeps {@code stepMillis}, or less when {@code end} (a {@link System#nanoTime()}) comes sooner;
     * false, without sleeping, once {@code end} has come. Interrupted, it runs {@code onInterrupt}
     * (the caller's way to stop) and returns false; the interrupt status stays cleared, so what the
     * caller still writes is not cut off by it.
     */
    public static boolean step(long end, long stepMillis, Runnable onInterrupt) {
        long left = end - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        try {
            Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, stepMillis));
            return true;
        } catch (InterruptedException e) {
            onInterrupt.run();
            return false;
        }
    }
}
