package dev.junction.state;

import dev.junction.core.Clock;
import java.util.Objects;

/**
 * Every kind of shared state, as one value to wire: in memory for one instance now; a Redis-backed
 * set (with a local fallback) slots in behind the same interfaces.
 */
public record State(Cooldowns cooldowns, Breakers breakers, Suspensions suspensions, Counters counters) {

    public State {
        Objects.requireNonNull(cooldowns, "cooldowns");
        Objects.requireNonNull(breakers, "breakers");
        Objects.requireNonNull(suspensions, "suspensions");
        Objects.requireNonNull(counters, "counters");
    }

    /** State held in this process; {@code clock} lets expired entries be forgotten. */
    public static State inMemory(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return new State(new MemoryCooldowns(clock), new MemoryBreakers(), new MemorySuspensions(),
                new MemoryCounters(clock));
    }
}
