package dev.junction.core;

/**
 * The closed set of gateway-made failures. Each kind fixes the HTTP status a client sees; the
 * protocol packages map a kind to their own error {@code type} strings (DESIGN.md §4).
 */
public enum ErrorKind {
    INVALID_REQUEST(400),
    AUTHENTICATION(401),
    PERMISSION(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    PAYLOAD_TOO_LARGE(413),
    RATE_LIMITED(429),
    INTERNAL(500),
    UPSTREAM_INVALID(502),
    UPSTREAM_UNAVAILABLE(503),
    UPSTREAM_TIMEOUT(504);

    private final int status;

    ErrorKind(int status) {
        this.status = status;
    }

    /** The HTTP status a client receives for this kind. */
    public int status() {
        return status;
    }
}
