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

    @Override
    public boolean claimProbe(StateKey subject, Instant now) {
        Breaker breaker = breakers.get(subject);
        return breaker != null && breaker.claimProbe(now.toEpochMilli());
    }

    @Override
    public void probed(StateKey subject, boolean passed, BreakerPolicy policy, Instant now) {
        Breaker breaker = breakers.get(subject);
        if (breaker != null) {
            if (passed) {
                breaker.probePassed(policy);
            } else {
                breaker.probeFailed(policy, now.toEpochMilli());
            }
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
        /** The current out-of-band probe interval, and when the next probe is due. */
        private long probeInterval;
        private long probeAt;
        /** Half-open: requests let through and not yet settled, successes so far, successes needed. */
        private int inFlight;
        private int trialsPassed;
        private int trialsNeeded = 1;

        synchronized Circuit circuit(long now) {
            return state == Circuit.OPEN && now >= openUntil ? Circuit.HALF_OPEN : state;
        }

        synchronized boolean tryAcquire(long now) {
            if (state == Circuit.OPEN && now >= openUntil) {
                halfOpen(trialsNeeded);
            }
            return switch (state) {
                case CLOSED -> true;
                case OPEN -> false;
                case HALF_OPEN -> {
                    if (inFlight >= trialsNeeded) {
                        yield false;
                    }
                    inFlight++;
                    yield true;
                }
            };
        }

        synchronized void force() {
            if (state == Circuit.OPEN) {
                halfOpen(trialsNeeded);
            }
            if (state == Circuit.HALF_OPEN) {
                inFlight++;
            }
        }

        synchronized long availableAt(long now) {
            return switch (state) {
                case CLOSED -> now;
                case OPEN -> Math.max(now, openUntil);
                case HALF_OPEN -> inFlight >= trialsNeeded ? now + 1 : now;
            };
        }

        synchronized void success(long now) {
            consecutive = 0;
            switch (state) {
                case CLOSED -> remember(now, false);
                case OPEN -> close(); // a request let through before it opened, or forced, answered
                case HALF_OPEN -> {
                    inFlight = Math.max(0, inFlight - 1);
                    if (++trialsPassed >= trialsNeeded) {
                        close();
                    }
                }
            }
        }

        synchronized void failure(BreakerPolicy policy, long now) {
            remember(now, true);
            consecutive++;
            if (state == Circuit.HALF_OPEN || (state == Circuit.OPEN && now >= openUntil)) {
                // Back off from where the probes had got to, not from a full rest.
                probeInterval = policy.nextProbeMillis(probeInterval == 0 ? policy.firstProbeMillis() : probeInterval);
                state = Circuit.OPEN;
                openUntil = now + probeInterval;
                probeAt = now + probeInterval;
                inFlight = 0;
                return;
            }
            if (state == Circuit.CLOSED && (consecutive >= policy.consecutiveFailures() || rateTripped(policy, now))) {
                state = Circuit.OPEN;
                openUntil = now + policy.openFor().toMillis();
                probeInterval = policy.firstProbeMillis();
                probeAt = now + probeInterval;
                trialsNeeded = policy.halfOpenRequests();
                inFlight = 0;
            }
        }

        synchronized void release() {
            inFlight = Math.max(0, inFlight - 1);
        }

        synchronized boolean claimProbe(long now) {
            if (state != Circuit.OPEN || now >= openUntil || now < probeAt) {
                return false;
            }
            probeInterval = Math.max(1, probeInterval);
            probeAt = now + probeInterval; // provisional: moved on again if the probe fails
            return true;
        }

        synchronized void probePassed(BreakerPolicy policy) {
            if (state == Circuit.OPEN) {
                halfOpen(policy.halfOpenRequests());
            }
        }

        /** A failed probe: the next one waits twice as long (up to the cap). */
        synchronized void probeFailed(BreakerPolicy policy, long now) {
            if (state == Circuit.OPEN) {
                probeInterval = policy.nextProbeMillis(probeInterval);
                probeAt = now + probeInterval;
            }
        }

        private void halfOpen(int needed) {
            state = Circuit.HALF_OPEN;
            trialsNeeded = needed;
            trialsPassed = 0;
            inFlight = 0;
        }

        private void close() {
            state = Circuit.CLOSED;
            inFlight = 0;
            trialsPassed = 0;
            probeInterval = 0;
            size = 0;
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
