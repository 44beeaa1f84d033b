package dev.junction.protocol;

import java.util.Objects;

/**
 * A provider's error body, read in any of the shapes providers use, so the client gets the
 * provider's own words in its own API's shape.
 *
 * @param type the provider's error type or status (e.g. {@code invalid_request_error},
 *     {@code INVALID_ARGUMENT}), or empty
 * @param message the provider's message, or a short excerpt of the body
 */
public record ProviderError(String type, String message) {

    public ProviderError {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
    }

    /**
     * Reads Anthropic's {@code {"type":"error","error":{"type","message"}}}, Gemini's
     * {@code {"error":{"code","message","status"}}} and OpenAI's {@code {"error":{"message","type"}}}.
     */
    public static ProviderError read(byte[] body) {
        Objects.requireNonNull(body, "body");
        try {
            var root = JsonTrees.MAPPER.readTree(body);
            var error = root.path("error");
            if (error.isObject()) {
                String type = JsonTrees.string(error, "type");
                if (type == null) {
                    type = JsonTrees.string(error, "status");
                }
                String message = JsonTrees.string(error, "message");
                if (message != null) {
                    return new ProviderError(type == null ? "" : type, message);
                }
            } else if (error.isString()) {
                return new ProviderError("", error.stringValue());
            }
        } catch (RuntimeException notJson) {
            // Fall through to an excerpt of the raw body.
        }
        return new ProviderError("", JsonTrees.excerpt(body));
    }
}
