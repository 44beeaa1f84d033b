package dev.junction.protocol.openai;

import dev.junction.core.canonical.Usage;
import dev.junction.protocol.JsonTrees;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * OpenAI's {@code usage} object, both ways. Canonical usage is counted the OpenAI way (cached
 * tokens inside the prompt count, reasoning inside the completion count), so the numbers map one
 * to one.
 */
final class ChatUsage {

    private ChatUsage() {
    }

    /** Writes the usage object; cache and reasoning counts are subsets of the totals. */
    static void write(JsonGenerator g, Usage usage) {
        g.writeStartObject();
        g.writeNumberProperty("prompt_tokens", usage.input());
        g.writeNumberProperty("completion_tokens", usage.output());
        g.writeNumberProperty("total_tokens", usage.input() + usage.output());
        g.writeName("prompt_tokens_details");
        g.writeStartObject();
        g.writeNumberProperty("cached_tokens", usage.cacheRead());
        if (usage.cacheWrite() > 0) {
            g.writeNumberProperty("cache_creation_tokens", usage.cacheWrite());
        }
        g.writeEndObject();
        g.writeName("completion_tokens_details");
        g.writeStartObject();
        g.writeNumberProperty("reasoning_tokens", usage.reasoning());
        g.writeEndObject();
        g.writeEndObject();
    }

    /**
     * Reads a provider's usage object. Cached prompt tokens are OpenAI's
     * {@code prompt_tokens_details.cached_tokens}, DeepSeek's {@code prompt_cache_hit_tokens} or
     * Moonshot's top-level {@code cached_tokens}, whichever is given.
     */
    static Usage read(JsonNode usage) {
        JsonNode prompt = usage.path("prompt_tokens_details");
        long cacheRead = prompt.has("cached_tokens") ? JsonTrees.count(prompt, "cached_tokens")
                : usage.has("prompt_cache_hit_tokens") ? JsonTrees.count(usage, "prompt_cache_hit_tokens")
                : JsonTrees.count(usage, "cached_tokens");
        return new Usage(JsonTrees.count(usage, "prompt_tokens"), JsonTrees.count(usage, "completion_tokens"),
                cacheRead, JsonTrees.count(prompt, "cache_creation_tokens"),
                JsonTrees.count(usage.path("completion_tokens_details"), "reasoning_tokens"));
    }
}
