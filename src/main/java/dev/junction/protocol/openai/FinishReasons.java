package dev.junction.protocol.openai;

import dev.junction.core.canonical.FinishReason;

/**
 * OpenAI's {@code finish_reason} in canonical terms, both ways: what the client-side encoders
 * write, and what the channel-side decoders read from OpenAI-style providers, whose vocabularies
 * go beyond OpenAI's four values.
 */
final class FinishReasons {

    private FinishReasons() {
    }

    /**
     * How an answer ended.
     *
     * @param reason the canonical reason
     * @param refusal why the answer was withheld, for a content-filter stop, else null
     * @param error a provider failure reported as a finish (the answer is cut short, not done),
     *     else null; the relay treats it as a failed attempt
     */
    record Finish(FinishReason reason, String refusal, String error) {
    }

    static String wire(FinishReason reason) {
        return switch (reason) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case TOOL_CALLS -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
        };
    }

    /**
     * Reads a provider's {@code finish_reason}.
     *
     * @param calledTools whether the answer made tool calls: several providers (Ollama, some vLLM
     *     models) say {@code stop} after calling, where OpenAI clients expect {@code tool_calls}
     */
    static Finish read(String wire, boolean calledTools) {
        FinishReason done = calledTools ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        return switch (wire == null ? "" : wire) {
            case "length", "max_tokens", "model_context_window_exceeded" -> new Finish(FinishReason.LENGTH, null, null);
            case "tool_calls", "function_call" -> new Finish(FinishReason.TOOL_CALLS, null, null);
            // "sensitive" is Zhipu's content-filter stop.
            case "content_filter", "sensitive" -> new Finish(FinishReason.CONTENT_FILTER,
                    "The provider's content filter stopped the answer (finish_reason: " + wire + ").", null);
            // DeepSeek and Zhipu end an answer they could not finish with these.
            case "insufficient_system_resource", "network_error", "error" -> new Finish(done, null,
                    "the provider stopped the answer early (finish_reason: " + wire + ")");
            default -> new Finish(done, null, null); // stop, eos, end_turn, and names newer than this table
        };
    }
}
