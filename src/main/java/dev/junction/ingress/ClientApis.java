package dev.junction.ingress;

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
}
