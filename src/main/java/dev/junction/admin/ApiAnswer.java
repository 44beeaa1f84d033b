package dev.junction.admin;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * What the admin API answered an {@linkplain AdminApi#call in-process call}: the status, the JSON
 * body ({@link MissingNode} when there was none) and the headers it set ({@code Set-Cookie} on
 * sign-in and sign-out).
 */
public record ApiAnswer(int status, JsonNode body, Map<String, String> headers) {

    public ApiAnswer {
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The error's message, for a failed call. */
    public String message() {
        return body.path("error").path("message").asString("The request failed (" + status + ").");
    }

    /** The error's code, e.g. {@code invalid_field}. */
    public String code() {
        return body.path("error").path("code").asString("");
    }

    /** The field the error is about, when it names one. */
    public Optional<String> param() {
        JsonNode param = body.path("error").path("param");
        return param.isString() ? Optional.of(param.stringValue()) : Optional.empty();
    }
}
