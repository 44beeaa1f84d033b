package dev.junction.protocol.gemini;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.TokenUsage;
import dev.junction.core.canonical.Usage;
import dev.junction.http.SseEvent;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.MalformedAnswerException;
import dev.junction.protocol.PassThrough;
import dev.junction.protocol.ProviderCall;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Gemini request to a gemini channel, byte for byte: the model lives in the path, so only the
 * path and the credential change. Answers are scanned for usage and for the first content; a
 * Gemini stream has no end marker, so it is complete once a chunk carried a {@code finishReason}.
 *
 * @param method the API method after the colon ({@code generateContent}, {@code countTokens}…)
 * @param stream whether this is {@code streamGenerateContent?alt=sse}
 */
record GeminiPassThrough(byte[] body, String method, boolean stream) implements PassThrough {

    @Override
    public ProviderCall call(String upstreamModel, String apiKey, ChannelQuirks quirks) {
        String name = upstreamModel.startsWith("models/") ? upstreamModel.substring(7) : upstreamModel;
        Map<String, String> headers = new HashMap<>();
        if (apiKey != null) {
            headers.put("x-goog-api-key", apiKey);
        }
        headers.put("Accept", stream ? "text/event-stream" : "application/json");
        return new ProviderCall("/v1beta/models/" + name + ":" + method + (stream ? "?alt=sse" : ""), headers, body);
    }

    @Override
    public Whole inspect(byte[] answer) {
        ObjectNode root;
        try {
            root = JsonTrees.object(answer);
        } catch (MalformedAnswerException e) {
            return Whole.problem(Problem.NOT_JSON);
        }
        if (root.has("error")) {
            return Whole.problem(Problem.notAnAnswer("an error object instead of an answer"));
        }
        return Whole.answer(usage(root));
    }

    @Override
    public StreamScanner scanner() {
        return new Scanner();
    }

    /**
     * {@code usageMetadata} in the gateway's convention (as the translated path reads it: thoughts
     * are output tokens, cached content part of the prompt), or a countTokens answer's
     * {@code totalTokens} as input; null when the answer carries neither.
     */
    static TokenUsage usage(JsonNode root) {
        JsonNode metadata = root.get("usageMetadata");
        if (metadata == null || !metadata.isObject()) {
            return root.has("totalTokens") ? TokenUsage.ofInput(JsonTrees.count(root, "totalTokens")) : null;
        }
        return CandidateReader.usage(root, Usage.NONE).tokens();
    }

    /** Reads {@code GenerateContentResponse} chunks. */
    private static final class Scanner implements StreamScanner {
        private static final java.util.Set<String> TEXT_FIELDS = java.util.Set.of("text");
        private TokenUsage usage;
        private boolean finished;

        @Override
        public Verdict scan(SseEvent event) {
            ObjectNode chunk;
            try {
                chunk = JsonTrees.object(event.data());
            } catch (MalformedAnswerException e) {
                return Verdict.MALFORMED;
            }
            if (chunk.has("error")) {
                return Verdict.ERROR;
            }
            TokenUsage reported = GeminiPassThrough.usage(chunk);
            if (reported != null) {
                usage = reported;
            }
            JsonNode candidate = chunk.path("candidates").path(0);
            boolean content = false;
            for (JsonNode part : candidate.path("content").path("parts")) {
                content |= part.has("functionCall") || part.has("inlineData") || part.has("executableCode")
                        || part.has("codeExecutionResult") || !part.path("text").asString("").isEmpty();
            }
            boolean finish = candidate.hasNonNull("finishReason") || chunk.path("promptFeedback").has("blockReason");
            finished |= finish;
            return content || finish ? Verdict.CONTENT : Verdict.LIFECYCLE;
        }

        @Override
        public boolean complete() {
            return finished;
        }

        @Override
        public byte[] terminator() {
            return new byte[0];
        }

        @Override
        public java.util.Set<String> textFields() {
            return TEXT_FIELDS;
        }

        @Override
        public TokenUsage usage() {
            return usage;
        }
    }
}
