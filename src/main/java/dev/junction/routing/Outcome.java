package dev.junction.routing;

import java.time.Duration;

/** What happened on one attempt or check, as the relay and the health prober report it to {@link Outcomes}. */
public sealed interface Outcome {

    Outcome SUCCEEDED = new Succeeded();
    Outcome FAILED = new Failed();
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

    /** The channel itself failed (5xx, network, timeout, garbage): counts toward its circuit. */
    record Failed() implements Outcome {
    }

    /** The attempt ended without a verdict (the client left, the request could not be served there). */
    record Abandoned() implements Outcome {
    }

    /** A health check's verdict on the channel. */
    record HealthChecked(boolean healthy, String detail) implements Outcome {
    }

    /** A probe showed a suspended key works again. */
    record KeyRestored() implements Outcome {
    }
}
