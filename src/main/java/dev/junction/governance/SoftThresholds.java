package dev.junction.governance;

import dev.junction.core.Clock;
import dev.junction.state.Window;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a key, user or team passing 80 % of one of its limits or its budget: once per window
 * (a minute for rpm and tpm, the period for a budget) and per instance, as a log line and a call to
 * every {@link Listener} (the metrics counter); the dashboard and alerts read the live figures from
 * the counters (see {@link Limiter#usage}).
 */
public final class SoftThresholds {

    /** The share of a limit that counts as "close": 80 %. */
    public static final int PERCENT = 80;

    private static final Logger LOG = LoggerFactory.getLogger(SoftThresholds.class);
    private static final int SWEEP_ABOVE = 10_000;

    /** Told of every crossing. */
    @FunctionalInterface
    public interface Listener {
        void crossed(Quota quota, String limit, long count, long of);
    }

    private record Crossing(Level level, long id, String limit, Instant windowStart) {
    }

    private final Map<Crossing, Instant> seen = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Clock clock;

    public SoftThresholds(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public void listen(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Whether {@code count} is at or above the soft threshold of {@code limit}. */
    public static boolean reached(long count, long limit) {
        return limit > 0 && count * 100 >= limit * PERCENT;
    }

    /** Notes a counter of {@code quota} that went from {@code before} to {@code after} in {@code window}. */
    void counted(Quota quota, String limit, Window window, long before, long after, long of) {
        if (!reached(after, of) || reached(before, of)) {
            return;
        }
        if (seen.size() > SWEEP_ABOVE) {
            Instant now = clock.now();
            seen.values().removeIf(end -> !end.isAfter(now));
        }
        if (seen.putIfAbsent(new Crossing(quota.level(), quota.id(), limit, window.start()), window.end()) != null) {
            return;
        }
        String shown = limit.equals(Limiter.BUDGET) ? Budget.shown(after) + " of " + Budget.shown(of)
                : after + " of " + of;
        LOG.warn("{}: {} at {} % of its limit ({}), until {}", quota.label(), limit, PERCENT, shown, window.end());
        for (Listener listener : listeners) {
            try {
                listener.crossed(quota, limit, after, of);
            } catch (RuntimeException e) {
                LOG.error("a soft-threshold listener failed", e);
            }
        }
    }
}
