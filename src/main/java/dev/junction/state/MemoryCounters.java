package dev.junction.state;

import dev.junction.core.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counters in a map, one entry per subject, metric and window start; each change is one atomic
 * map operation. Windows that have ended are swept out now and then.
 */
final class MemoryCounters implements Counters {

    private static final int SWEEP_EVERY = 4096;

    private record Id(StateKey subject, String metric, Instant start) {
    }

    private record Count(long value, Instant end) {
    }

    private final Map<Id, Count> counts = new ConcurrentHashMap<>();
    private final AtomicInteger operations = new AtomicInteger();
    private final Clock clock;

    MemoryCounters(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Tally tryAdd(StateKey subject, String metric, Window window, long amount, long limit) {
        sweepNowAndThen();
        boolean[] admitted = new boolean[1];
        Count after = counts.compute(new Id(subject, metric, window.start()), (id, current) -> {
            long value = current == null ? 0 : current.value();
            if (value + amount > limit) {
                return current;
            }
            admitted[0] = true;
            return new Count(value + amount, window.end());
        });
        return new Tally(admitted[0], after == null ? 0 : after.value(), window);
    }

    @Override
    public long add(StateKey subject, String metric, Window window, long amount) {
        sweepNowAndThen();
        return counts.merge(new Id(subject, metric, window.start()), new Count(amount, window.end()),
                (current, more) -> new Count(current.value() + more.value(), current.end())).value();
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
