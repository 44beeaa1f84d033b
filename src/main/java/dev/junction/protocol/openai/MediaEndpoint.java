package dev.junction.protocol.openai;

/**
 * OpenAI's endpoints beyond chat and embeddings that the gateway routes by model: images, audio,
 * moderations, and rerank (the Cohere/Jina shape OpenAI-compatible servers take). Each names its
 * path under the channel's {@code base_url}, whether its body is a multipart upload, and the
 * field that holds its answer.
 */
public enum MediaEndpoint {
    IMAGES_GENERATIONS("/images/generations", false, "data"),
    IMAGES_EDITS("/images/edits", true, "data"),
    IMAGES_VARIATIONS("/images/variations", true, "data"),
    AUDIO_SPEECH("/audio/speech", false, null),
    AUDIO_TRANSCRIPTIONS("/audio/transcriptions", true, "text"),
    AUDIO_TRANSLATIONS("/audio/translations", true, "text"),
    MODERATIONS("/moderations", false, "results"),
    RERANK("/rerank", false, "results");

    private final String path;
    private final boolean multipart;
    private final String answerField;

    MediaEndpoint(String path, boolean multipart, String answerField) {
        this.path = path;
        this.multipart = multipart;
        this.answerField = answerField;
    }

    /** The path after {@code /v1} (client) or the channel's {@code base_url} (upstream). */
    public String path() {
        return path;
    }

    /** Whether the body is {@code multipart/form-data}. */
    public boolean multipart() {
        return multipart;
    }

    /** The field every answer of this endpoint has, or null for a binary answer. */
    String answerField() {
        return answerField;
    }
}
