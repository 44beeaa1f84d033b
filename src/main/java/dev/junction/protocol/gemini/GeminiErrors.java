package dev.junction.protocol.gemini;

import dev.junction.core.ErrorKind;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.ProviderError;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * Errors in Google's shape, {@code {"error":{"code","message","status"}}}, with the canonical
 * status names Google's clients switch on ({@code INVALID_ARGUMENT}, {@code UNAUTHENTICATED}…).
 */
public final class GeminiErrors {

    private static final Set<String> STATUSES = Set.of("INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE",
            "UNAUTHENTICATED", "PERMISSION_DENIED", "NOT_FOUND", "ABORTED", "ALREADY_EXISTS", "RESOURCE_EXHAUSTED",
            "CANCELLED", "DATA_LOSS", "UNKNOWN", "INTERNAL", "UNIMPLEMENTED", "UNAVAILABLE", "DEADLINE_EXCEEDED");

    private GeminiErrors() {
    }

    /** A gateway-made error of this kind. */
    public static byte[] body(ErrorKind kind, String message) {
        return body(kind.status(), status(kind.status()), message);
    }

    /** A provider's error with the provider's words; its status name kept when it is one of Google's. */
    static byte[] relayed(int status, ProviderError error) {
        String name = STATUSES.contains(error.type()) ? error.type() : status(status);
        return body(status, name, error.message());
    }

    /**
     * The in-band error ending a broken stream, always {@code 500 INTERNAL} so no client takes it as
     * done, written twice because Google's two SDKs look in different places (issue 16):
     * <ol>
     * <li>first as a bare JSON line, as Google itself sends a mid-stream error. The JS SDK
     *     (@google/genai, inside Gemini CLI) recognises an error only in a network read that is exactly
     *     such an object, and reads {@code data: {"error":…}} as an empty chunk. When the line shares a
     *     read with other bytes, it is left unparsed in the SDK's buffer, and the SDK throws
     *     "Incomplete JSON segment at the end" when the stream closes (which Gemini CLI retries);
     *     either way it throws. SSE parsers skip the line (an unknown field), so it is harmless.</li>
     * <li>then as an SSE {@code data:} event, where the Java SDK (google-genai) and SSE-based clients
     *     look for {@code {"error":…}}.</li>
     * </ol>
     */
    static byte[] streamEvent(String message) {
        byte[] error = body(500, "INTERNAL", message);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(error);
        out.writeBytes("\n\ndata: ".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(error);
        out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] body(int code, String status, String message) {
        ObjectNode root = JsonTrees.MAPPER.createObjectNode();
        root.putObject("error").put("code", code).put("message", message).put("status", status);
        return JsonTrees.bytes(root);
    }

    /** Google's status name for an HTTP status. */
    static String status(int code) {
        return switch (code) {
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ABORTED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 499 -> "CANCELLED";
            case 501 -> "UNIMPLEMENTED";
            case 502, 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> code >= 500 ? "INTERNAL" : "INVALID_ARGUMENT";
        };
    }
}
