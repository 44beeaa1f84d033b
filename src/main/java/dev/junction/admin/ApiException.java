package dev.junction.admin;

import dev.junction.config.Problem;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;

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
    private transient ArrayNode problems;

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

    /**
     * 400: a config value (a channel body, the config file) is wrong; {@code problems} lists every
     * problem, each with its place ({@code param}: a JSON pointer, or the file's line).
     */
    static ApiException invalidConfig(String code, List<Problem> problems, boolean fileLines, String label) {
        ArrayNode list = Json.array();
        for (Problem problem : problems) {
            var item = list.addObject();
            item.put("param", problem.path().pointer());
            if (fileLines) {
                item.put("line", problem.line());
            }
            item.put("message", fileLines ? problem.format(label) : problem.path().pointer() + ": " + problem.message());
        }
        String first = problems.isEmpty() ? "the config is invalid" : list.get(0).path("message").asString();
        ApiException e = new ApiException(400, "invalid_request_error", code,
                problems.size() == 1 ? first : first + " (and " + (problems.size() - 1) + " more)",
                problems.isEmpty() ? null : problems.getFirst().path().pointer(), null);
        e.problems = list;
        return e;
    }

    /** 400: the config file is invalid; {@code lines} are its line-numbered problems. */
    static ApiException invalidFile(List<String> lines) {
        ArrayNode list = Json.array();
        lines.forEach(line -> list.addObject().put("message", line));
        ApiException e = new ApiException(400, "invalid_request_error", "invalid_config",
                "The config file is invalid; the running config stays. " + (lines.isEmpty() ? "" : lines.getFirst())
                        + (lines.size() > 1 ? " (and " + (lines.size() - 1) + " more)" : ""), null, null);
        e.problems = list;
        return e;
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

    /** Every problem, for a config error; empty otherwise. */
    Optional<ArrayNode> problems() {
        return Optional.ofNullable(problems);
    }
}
