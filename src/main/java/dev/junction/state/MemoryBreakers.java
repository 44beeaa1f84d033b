package dev.junction.state;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One breaker object per subject, created on its first recorded outcome. */
final class MemoryBreakers implements Breakers {

    private final Map<StateKey, Breaker> breakers = new ConcurrentHashMap<>();

    @Override
    public Circuit circuit(StateKey subject, Instant now) {
        Breaker breaker = breakers.get(subject);
        return breaker == null ? Circuit.CLOSED : breaker.circuit(now.toEpochMilli());
    }

    @Override
    public boolean tryAcquire(StateKey subject, Instant now) {
        Breaker breaker = breakers.get(subject);
        return breaker == null || breaker.tryAcquire(now.toEpochMilli());
    }

    @Override
    public void force(StateKey subject, Instant now) {
        Breaker breaker = breakers.get(subject);
        if (breaker != null) {
            breaker.force();
        }
    }

    @Override
    public Instant availableAt(StateKey subject, Instant now) {
        Breaker breaker = breakers.get(subject);
        return breaker == null ? now : Instant.ofEpochMilli(breaker.availableAt(now.toEpochMilli()));
    }

    @Override
    public Circuit record(StateKey subject, boolean failed, BreakerPolicy policy, Instant now) {
        Breaker breaker = breakers.computeIfAbsent(subject, s -> new Breaker());
        long at = now.toEpochMilli();
        if (failed) {
            breaker.failure(policy, at);
        } else {
            breaker.success(at);
        }
        return breaker.circuit(at);
    }

    @Override
    public void release(StateKey subject) {
        Breaker breaker = breakers.get(subject);
        if (breaker != null) {
            breaker.release();
        }
    }

    /**
     * One circuit: the state machine plus a ring of the last outcomes for the failure rate. Times
     * are epoch milliseconds.
     */
    private static final class Breaker {

        private static final int HISTORY = 256;

        private final long[] times = new long[HISTORY];
        private final boolean[] failures = new boolean[HISTORY];
        private int next;
        private int size;
        private Circuit state = Circuit.CLOSED;
        private int consecutive;
        private long openUntil;
        private boolean probing;

        synchronized Circuit circuit(long now) {
            return state == Circuit.OPEN && now >= openUntil ? Circuit.HALF_OPEN : state;
        }

        synchronized boolean tryAcquire(long now) {
            if (state == Circuit.OPEN && now >= openUntil) {
                state = Circuit.HALF_OPEN;
                probing = false;
            }
            return switch (state) {
                case CLOSED -> true;
                case OPEN -> false;
                case HALF_OPEN -> {
                    if (probing) {
                        yield false;
                    }
                    probing = true;
                    yield true;
                }
            };
        }

        synchronized void force() {
            if (state == Circuit.OPEN) {
                state = Circuit.HALF_OPEN;
            }
            probing = state == Circuit.HALF_OPEN;
        }

        synchronized long availableAt(long now) {
            return switch (state) {
                case CLOSED -> now;
                case OPEN -> Math.max(now, openUntil);
                case HALF_OPEN -> probing ? now + 1 : now;
            };
        }

        synchronized void success(long now) {
            remember(now, false);
            consecutive = 0;
            if (state != Circuit.CLOSED) {
                state = Circuit.CLOSED;
                probing = false;
                size = 0;
            }
        }

        synchronized void failure(BreakerPolicy policy, long now) {
            remember(now, true);
            consecutive++;
            if (state == Circuit.HALF_OPEN || (state == Circuit.OPEN && now >= openUntil)) {
                open(policy, now);
                return;
            }
            if (state == Circuit.CLOSED && (consecutive >= policy.consecutiveFailures() || rateTripped(policy, now))) {
                open(policy, now);
            }
        }

        synchronized void release() {
            probing = false;
        }

        private void open(BreakerPolicy policy, long now) {
            state = Circuit.OPEN;
            openUntil = now + policy.openFor().toMillis();
            probing = false;
        }

        private boolean rateTripped(BreakerPolicy policy, long now) {
            long since = now - policy.window().toMillis();
            int total = 0;
            int failed = 0;
            for (int i = 0; i < size; i++) {
                if (times[i] >= since) {
                    total++;
                    if (failures[i]) {
                        failed++;
                    }
                }
            }
            return total >= policy.minRequests() && failed >= policy.failureRate() * total;
        }

        private void remember(long now, boolean failed) {
            times[next] = now;
            failures[next] = failed;
            next = (next + 1) % HISTORY;
            size = Math.min(size + 1, HISTORY);
        }
    }
}
