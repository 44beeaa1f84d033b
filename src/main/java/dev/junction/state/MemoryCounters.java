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
 * Counters in a map, one entry per subject, metric and window start. Each change holds the lock of
 * its entry's stripe, and {@link #tryAddAll} holds the stripes of all its entries at once (taken
 * in ascending order, so two callers cannot deadlock): it checks every limit and then adds, and no
 * other change to those entries can come between. Windows that have ended are swept out now and
 * then.
 */
final class MemoryCounters implements Counters {

    private static final int SWEEP_EVERY = 4096;
    /** Lock stripes: a power of two no larger than 64, so a set of them fits one {@code long}. */
    private static final int STRIPES = 64;

    private record Id(StateKey subject, String metric, Instant start) {
    }

    private record Count(long value, Instant end) {
    }

    private final Map<Id, Count> counts = new ConcurrentHashMap<>();
    private final AtomicInteger operations = new AtomicInteger();
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final Clock clock;

    MemoryCounters(Clock clock) {
        this.clock = clock;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    private static int stripe(Id id) {
        int h = id.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }

    @Override
    public Tally tryAdd(StateKey subject, String metric, Window window, long amount, long limit) {
        sweepNowAndThen();
        Id id = new Id(subject, metric, window.start());
        ReentrantLock lock = stripes[stripe(id)];
        lock.lock();
        try {
            Count current = counts.get(id);
            long value = current == null ? 0 : current.value();
            if (value + amount > limit) {
                return new Tally(false, value, window);
            }
            counts.put(id, new Count(value + amount, current == null ? window.end() : current.end()));
            return new Tally(true, value + amount, window);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long add(StateKey subject, String metric, Window window, long amount) {
        sweepNowAndThen();
        Id id = new Id(subject, metric, window.start());
        ReentrantLock lock = stripes[stripe(id)];
        lock.lock();
        try {
            return counts.merge(id, new Count(amount, window.end()),
                    (current, more) -> new Count(current.value() + more.value(), current.end())).value();
        } finally {
            lock.unlock();
        }
    }

    /**
     * All or nothing, atomically: the stripes of every entry are held while the limits are checked
     * (an increment counted twice in the list is checked with both amounts) and the amounts added.
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
        long held = 0;
        for (int i = 0; i < n; i++) {
            Increment inc = increments.get(i);
            ids[i] = new Id(inc.subject(), inc.metric(), inc.window().start());
            held |= 1L << stripe(ids[i]);
        }
        for (long rest = held; rest != 0; rest &= rest - 1) {
            stripes[Long.numberOfTrailingZeros(rest)].lock();
        }
        try {
            long[] before = new long[n];
            boolean admitted = true;
            for (int i = 0; i < n; i++) {
                Count current = counts.get(ids[i]);
                before[i] = current == null ? 0 : current.value();
                long pending = increments.get(i).amount();
                for (int j = 0; j < i; j++) {
                    if (ids[j].equals(ids[i])) {
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
            for (long rest = held; rest != 0; rest &= rest - 1) {
                stripes[Long.numberOfTrailingZeros(rest)].unlock();
            }
        }
    }

    @Override
    public long count(StateKey subject, String metric, Window window) {
        Count count = counts.get(new Id(subject, metric, window.start()));
        return count == null ? 0 : count.value();
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
            Count count;
            ReentrantLock lock = stripes[stripe(id)];
            lock.lock();
            try {
                count = counts.remove(id);
            } finally {
                lock.unlock();
            }
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
