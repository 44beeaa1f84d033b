package dev.junction.relay;

import java.time.Duration;

/**
 * What one attempt tells routing about its channel and key. Every report goes through
 * {@link Relay.Call#settle}, the one place that records attempts and calls routing.
 */
sealed interface Outcome {

    /** The channel answered: the key and the breaker are healthy. */
    Outcome SERVED = new Served();

    /**
     * The attempt ended without a verdict on the channel: the client left, or the answer belongs to
     * the client (its own request was refused, or cannot be expressed for this channel).
     */
    Outcome ABANDONED = new Abandoned();

    /** A stream already committed to the client broke: the channel is charged, nothing else to try. */
    Outcome BROKEN = new Broken();

    /** The attempt failed before anything reached the client; another channel or key may serve. */
    static Outcome failed(Failure failure, Duration retryAfter) {
        return new Failed(failure, retryAfter, false);
    }

    record Served() implements Outcome {
    }

    record Abandoned() implements Outcome {
    }

    record Broken() implements Outcome {
    }

    /**
     * @param retryAfter how long a rate-limited key should rest, or null for the default cooldown
     * @param connection a connection-level failure (refused, reset, TLS, connect timeout): the whole
     *     channel's circuit counts it, not only the upstream model's
     */
    record Failed(Failure failure, Duration retryAfter, boolean connection) implements Outcome {
    }
}
