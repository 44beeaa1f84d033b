package dev.junction.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * First-byte deadlines of requests in flight, watched by one thread that no request ever has to
 * wake. A general timer (a {@code ScheduledExecutorService}) wakes its thread whenever a new task
 * becomes the earliest, which at low load is every request: two context switches each. Here
 * deadlines of one duration queue up in the order they are due, and the watcher never sleeps
 * past now + the shortest duration in use, so whatever is added while it sleeps is not yet due
 * when it wakes.
 *
 * <p>A cancelled deadline leaves its queue at once (each queue is a linked list under its own
 * lock), so it is garbage while still young. Kept until the watcher purged it, as before, every
 * request's deadline lived long enough to be copied into the old generation (bench/RESULTS.md).
 * Each duration has {@value #STRIPES} queues, a request thread's deadlines going to one chosen by
 * its id: with one queue, request threads on different carriers took turns for its lock, and a
 * virtual thread that finds a lock taken parks and is woken again (a profile had a request's
 * deadline at 1.6 µs, twice the whole timer of the build before).
 */
final class Deadlines implements AutoCloseable {

    /** Queues per duration (a power of two). */
    static final int STRIPES = 16;

    private final Map<Long, Lane[]> byDuration = new ConcurrentHashMap<>();
    private final Thread watcher;
    private volatile long shortest = Long.MAX_VALUE;
    private volatile boolean running = true;

    Deadlines(String threadName) {
        watcher = Thread.ofPlatform().name(threadName).daemon(true).start(this::watch);
    }

    /** One deadline; {@link #cancel()} it once it no longer matters. */
    static final class Deadline {
        private final Lane lane;
        private final long due;
        private Runnable action; // guarded by lane.lock; null once cancelled or taken
        private Deadline previous; // guarded by lane.lock
        private Deadline next; // guarded by lane.lock

        private Deadline(Lane lane, long due, Runnable action) {
            this.lane = lane;
            this.due = due;
            this.action = action;
        }

        /** Stops the action from running (and lets go of it and of this deadline). */
        void cancel() {
            lane.cancel(this);
        }
    }

    /** The deadlines of one duration, oldest first. */
    private static final class Lane {
        private final ReentrantLock lock = new ReentrantLock();
        private final long duration;
        private Deadline head; // guarded by lock
        private Deadline tail; // guarded by lock

        Lane(long duration) {
            this.duration = duration;
        }

        Deadline add(Runnable action) {
            lock.lock();
            try {
                // Due time taken under the lock, so the list stays in due order.
                Deadline d = new Deadline(this, System.nanoTime() + duration, action);
                d.previous = tail;
                if (tail == null) {
                    head = d;
                } else {
                    tail.next = d;
                }
                tail = d;
                return d;
            } finally {
                lock.unlock();
            }
        }

        void cancel(Deadline d) {
            lock.lock();
            try {
                if (d.action != null) {
                    d.action = null;
                    unlink(d);
                }
            } finally {
                lock.unlock();
            }
        }

        /**
         * Moves the actions of the deadlines due by {@code now} to {@code due}; returns the nanos
         * until the next one is due, or -1 when none is left.
         */
        long takeDue(long now, List<Runnable> due) {
            lock.lock();
            try {
                Deadline d;
                while ((d = head) != null && d.due - now <= 0) {
                    due.add(d.action);
                    d.action = null;
                    unlink(d);
                }
                return d == null ? -1 : d.due - now;
            } finally {
                lock.unlock();
            }
        }

        private void unlink(Deadline d) {
            if (d.previous == null) {
                head = d.next;
            } else {
                d.previous.next = d.next;
            }
            if (d.next == null) {
                tail = d.previous;
            } else {
                d.next.previous = d.previous;
            }
            d.previous = d.next = null;
        }
    }

    /** Runs {@code action} (on the watcher thread, so it must be quick) {@code millis} from now unless cancelled. */
    Deadline schedule(long millis, Runnable action) {
        long duration = TimeUnit.MILLISECONDS.toNanos(Math.max(1, millis));
        Lane[] lanes = byDuration.get(duration);
        if (lanes == null) {
            lanes = byDuration.computeIfAbsent(duration, Deadlines::lanes);
            if (duration < shortest) {
                shortest = duration;
                LockSupport.unpark(watcher); // once per new shortest duration: it may sleep too long now
            }
        }
        long id = Thread.currentThread().threadId();
        return lanes[(int) (id ^ id >>> 16) & (STRIPES - 1)].add(action);
    }

    private static Lane[] lanes(long duration) {
        Lane[] lanes = new Lane[STRIPES];
        for (int i = 0; i < STRIPES; i++) {
            lanes[i] = new Lane(duration);
        }
        return lanes;
    }

    private void watch() {
        List<Runnable> due = new ArrayList<>();
        while (running) {
            long now = System.nanoTime();
            long sleep = shortest;
            for (Lane[] lanes : byDuration.values()) {
                for (Lane lane : lanes) {
                    long next = lane.takeDue(now, due);
                    if (next >= 0) {
                        sleep = Math.min(sleep, next);
                    }
                }
            }
            for (Runnable action : due) {
                action.run();
            }
            due.clear();
            if (byDuration.isEmpty()) {
                LockSupport.park(this); // nothing scheduled yet
            } else {
                LockSupport.parkNanos(this, sleep);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(watcher);
    }
}
