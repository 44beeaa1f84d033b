package dev.junction.routing;

import java.time.Duration;

/** What happened on one attempt or check, as the relay and the health prober report it to {@link Outcomes}. */
sealed interface Outcome {

    Outcome SUCCEEDED = new Succeeded();
    Outcome FAILED = new Failed(false);
    Outcome CONNECTION_FAILED = new Failed(true);
    Outcome ABANDONED = new Abandoned();
    Outcome KEY_RESTORED = new KeyRestored();

    /** The upstream answered; the channel's circuit counts a success. */
    record Succeeded() implements Outcome {
    }

    /** A 429: the key rests for {@code retryAfter}, or the configured cooldown when null. */
    record RateLimited(Duration retryAfter) implements Outcome {
    }

    /** A 401/403: the provider refused the key; it is suspended until a probe passes. */
    record KeyRejected(String reason) implements Outcome {
    }

    /**
     * The upstream failed (5xx, timeout, garbage): counts toward the circuit of the channel and
     * upstream model; a connection-level failure (refused, reset, TLS, connect timeout) toward the
     * whole channel's.
     */
    record Failed(boolean connection) implements Outcome {
    }

    /** The attempt ended without a verdict (the client left, the request could not be served there). */
    record Abandoned() implements Outcome {
    }

    /** A health check's verdict on the channel. */
    record HealthChecked(boolean healthy, String detail) implements Outcome {
    }

    /** An out-of-band probe of an open circuit: a pass makes it half-open. */
    record Probed(boolean passed) implements Outcome {
    }

    /** A probe showed a suspended key works again. */
    record KeyRestored() implements Outcome {
    }
}
