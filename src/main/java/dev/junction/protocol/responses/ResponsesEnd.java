package dev.junction.protocol.responses;

import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.Usage;
import dev.junction.protocol.JsonTrees;
import tools.jackson.databind.JsonNode;

/**
 * How an upstream's response object ended, read the same for a whole answer ({@link ResponsesProbe})
 * and a stream's final event ({@link ResponsesStreamDecoder}): its usage (input including cached,
 * output including reasoning, as canonical usage counts) and its finish.
 */
final class ResponsesEnd {

    private ResponsesEnd() {
    }

    /** The {@code usage} object of a response. */
    static Usage usage(JsonNode usage) {
        JsonNode input = usage.path("input_tokens_details");
        return new Usage(JsonTrees.count(usage, "input_tokens"), JsonTrees.count(usage, "output_tokens"),
                JsonTrees.count(input, "cached_tokens"), JsonTrees.count(input, "cache_write_tokens"),
                JsonTrees.count(usage.path("output_tokens_details"), "reasoning_tokens"));
    }

    /**
     * The finish of {@code response}: an incomplete one ended by the content filter or the length;
     * a complete one by its tool calls when it made any, else by stopping.
     */
    static FinishReason finish(JsonNode response, boolean incomplete, boolean calls) {
        if (incomplete) {
            return "content_filter".equals(response.path("incomplete_details").path("reason").asString(""))
                    ? FinishReason.CONTENT_FILTER : FinishReason.LENGTH;
        }
        return calls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
    }
}
