package dev.junction.routing;

import dev.junction.config.FailoverConfig.BreakerConfig;

/**
 * A channel's circuit breaker. Closed: requests flow and outcomes are counted. Open: the channel is
 * skipped until {@code openFor} has passed. Half-open: one probe request is let through; its
 * success closes the circuit, its failure opens it again. Opens after N consecutive failures, or
 * when the failure rate over the window reaches the threshold with enough requests to judge.
 * Times are monotonic nanoseconds from the injected clock.
 */
final class Breaker {

    enum State { CLOSED, OPEN, HALF_OPEN }

    private static final int HISTORY = 256;

    private final BreakerConfig config;
    private final long[] times = new long[HISTORY];
    private final boolean[] failures = new boolean[HISTORY];
    private int next;
    private int size;
    private State state = State.CLOSED;
    private int consecutive;
    private long openUntil;
    private boolean probing;

    Breaker(BreakerConfig config) {
        this.config = config;
    }

    synchronized State state(long now) {
        return state == State.OPEN && now >= openUntil ? State.HALF_OPEN : state;
    }

    /** Takes a slot: always when closed; the single probe slot when half-open. */
    synchronized boolean tryAcquire(long now) {
        if (state == State.OPEN && now >= openUntil) {
            state = State.HALF_OPEN;
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

    /** Takes a slot even when open: used when every candidate is resting and this one frees first. */
    synchronized void force(long now) {
        if (state == State.OPEN) {
            state = State.HALF_OPEN;
        }
        probing = state == State.HALF_OPEN;
    }

    /** When the circuit lets a request through again (now if it already does). */
    synchronized long availableAt(long now) {
        return switch (state) {
            case CLOSED -> now;
            case OPEN -> Math.max(now, openUntil);
            case HALF_OPEN -> probing ? now + 1 : now;
        };
    }

    synchronized void success(long now) {
        record(now, false);
        consecutive = 0;
        if (state != State.CLOSED) {
            state = State.CLOSED;
            probing = false;
            size = 0;
        }
    }

    synchronized void failure(long now) {
        record(now, true);
        consecutive++;
        if (state == State.HALF_OPEN || (state == State.OPEN && now >= openUntil)) {
            open(now);
            return;
        }
        if (state == State.CLOSED && (consecutive >= config.consecutiveFailures() || rateTripped(now))) {
            open(now);
        }
    }

    /** The request holding the probe slot ended without a verdict (e.g. the client left). */
    synchronized void release() {
        probing = false;
    }

    private void open(long now) {
        state = State.OPEN;
        openUntil = now + config.openFor().toNanos();
        probing = false;
    }

    private boolean rateTripped(long now) {
        long since = now - config.window().toNanos();
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
        return total >= config.minRequests() && failed >= config.failureRate() * total;
    }

    private void record(long now, boolean failed) {
        times[next] = now;
        failures[next] = failed;
        next = (next + 1) % HISTORY;
        size = Math.min(size + 1, HISTORY);
    }
}
