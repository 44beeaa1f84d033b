package dev.junction.protocol.openai;

import dev.junction.core.ErrorKind;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.node.ObjectNode;

/** Gateway-made errors in OpenAI's shape: {@code {"error":{"message","type","param","code"}}}. */
public final class OpenAiErrors {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private OpenAiErrors() {
    }

    /** The JSON body for an error of this kind. */
    public static byte[] body(ErrorKind kind, String message) {
        ObjectNode error = Json.MAPPER.createObjectNode();
        error.put("message", message);
        error.put("type", type(kind));
        error.putNull("param");
        error.put("code", code(kind));
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("error", error);
        return Json.MAPPER.writeValueAsBytes(root);
    }

    /**
     * A provider's own error, relayed in OpenAI's shape: the provider's message verbatim, the
     * OpenAI {@code type} for the status, and the provider's error type as {@code code}.
     */
    public static byte[] relayed(int status, String providerType, String message) {
        ObjectNode error = Json.MAPPER.createObjectNode();
        error.put("message", message);
        error.put("type", switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "upstream_error" : "invalid_request_error";
        });
        error.putNull("param");
        if (providerType == null || providerType.isEmpty()) {
            error.putNull("code");
        } else {
            error.put("code", providerType);
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("error", error);
        return Json.MAPPER.writeValueAsBytes(root);
    }

    /**
     * The in-band event that ends a stream which broke after content was sent: an {@code error}
     * object on a {@code data:} line, and no {@code [DONE]} after it, so no client takes the
     * stream for complete.
     */
    public static byte[] streamEvent(ErrorKind kind, String message) {
        byte[] body = body(kind, message);
        byte[] event = new byte[DATA.length + body.length + END.length];
        System.arraycopy(DATA, 0, event, 0, DATA.length);
        System.arraycopy(body, 0, event, DATA.length, body.length);
        System.arraycopy(END, 0, event, DATA.length + body.length, END.length);
        return event;
    }

    static String type(ErrorKind kind) {
        return switch (kind) {
            case INVALID_REQUEST, NOT_FOUND, PAYLOAD_TOO_LARGE, METHOD_NOT_ALLOWED -> "invalid_request_error";
            case AUTHENTICATION -> "authentication_error";
            case PERMISSION -> "permission_error";
            case RATE_LIMITED -> "rate_limit_error";
            case INTERNAL -> "server_error";
            case UPSTREAM_INVALID, UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT -> "upstream_error";
        };
    }

    static String code(ErrorKind kind) {
        return switch (kind) {
            case INVALID_REQUEST -> "invalid_request";
            case AUTHENTICATION -> "invalid_api_key";
            case PERMISSION -> "model_not_allowed";
            case NOT_FOUND -> "model_not_found";
            case METHOD_NOT_ALLOWED -> "method_not_allowed";
            case PAYLOAD_TOO_LARGE -> "request_too_large";
            case RATE_LIMITED -> "rate_limit_exceeded";
            case INTERNAL -> "internal_error";
            case UPSTREAM_INVALID -> "bad_upstream_response";
            case UPSTREAM_UNAVAILABLE -> "upstream_unavailable";
            case UPSTREAM_TIMEOUT -> "upstream_timeout";
        };
    }
}
