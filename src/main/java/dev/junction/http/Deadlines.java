package dev.junction.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * First-byte deadlines of requests in flight, watched by one thread that no request ever has to
 * wake. A general timer (a {@code ScheduledExecutorService}) wakes its thread whenever a new task
 * becomes the earliest, which at low load is every request: two context switches each. Here
 * deadlines of one duration queue up in the order they are due, and the watcher never sleeps
 * past now + the shortest duration in use, so whatever is added while it sleeps is not yet due
 * when it wakes. It also wakes once a second to drop cancelled deadlines, so they cannot pile up.
 */
final class Deadlines implements AutoCloseable {

    private static final long PURGE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final VarHandle ACTION;

    static {
        try {
            ACTION = MethodHandles.lookup().findVarHandle(Deadline.class, "action", Runnable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Map<Long, Queue<Deadline>> byDuration = new ConcurrentHashMap<>();
    private final Thread watcher;
    private volatile long shortest = Long.MAX_VALUE;
    private volatile boolean running = true;

    Deadlines(String threadName) {
        watcher = Thread.ofPlatform().name(threadName).daemon(true).start(this::watch);
    }

    /** One deadline; {@link #cancel()} it once it no longer matters. */
    static final class Deadline {
        private final long due;
        @SuppressWarnings("unused") // accessed through ACTION
        private volatile Runnable action;

        private Deadline(long due, Runnable action) {
            this.due = due;
            this.action = action;
        }

        /** Stops the action from running (and lets go of what it holds). */
        void cancel() {
            ACTION.setVolatile(this, null);
        }

        private Runnable take() {
            return (Runnable) ACTION.getAndSet(this, null);
        }
    }

    /** Runs {@code action} (on the watcher thread, so it must be quick) {@code millis} from now unless cancelled. */
    Deadline schedule(long millis, Runnable action) {
        long duration = TimeUnit.MILLISECONDS.toNanos(Math.max(1, millis));
        Deadline deadline = new Deadline(System.nanoTime() + duration, action);
        Queue<Deadline> queue = byDuration.get(duration);
        if (queue == null) {
            queue = byDuration.computeIfAbsent(duration, d -> new ConcurrentLinkedQueue<>());
            if (duration < shortest) {
                shortest = duration;
                LockSupport.unpark(watcher); // once per new shortest duration: it may sleep too long now
            }
        }
        queue.add(deadline);
        return deadline;
    }

    private void watch() {
        while (running) {
            long now = System.nanoTime();
            long sleep = Math.min(shortest, PURGE_NANOS);
            for (Queue<Deadline> queue : byDuration.values()) {
                Deadline head;
                while ((head = queue.peek()) != null) {
                    Runnable action = (Runnable) ACTION.getVolatile(head);
                    if (action == null) {
                        queue.poll();
                    } else if (head.due - now <= 0) {
                        queue.poll();
                        action = head.take();
                        if (action != null) {
                            action.run();
                        }
                    } else {
                        sleep = Math.min(sleep, head.due - now);
                        queue.removeIf(d -> ACTION.getVolatile(d) == null); // cancelled ones behind a pending head
                        break;
                    }
                }
            }
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
