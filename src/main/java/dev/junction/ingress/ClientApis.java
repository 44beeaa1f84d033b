package dev.junction.ingress;

import dev.junction.core.Units;
import dev.junction.protocol.openai.MediaClientRequest;
import dev.junction.protocol.openai.MediaEndpoint;

/** The client API a public route speaks, as usage records name it. */
final class ClientApis {

    private ClientApis() {
    }

    /**
     * {@code openai} (chat completions), {@code anthropic} (messages), {@code responses},
     * {@code embeddings} or {@code gemini}, from the request path; null for any other route.
     */
    static String of(String path) {
        if (path.startsWith("/v1/chat/completions")) {
            return "openai";
        }
        if (path.startsWith("/v1/messages")) {
            return "anthropic";
        }
        if (path.startsWith("/v1/responses")) {
            return "responses";
        }
        if (path.startsWith("/v1/embeddings")) {
            return "embeddings";
        }
        if (path.startsWith("/v1beta/") || path.startsWith("/v1/models/")) {
            return "gemini";
        }
        return null;
    }

    /** The media endpoints, by the path after {@code /v1/}. */
    private static final java.util.Map<String, MediaEndpoint> MEDIA = media();

    private static java.util.Map<String, MediaEndpoint> media() {
        java.util.Map<String, MediaEndpoint> byPath = new java.util.HashMap<>();
        for (MediaEndpoint e : MediaEndpoint.values()) {
            byPath.put("/v1" + e.path(), e);
        }
        return java.util.Map.copyOf(byPath);
    }

    /**
     * The endpoint a usage row names: {@code chat} (chat completions, messages, responses, Gemini's
     * generateContent), {@code embeddings}, or a media endpoint's path after {@code /v1/}
     * ({@code images/generations}, {@code audio/speech}, {@code rerank}, …); null for any other route.
     */
    static String endpoint(String path) {
        MediaEndpoint media = MEDIA.get(path);
        if (media != null) {
            return media.path().substring(1);
        }
        String api = of(path);
        return api == null ? null : api.equals("embeddings") ? "embeddings" : "chat";
    }

    /** The unit a route's requests are billed by: a media endpoint's own, else tokens. */
    static String unit(String path) {
        MediaEndpoint media = MEDIA.get(path);
        return media == null ? Units.TOKEN : MediaClientRequest.unitOf(media);
    }
}
