package dev.junction.core.canonical;

import dev.junction.core.TokenUsage;

/**
 * Tokens one answer consumed, as a stream event or part of an answer, counted the OpenAI way (see
 * {@link TokenUsage} for how each provider's counts map): {@code input} includes the cached tokens
 * and {@code output} includes the reasoning tokens, so the details are subsets of the totals.
 *
 * @param input every prompt token
 * @param output every generated token
 * @param cacheRead prompt tokens served from the provider's cache
 * @param cacheWrite prompt tokens written to the provider's cache
 * @param reasoning generated tokens spent on reasoning
 */
public record Usage(long input, long output, long cacheRead, long cacheWrite, long reasoning) {

    public static final Usage NONE = new Usage(0, 0, 0, 0, 0);

    public Usage {
        if (input < 0 || output < 0 || cacheRead < 0 || cacheWrite < 0 || reasoning < 0) {
            throw new IllegalArgumentException("token counts are never negative");
        }
    }

    /** The counts the usage record keeps: all five. */
    public TokenUsage tokens() {
        return new TokenUsage(input, output, cacheRead, cacheWrite, reasoning);
    }
}
