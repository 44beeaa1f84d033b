package dev.junction.routing;

import dev.junction.core.Needs;
import dev.junction.core.Units;

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
 * @param unitRates its prices per image, character, minute of audio or search ({@link UnitRates#NONE}
 *     for a model billed by tokens only)
 */
public record ModelTraits(int mask, long contextWindow, long maxOutput, long inputPrice, long outputPrice,
        boolean known, UnitRates unitRates) {

    /** Output tokens {@code cheapest} assumes for a request that does not say how many it wants. */
    static final long ASSUMED_OUTPUT = 1_000;

    public ModelTraits {
        java.util.Objects.requireNonNull(unitRates, "unitRates");
    }

    /** Traits of a model billed by tokens only. */
    public ModelTraits(int mask, long contextWindow, long maxOutput, long inputPrice, long outputPrice,
            boolean known) {
        this(mask, contextWindow, maxOutput, inputPrice, outputPrice, known, UnitRates.NONE);
    }

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

    /**
     * What a request with {@code needs} is estimated to cost on this model, as {@code cheapest}
     * compares channels: a media request by the price of its unit (per image at its size and
     * quality, per 1M characters, per minute, per 1K searches) times the units it asks for; any other
     * by the token rates (input × prompt + output × the output asked for, or
     * {@value #ASSUMED_OUTPUT} tokens when not asked; a moderation by its input alone). Unknown when
     * the price that applies is: a media model with no price for the request's unit is unknown even
     * when it has token rates, since the tokens an image or a minute takes cannot be estimated.
     */
    public Quote quote(Needs needs) {
        Units units = needs.units();
        if (needs.billedByUnits()) {
            UnitRates.Price price = unitRates.price(units);
            return price == null ? Quote.unknown(units.unit()) : new Quote(price.basis(), price.micros(),
                    price.cost(Math.max(1, units.count())));
        }
        if (!priced()) {
            return Quote.unknown("tokens");
        }
        long prompt = Math.max(1, needs.promptTokens());
        long output = units != null ? 0 : needs.maxOutput() > 0 ? needs.maxOutput() : ASSUMED_OUTPUT;
        return new Quote("tokens", -1, ((double) inputPrice * prompt + (double) outputPrice * output) / 1_000_000d);
    }

    /**
     * A request's estimated cost on one model.
     *
     * @param basis what it is priced by: {@code tokens}, or a unit price's name ({@code per_image 1024x1024 hd})
     * @param unitMicros the unit price in micro-dollars; -1 for tokens or unknown
     * @param micros the estimated cost in micro-dollars; {@link Double#POSITIVE_INFINITY} when unknown
     */
    public record Quote(String basis, long unitMicros, double micros) {

        static Quote unknown(String what) {
            return new Quote(what, -1, Double.POSITIVE_INFINITY);
        }

        public boolean known() {
            return micros != Double.POSITIVE_INFINITY;
        }
    }

    /** The cost a channel's {@code usd_*} limits reserve for a request with {@code needs}, in micro-dollars. */
    long reserveCost(Needs needs, long tokens) {
        if (needs.billedByUnits()) {
            Quote quote = quote(needs);
            return quote.known() ? (long) Math.ceil(quote.micros()) : 0;
        }
        return cost(tokens, 0);
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
