package dev.junction.catalog;

/**
 * What a model can serve. Limits are tokens; {@link #NO_LIMIT} means no known limit (a model the
 * catalog lacks is assumed capable, so nothing breaks for it).
 *
 * @param contextWindow prompt plus output tokens the model accepts
 * @param maxOutput most tokens one answer may generate (0 for embedding models)
 * @param tools function/tool calling
 * @param vision image input
 * @param jsonSchema structured output constrained by a JSON schema, natively
 * @param reasoning thinking/reasoning tokens
 * @param prefill continues a trailing assistant message (Anthropic-style prefill) natively
 */
public record Capabilities(
        long contextWindow, long maxOutput, boolean tools, boolean vision, boolean jsonSchema, boolean reasoning,
        boolean prefill) {

    /** A limit nobody knows. */
    public static final long NO_LIMIT = Long.MAX_VALUE;

    /** Everything allowed, no known limits: what an uncatalogued model is assumed to be. */
    public static final Capabilities ASSUMED = new Capabilities(NO_LIMIT, NO_LIMIT, true, true, true, true, true);

    public Capabilities {
        if (contextWindow <= 0) {
            throw new IllegalArgumentException("context_window must be positive");
        }
        if (maxOutput < 0) {
            throw new IllegalArgumentException("max_output must not be negative");
        }
        if (maxOutput > contextWindow) {
            throw new IllegalArgumentException("max_output " + maxOutput + " is above context_window " + contextWindow);
        }
    }

    /**
     * Whether a request with {@code promptTokens} (estimated) and {@code requestedOutput} (the
     * client's max tokens, or 0) fits: output within {@code maxOutput}, both within the window.
     */
    public boolean fits(long promptTokens, long requestedOutput) {
        return requestedOutput <= maxOutput && promptTokens <= contextWindow - requestedOutput;
    }
}
