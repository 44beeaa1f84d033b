package dev.junction.routing;

import dev.junction.core.Needs;

/**
 * What one channel's upstream model can serve and what it costs, as routing compares it with a
 * request: features as a {@link Needs} bitmask, token limits, and prices. Built once per routing
 * snapshot (from the catalog and the channel's {@code capabilities:}/{@code prices:}), so checking
 * a candidate is a few integer operations.
 *
 * @param mask the features it serves ({@link Needs#TOOLS}, {@link Needs#VISION}, ...)
 * @param contextWindow prompt plus output tokens it accepts; {@link Long#MAX_VALUE} when unknown
 * @param maxOutput most output tokens per answer; {@link Long#MAX_VALUE} when unknown
 * @param inputPrice micro-dollars per 1M input tokens; -1 when unknown
 * @param outputPrice micro-dollars per 1M output tokens; -1 when unknown
 * @param known whether the catalog or the channel's config describes the model (false: it is
 *     assumed capable, and the explain view says so)
 */
public record ModelTraits(int mask, long contextWindow, long maxOutput, long inputPrice, long outputPrice,
        boolean known) {

    /** Every feature routing checks. */
    public static final int ALL = Needs.TOOLS | Needs.VISION | Needs.JSON_SCHEMA | Needs.REASONING;

    /** A model nobody describes: assumed capable, no limits, price unknown. */
    public static final ModelTraits ASSUMED = new ModelTraits(ALL, Long.MAX_VALUE, Long.MAX_VALUE, -1, -1, false);

    /** Features the capability filter holds a request to (reasoning is a hint, never a reason to refuse). */
    static final int FILTERED = Needs.TOOLS | Needs.VISION | Needs.JSON_SCHEMA;

    /** The features of {@code needs} this model lacks, as bits; 0 when it has them all. */
    public int missing(Needs needs) {
        return needs.mask() & FILTERED & ~mask;
    }

    /** Whether the prompt and the output asked for fit the model's window and output limit. */
    public boolean fits(Needs needs) {
        long output = needs.maxOutput();
        return output <= maxOutput && needs.promptTokens() <= contextWindow - output;
    }

    /** Whether a price is known. */
    public boolean priced() {
        return inputPrice >= 0 && outputPrice >= 0;
    }

    /** The estimated cost in micro-dollars of {@code input} and {@code output} tokens; 0 when unpriced. */
    public long cost(long input, long output) {
        if (!priced()) {
            return 0;
        }
        double micros = ((double) input * inputPrice + (double) output * outputPrice) / 1_000_000d;
        return (long) Math.ceil(micros);
    }
}
