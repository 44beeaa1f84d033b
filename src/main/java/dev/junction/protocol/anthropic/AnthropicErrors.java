package dev.junction.protocol.anthropic;

import dev.junction.core.ErrorKind;
import dev.junction.protocol.JsonTrees;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/** Errors in Anthropic's shape: {@code {"type":"error","error":{"type","message"}}}. */
public final class AnthropicErrors {

    private static final Set<String> TYPES = Set.of("invalid_request_error", "authentication_error",
            "permission_error", "not_found_error", "request_too_large", "rate_limit_error", "api_error",
            "overloaded_error");

    private AnthropicErrors() {
    }

    /** The JSON body for a gateway-made error of this kind. */
    public static byte[] body(ErrorKind kind, String message) {
        return body(type(kind), message);
    }

    /** A provider's own error with its words; its type when it is one of Anthropic's, else one for the status. */
    static byte[] relayed(int status, String providerType, String message) {
        return body(TYPES.contains(providerType) ? providerType : type(status), message);
    }

    /** The in-band {@code event: error} that ends a broken stream; no {@code message_stop} follows it. */
    static byte[] streamEvent(String message) {
        return ("event: error\ndata: " + new String(body("api_error", message), StandardCharsets.UTF_8) + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static String type(ErrorKind kind) {
        return switch (kind) {
            case INVALID_REQUEST, METHOD_NOT_ALLOWED -> "invalid_request_error";
            case AUTHENTICATION -> "authentication_error";
            case PERMISSION -> "permission_error";
            case NOT_FOUND -> "not_found_error";
            case PAYLOAD_TOO_LARGE -> "request_too_large";
            case RATE_LIMITED -> "rate_limit_error";
            case UPSTREAM_UNAVAILABLE -> "overloaded_error";
            case INTERNAL, UPSTREAM_INVALID, UPSTREAM_TIMEOUT -> "api_error";
        };
    }

    private static String type(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    private static byte[] body(String type, String message) {
        ObjectNode root = JsonTrees.MAPPER.createObjectNode().put("type", "error");
        root.putObject("error").put("type", type).put("message", message);
        return JsonTrees.bytes(root);
    }
}
