package dev.junction.protocol.anthropic;

import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.Usage;
import dev.junction.protocol.JsonTrees;
import tools.jackson.databind.JsonNode;

/** Anthropic's stop reasons and usage in canonical terms, shared by the whole and streamed decoders. */
final class StopReasons {

    static final String REFUSAL = "The model declined to answer (Anthropic stop_reason: refusal).";

    private StopReasons() {
    }

    /**
     * @param realToolCalls whether the answer called one of the client's tools (a call of the
     *     synthetic JSON-answer tool is an ordinary answer)
     */
    static FinishReason finish(String stopReason, boolean realToolCalls) {
        return switch (stopReason == null ? "" : stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> realToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP; // end_turn, stop_sequence, pause_turn
        };
    }

    /** Anthropic's input count excludes cache reads and writes; OpenAI's prompt count includes them. */
    static Usage usage(JsonNode usage, Usage previous) {
        long input = JsonTrees.count(usage, "input_tokens");
        long cacheWrite = JsonTrees.count(usage, "cache_creation_input_tokens");
        long cacheRead = JsonTrees.count(usage, "cache_read_input_tokens");
        long output = JsonTrees.count(usage, "output_tokens");
        boolean hasInput = usage.has("input_tokens") || usage.has("cache_read_input_tokens")
                || usage.has("cache_creation_input_tokens");
        return new Usage(hasInput ? input + cacheWrite + cacheRead : previous.input(),
                usage.has("output_tokens") ? output : previous.output(),
                hasInput ? cacheRead : previous.cacheRead(), hasInput ? cacheWrite : previous.cacheWrite(), 0);
    }
}
