package dev.junction.core;

/**
 * Tokens a request consumed, as reported by the upstream, in one convention for every provider:
 * OpenAI-style totals, so the details are subsets of the totals and prices can be applied the same
 * way whatever the channel type.
 *
 * <ul>
 *   <li>{@code input} counts every prompt token, cached reads and cache writes included. OpenAI's
 *       {@code prompt_tokens} and the Responses API's {@code input_tokens} already do; Anthropic's
 *       {@code input_tokens} excludes {@code cache_read_input_tokens} and
 *       {@code cache_creation_input_tokens}, so its total is the three added; Gemini's
 *       {@code promptTokenCount} already includes {@code cachedContentTokenCount} (and
 *       {@code toolUsePromptTokenCount} is added).</li>
 *   <li>{@code output} counts every generated token, reasoning included. OpenAI's
 *       {@code completion_tokens} and Anthropic's {@code output_tokens} already do; Gemini's
 *       {@code candidatesTokenCount} excludes {@code thoughtsTokenCount}, so its total is the two
 *       added.</li>
 * </ul>
 *
 * Zero where the upstream did not say.
 *
 * @param input every prompt token
 * @param output every generated token
 * @param cacheRead prompt tokens served from the provider's cache (part of {@code input})
 * @param cacheWrite prompt tokens written to the provider's cache (part of {@code input})
 * @param reasoning generated tokens spent on reasoning (part of {@code output})
 */
public record TokenUsage(long input, long output, long cacheRead, long cacheWrite, long reasoning) {

    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, 0);

    public TokenUsage {
        if (input < 0 || output < 0 || cacheRead < 0 || cacheWrite < 0 || reasoning < 0) {
            throw new IllegalArgumentException("token counts are never negative");
        }
    }

    /** Prompt tokens only, as embeddings report them. */
    public static TokenUsage ofInput(long input) {
        return new TokenUsage(input, 0, 0, 0, 0);
    }
}
