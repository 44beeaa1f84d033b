package dev.junction.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A failure the gateway reports to its client in the client's own API shape. The message is
 * written for the person reading the client's log: it says what was wrong and, where it helps,
 * what to do. It never contains a secret.
 */
public final class GatewayException extends RuntimeException {

    private final ErrorKind kind;
    private final Duration retryAfter;

    private GatewayException(ErrorKind kind, String message, Duration retryAfter) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.retryAfter = retryAfter;
    }

    public static GatewayException of(ErrorKind kind, String message) {
        return new GatewayException(kind, message, null);
    }

    public static GatewayException invalidRequest(String message) {
        return of(ErrorKind.INVALID_REQUEST, message);
    }

    public static GatewayException rateLimited(String message, Duration retryAfter) {
        return new GatewayException(ErrorKind.RATE_LIMITED, message, retryAfter);
    }

    public ErrorKind kind() {
        return kind;
    }

    /** How long the client should wait before retrying, when the gateway knows. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
