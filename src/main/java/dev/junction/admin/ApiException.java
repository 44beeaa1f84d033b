package dev.junction.admin;

import java.time.Duration;
import java.util.Optional;

/**
 * An admin API failure the client sees as {@code {"error":{"message","type","code","param"}}} with
 * its status; {@code param} names the field at fault, {@code retryAfter} becomes {@code Retry-After}.
 */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String code;
    private final transient Optional<String> param;
    private final transient Optional<Duration> retryAfter;

    private ApiException(int status, String type, String code, String message, String param, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = Optional.ofNullable(param);
        this.retryAfter = Optional.ofNullable(retryAfter);
    }

    /** 400: {@code field} is missing or wrong; the message names it. */
    static ApiException invalid(String field, String problem) {
        return new ApiException(400, "invalid_request_error", "invalid_field", "'" + field + "' " + problem, field,
                null);
    }

    static ApiException badRequest(String code, String message) {
        return new ApiException(400, "invalid_request_error", code, message, null, null);
    }

    static ApiException unauthenticated(String code, String message) {
        return new ApiException(401, "authentication_error", code, message, null, null);
    }

    static ApiException forbidden(String code, String message) {
        return new ApiException(403, "permission_error", code, message, null, null);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not_found_error", "not_found", message, null, null);
    }

    static ApiException methodNotAllowed(String message) {
        return new ApiException(405, "invalid_request_error", "method_not_allowed", message, null, null);
    }

    static ApiException conflict(String code, String message, String field) {
        return new ApiException(409, "conflict_error", code, message, field, null);
    }

    static ApiException unsupportedMediaType() {
        return new ApiException(415, "invalid_request_error", "unsupported_media_type",
                "Send the body as JSON with 'Content-Type: application/json'.", null, null);
    }

    static ApiException throttled(String message, Duration retryAfter) {
        return new ApiException(429, "rate_limit_error", "too_many_attempts", message, null, retryAfter);
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    String code() {
        return code;
    }

    Optional<String> param() {
        return param;
    }

    Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
