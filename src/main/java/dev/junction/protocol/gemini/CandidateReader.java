package dev.junction.protocol.gemini;

import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.Part;
import dev.junction.core.canonical.Usage;
import dev.junction.protocol.JsonTrees;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads {@code GenerateContentResponse} objects, the whole answer or one stream chunk at a time,
 * into canonical parts, a finish and usage. It numbers function calls across the whole answer
 * and gives each an id carrying its thought signature; it keeps every call of a parallel turn.
 */
final class CandidateReader {

    private final String idSeed;
    private int calls;

    CandidateReader(String idSeed) {
        this.idSeed = idSeed;
    }

    /** Whether a function was called so far (Gemini says STOP after calling; OpenAI says tool_calls). */
    boolean calledTools() {
        return calls > 0;
    }

    /** The candidate's parts: text, thought text as reasoning, function calls. */
    List<Part> parts(JsonNode response) {
        List<Part> parts = new ArrayList<>();
        for (JsonNode part : candidate(response).path("content").path("parts")) {
            JsonNode call = part.get("functionCall");
            if (call != null && call.isObject()) {
                String signature = JsonTrees.string(part, "thoughtSignature");
                JsonNode args = call.path("args");
                parts.add(new Part.ToolCall(ThoughtSignatures.callId(idSeed, calls++, signature),
                        call.path("name").asString(""), args.isObject() ? JsonTrees.text(args) : "{}", signature));
            } else if (part.path("text").isString() && !part.path("text").stringValue().isEmpty()) {
                String text = part.path("text").stringValue();
                parts.add(part.path("thought").asBoolean(false) ? new Part.Reasoning(text, null) : Part.Text.of(text));
            }
        }
        return parts;
    }

    /** The answer's end, if this response says it ended. */
    Finish finish(JsonNode response) {
        String blocked = JsonTrees.string(response.path("promptFeedback"), "blockReason");
        if (blocked != null && candidate(response).isMissingNode()) {
            return new Finish(FinishReason.CONTENT_FILTER, "Gemini blocked the prompt (blockReason: " + blocked + ").",
                    null);
        }
        return finish(JsonTrees.string(candidate(response), "finishReason"));
    }

    /** The answer's end for a candidate's {@code finishReason}, or null when it has none. */
    Finish finish(String reason) {
        if (reason == null) {
            return null;
        }
        return switch (reason) {
            case "STOP" -> new Finish(calledTools() ? FinishReason.TOOL_CALLS : FinishReason.STOP, null, null);
            case "MAX_TOKENS" -> new Finish(FinishReason.LENGTH, null, null);
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "LANGUAGE" ->
                    new Finish(FinishReason.CONTENT_FILTER, "Gemini stopped the answer (finishReason: " + reason + ").",
                            null);
            case "MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL" -> new Finish(FinishReason.STOP, null,
                    "Gemini produced an invalid function call (finishReason: " + reason + ")");
            default -> new Finish(calledTools() ? FinishReason.TOOL_CALLS : FinishReason.STOP, null, null);
        };
    }

    /**
     * How an answer ended.
     *
     * @param refusal why it was withheld, for a safety stop
     * @param error a provider failure dressed as a finish, which the relay treats as an error
     */
    record Finish(FinishReason reason, String refusal, String error) {
    }

    /** {@code usageMetadata}: thoughts are output tokens, cached content is part of the prompt. */
    static Usage usage(JsonNode response, Usage previous) {
        JsonNode metadata = response.get("usageMetadata");
        if (metadata == null || !metadata.isObject()) {
            return previous;
        }
        return usage(new TextChunk.UsageCounts(JsonTrees.count(metadata, "promptTokenCount"),
                JsonTrees.count(metadata, "toolUsePromptTokenCount"), JsonTrees.count(metadata, "candidatesTokenCount"),
                JsonTrees.count(metadata, "thoughtsTokenCount"), JsonTrees.count(metadata, "cachedContentTokenCount")));
    }

    /** Usage from the counts: thoughts are output tokens, tool-use prompts part of the prompt. */
    static Usage usage(TextChunk.UsageCounts counts) {
        return new Usage(counts.prompt() + counts.toolUsePrompt(), counts.candidates() + counts.thoughts(),
                counts.cached(), 0, counts.thoughts());
    }

    private static JsonNode candidate(JsonNode response) {
        return response.path("candidates").path(0);
    }
}
