package dev.junction.relay;

import dev.junction.http.CancelSignal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hedged attempts of one request racing to their first content: each runs on its own thread, and
 * the first to produce content (or to answer for the client otherwise) claims the stream; the
 * others are cancelled at once. A continuation of the winner's stream runs on the winner's thread,
 * so it belongs to the winner.
 */
final class Race {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Runner> runners = new ArrayList<>();
    private Thread winner;
    private int done;

    /** One attempt in the race, cancelled through its own signal when another wins. */
    record Runner(Thread thread, CancelSignal cancel) {
    }

    void add(Thread thread, CancelSignal cancel) {
        lock.lock();
        try {
            runners.add(new Runner(thread, cancel));
        } finally {
            lock.unlock();
        }
    }

    /**
     * The calling attempt wants to show the client something: true when it is (or now becomes)
     * the winner; the others are cancelled.
     */
    boolean claim() {
        List<CancelSignal> losers = new ArrayList<>();
        lock.lock();
        try {
            if (winner == null) {
                winner = Thread.currentThread();
                for (Runner runner : runners) {
                    if (runner.thread() != winner) {
                        losers.add(runner.cancel());
                    }
                }
                changed.signalAll();
            }
            if (winner != Thread.currentThread()) {
                return false;
            }
        } finally {
            lock.unlock();
        }
        losers.forEach(CancelSignal::cancel);
        return true;
    }

    /** Whether another attempt than the calling one won. */
    boolean lost() {
        lock.lock();
        try {
            return winner != null && winner != Thread.currentThread();
        } finally {
            lock.unlock();
        }
    }

    boolean anyFinished() {
        lock.lock();
        try {
            return done > 0;
        } finally {
            lock.unlock();
        }
    }

    boolean claimed() {
        lock.lock();
        try {
            return winner != null;
        } finally {
            lock.unlock();
        }
    }

    /** An attempt ended (whatever its outcome). */
    void finished() {
        lock.lock();
        try {
            done++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until some attempt claimed the stream or ended, or {@code nanos} passed. */
    void awaitDecision(long nanos) throws InterruptedException {
        lock.lock();
        try {
            long left = nanos;
            while (winner == null && done == 0 && left > 0) {
                left = changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    static long nanos(java.time.Duration duration) {
        return TimeUnit.NANOSECONDS.convert(duration);
    }
}
