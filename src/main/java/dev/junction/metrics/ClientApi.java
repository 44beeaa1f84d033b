package dev.junction.metrics;

/** The client API a request came in by, told by its path: a label with a handful of values. */
enum ClientApi {
    OPENAI("openai"),
    ANTHROPIC("anthropic"),
    RESPONSES("responses"),
    GEMINI("gemini"),
    EMBEDDINGS("embeddings"),
    IMAGES("images"),
    AUDIO("audio"),
    MODERATIONS("moderations"),
    RERANK("rerank"),
    MODELS("models"),
    OTHER("other");

    private final String label;

    ClientApi(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    static ClientApi of(String path) {
        if (path.startsWith("/v1beta/")) {
            return GEMINI;
        }
        if (!path.startsWith("/v1/")) {
            return OTHER;
        }
        if (path.startsWith("/v1/chat/")) {
            return OPENAI;
        }
        if (path.startsWith("/v1/messages")) {
            return ANTHROPIC;
        }
        if (path.startsWith("/v1/responses")) {
            return RESPONSES;
        }
        if (path.startsWith("/v1/embeddings")) {
            return EMBEDDINGS;
        }
        if (path.startsWith("/v1/images/")) {
            return IMAGES;
        }
        if (path.startsWith("/v1/audio/")) {
            return AUDIO;
        }
        if (path.startsWith("/v1/moderations")) {
            return MODERATIONS;
        }
        if (path.startsWith("/v1/rerank")) {
            return RERANK;
        }
        if (path.startsWith("/v1/models")) {
            return MODELS;
        }
        return OTHER;
    }
}
