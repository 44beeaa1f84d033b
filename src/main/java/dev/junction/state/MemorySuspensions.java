package dev.junction.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Suspensions in a map; each change is one atomic map operation. */
final class MemorySuspensions implements Suspensions {

    private final Map<StateKey, Suspension> suspended = new ConcurrentHashMap<>();

    @Override
    public void suspend(StateKey subject, String reason, Instant nextCheck) {
        suspended.put(subject, new Suspension(reason, nextCheck));
    }

    @Override
    public Optional<Suspension> suspension(StateKey subject) {
        return Optional.ofNullable(suspended.get(subject));
    }

    @Override
    public boolean suspended(StateKey subject) {
        return suspended.containsKey(subject);
    }

    @Override
    public boolean claimCheck(StateKey subject, Instant now, Duration every) {
        boolean[] claimed = new boolean[1];
        suspended.computeIfPresent(subject, (s, current) -> {
            if (now.isBefore(current.nextCheck())) {
                return current;
            }
            claimed[0] = true;
            return new Suspension(current.reason(), now.plus(every));
        });
        return claimed[0];
    }

    @Override
    public void lift(StateKey subject) {
        suspended.remove(subject);
    }
}
