package dev.junction.state;

import java.time.Instant;

/**
 * Circuit breakers, one per subject (a channel, or later a channel and upstream model). Each
 * method is one atomic transition.
 */
public interface Breakers {

    /** The circuit as it stands at {@code now} (an open circuit whose rest passed reads half-open). */
    Circuit circuit(StateKey subject, Instant now);

    /** Takes a slot: always when closed; one of the policy's half-open slots when half-open; never when open. */
    boolean tryAcquire(StateKey subject, Instant now);

    /** Takes a slot even when open: used when every candidate rests and this one frees first. */
    void force(StateKey subject, Instant now);

    /** When the circuit lets a request through again ({@code now} if it already does). */
    Instant availableAt(StateKey subject, Instant now);

    /** Records an outcome and makes the transition it causes; returns the circuit after it. */
    Circuit record(StateKey subject, boolean failed, BreakerPolicy policy, Instant now);

    /** The request holding the probe slot ended without a verdict (e.g. the client left). */
    void release(StateKey subject);

    /**
     * Whether an open circuit is due for an out-of-band probe; claims it (moves the next one on by
     * the growing interval) when it is, so only one caller probes.
     */
    boolean claimProbe(StateKey subject, Instant now);

    /** An out-of-band probe's verdict: a pass makes an open circuit half-open; a failure keeps it open. */
    void probed(StateKey subject, boolean passed, BreakerPolicy policy, Instant now);
}
