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
     * false, without sleeping, once {@code end} has come.
     */
    public static boolean step(long end, long stepMillis) throws InterruptedException {
        long left = end - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, stepMillis));
        return true;
    }
}
