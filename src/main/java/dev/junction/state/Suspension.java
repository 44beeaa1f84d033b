package dev.junction.state;

import java.time.Instant;
import java.util.Objects;

/**
 * Why and until when a subject is out of rotation: a provider key the upstream refused (401/403),
 * or a channel whose health check fails. It stays out until a check lifts it.
 *
 * @param reason what happened, for logs and the admin API (never a secret)
 * @param nextCheck when the next check is due
 */
public record Suspension(String reason, Instant nextCheck) {

    public Suspension {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(nextCheck, "nextCheck");
    }
}
