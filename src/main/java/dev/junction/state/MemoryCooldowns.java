package dev.junction.state;

import dev.junction.core.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Cooldowns in a map; a rest that has passed is forgotten when next read. */
final class MemoryCooldowns implements Cooldowns {

    private final Map<StateKey, Instant> until = new ConcurrentHashMap<>();
    private final Clock clock;

    MemoryCooldowns(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void coolUntil(StateKey subject, Instant when) {
        until.merge(subject, when, (old, fresh) -> fresh.isAfter(old) ? fresh : old);
    }

    @Override
    public Instant until(StateKey subject) {
        Instant when = until.get(subject);
        if (when == null) {
            return Instant.EPOCH;
        }
        if (!when.isAfter(clock.now())) {
            until.remove(subject, when);
        }
        return when;
    }

    @Override
    public void clear(StateKey subject) {
        until.remove(subject);
    }
}
