package dev.junction.http;

import java.nio.charset.StandardCharsets;

/**
 * Errors the HTTP layer answers itself — a request Jetty could not parse, a stop in progress, a
 * client over its connection cap — in the error shape of the client API the path belongs to
 * (DESIGN.md §4): Anthropic's under {@code /v1/messages}, Gemini's under {@code /v1beta/},
 * OpenAI's everywhere else and when the path is unknown.
 */
final class EdgeErrors {

    /** The client API whose error shape a path gets. */
    enum Shape {
        OPENAI, ANTHROPIC, GEMINI;

        static Shape of(String path) {
            if (path == null) {
                return OPENAI;
            }
            if (path.startsWith("/v1/messages")) {
                return ANTHROPIC;
            }
            if (path.startsWith("/v1beta/") || path.equals("/v1beta")) {
                return GEMINI;
            }
            return OPENAI;
        }
    }

    private EdgeErrors() {
    }

    /** The JSON body of an error with this status for a request to {@code path} (null when unknown). */
    static byte[] body(String path, int status, String message) {
        String quoted = quote(message);
        String json = switch (Shape.of(path)) {
            case OPENAI -> "{\"error\":{\"message\":" + quoted + ",\"type\":\"" + openAiType(status)
                    + "\",\"param\":null,\"code\":\"" + code(status) + "\"}}";
            case ANTHROPIC -> "{\"type\":\"error\",\"error\":{\"type\":\"" + anthropicType(status) + "\",\"message\":"
                    + quoted + "}}";
            case GEMINI -> "{\"error\":{\"code\":" + status + ",\"message\":" + quoted + ",\"status\":\""
                    + geminiStatus(status) + "\"}}";
        };
        return json.getBytes(StandardCharsets.UTF_8);
    }

    static String openAiType(int status) {
        return switch (status) {
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    static String code(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 411 -> "length_required";
            case 413 -> "request_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 417 -> "expectation_failed";
            case 429 -> "too_many_connections";
            case 431 -> "request_headers_too_large";
            case 503 -> "unavailable";
            case 505 -> "http_version_not_supported";
            default -> status >= 500 ? "internal_error" : "invalid_request";
        };
    }

    static String anthropicType(int status) {
        return switch (status) {
            case 404 -> "not_found_error";
            case 413, 414, 431 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    static String geminiStatus(int status) {
        return switch (status) {
            case 404 -> "NOT_FOUND";
            case 408, 504 -> "DEADLINE_EXCEEDED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 501, 505 -> "UNIMPLEMENTED";
            case 503 -> "UNAVAILABLE";
            default -> status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT";
        };
    }

    /** A JSON string literal. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
