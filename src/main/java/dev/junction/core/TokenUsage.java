package dev.junction.core;

/**
 * Tokens a request consumed, as reported by the upstream. Zero where the upstream did not say.
 *
 * @param input prompt tokens
 * @param output completion tokens
 */
public record TokenUsage(long input, long output) {

    public static final TokenUsage NONE = new TokenUsage(0, 0);

    public TokenUsage {
        if (input < 0 || output < 0) {
            throw new IllegalArgumentException("token counts are never negative");
        }
    }
}
