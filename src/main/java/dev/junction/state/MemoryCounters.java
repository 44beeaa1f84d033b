package dev.junction.state;

import dev.junction.core.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counters in a map, one entry per subject, metric and window start. The bounded increments
 * ({@link #tryAdd}, {@link #tryAddAll}) hold one lock while they check and add, so no bounded
 * increment comes between another's check and its additions (the critical section is a few map
 * operations: a fraction of a microsecond). An unbounded {@link #add} is one atomic map operation
 * without the lock: one coming between can only be a give-back (which makes the check
 * conservative) or a settlement's correction, which may pass a limit by itself anyway. Windows
 * that have ended are swept out now and then.
 */
final class MemoryCounters implements Counters {

    private static final int SWEEP_EVERY = 4096;

    /** A counter's identity; its hash is computed once (each operation hashes it more than once). */
    private static final class Id {
        private final StateKey subject;
        private final String metric;
        private final Instant start;
        private final int hash;

        Id(StateKey subject, String metric, Instant start) {
            this.subject = subject;
            this.metric = metric;
            this.start = start;
            this.hash = (subject.hashCode() * 31 + metric.hashCode()) * 31 + start.hashCode();
        }

        StateKey subject() {
            return subject;
        }

        String metric() {
            return metric;
        }

        Instant start() {
            return start;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o == this || o instanceof Id other && other.hash == hash && other.start.equals(start)
                    && other.metric.equals(metric) && other.subject.equals(subject);
        }
    }

    private record Count(long value, Instant end) {
    }

    private final Map<Id, Count> counts = new ConcurrentHashMap<>();
    private final AtomicInteger operations = new AtomicInteger();
    private final ReentrantLock bounded = new ReentrantLock();
    private final Clock clock;

    MemoryCounters(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Tally tryAdd(StateKey subject, String metric, Window window, long amount, long limit) {
        sweepNowAndThen();
        Id id = new Id(subject, metric, window.start());
        bounded.lock();
        try {
            boolean[] admitted = new boolean[1];
            Count after = counts.compute(id, (key, current) -> {
                long value = current == null ? 0 : current.value();
                if (value + amount > limit) {
                    return current;
                }
                admitted[0] = true;
                return new Count(value + amount, current == null ? window.end() : current.end());
            });
            return new Tally(admitted[0], after == null ? 0 : after.value(), window);
        } finally {
            bounded.unlock();
        }
    }

    @Override
    public long add(StateKey subject, String metric, Window window, long amount) {
        sweepNowAndThen();
        return counts.merge(new Id(subject, metric, window.start()), new Count(amount, window.end()),
                (current, more) -> new Count(current.value() + more.value(), current.end())).value();
    }

    /**
     * All or nothing, atomically: the lock is held while the limits are checked (an increment
     * counted twice in the list is checked with both amounts) and the amounts added.
     */
    @Override
    public List<Tally> tryAddAll(List<Increment> increments) {
        int n = increments.size();
        if (n == 0) {
            return List.of();
        }
        if (n == 1) {
            Increment only = increments.getFirst();
            return List.of(tryAdd(only.subject(), only.metric(), only.window(), only.amount(), only.limit()));
        }
        sweepNowAndThen();
        Id[] ids = new Id[n];
        for (int i = 0; i < n; i++) {
            Increment inc = increments.get(i);
            ids[i] = new Id(inc.subject(), inc.metric(), inc.window().start());
        }
        bounded.lock();
        try {
            long[] before = new long[n];
            boolean admitted = true;
            for (int i = 0; i < n; i++) {
                Count current = counts.get(ids[i]);
                before[i] = current == null ? 0 : current.value();
                long pending = increments.get(i).amount();
                for (int j = 0; j < i; j++) {
                    if (ids[j].hashCode() == ids[i].hashCode() && ids[j].equals(ids[i])) {
                        pending += increments.get(j).amount();
                    }
                }
                if (before[i] + pending > increments.get(i).limit()) {
                    admitted = false;
                }
            }
            List<Tally> tallies = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Increment inc = increments.get(i);
                if (admitted) {
                    long after = counts.merge(ids[i], new Count(inc.amount(), inc.window().end()),
                            (current, more) -> new Count(current.value() + more.value(), current.end())).value();
                    tallies.add(new Tally(true, after, inc.window()));
                } else {
                    tallies.add(new Tally(false, before[i], inc.window()));
                }
            }
            return tallies;
        } finally {
            bounded.unlock();
        }
    }

    @Override
    public long count(StateKey subject, String metric, Window window) {
        Count count = counts.get(new Id(subject, metric, window.start()));
        return count == null ? 0 : count.value();
    }

    @Override
    public long raiseTo(StateKey subject, String metric, Window window, long atLeast) {
        sweepNowAndThen();
        return counts.merge(new Id(subject, metric, window.start()), new Count(atLeast, window.end()),
                (current, floor) -> current.value() >= floor.value() ? current
                        : new Count(floor.value(), current.end())).value();
    }

    /** A counter taken out by {@link #drain}: its subject, metric, window and count. */
    record Drained(StateKey subject, String metric, Window window, long value) {
    }

    /**
     * Takes every counter out (each removal atomic), for the shared store to add up when it is
     * back after an outage: what was counted here meanwhile.
     */
    List<Drained> drain() {
        List<Drained> drained = new ArrayList<>();
        for (Id id : List.copyOf(counts.keySet())) {
            // Atomic against a bounded increment too: those add with merge, so one that checked
            // before this removal adds to a new entry, counted at the next push.
            Count count = counts.remove(id);
            if (count != null && count.value() != 0) {
                drained.add(new Drained(id.subject(), id.metric(), new Window(id.start(), count.end()), count.value()));
            }
        }
        return drained;
    }

    private void sweepNowAndThen() {
        if (operations.incrementAndGet() % SWEEP_EVERY == 0) {
            Instant now = clock.now();
            counts.entrySet().removeIf(e -> !e.getValue().end().isAfter(now));
        }
    }
}
