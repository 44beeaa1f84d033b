package dev.junction.usage;

import dev.junction.catalog.Catalog;
import dev.junction.core.TokenUsage;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Prices a request: the served channel's price of the upstream model it was sent as (the channel's
 * {@code prices:} first, then the catalog), in integer micro-dollars. A model without a known price
 * costs "unknown" (empty), never zero and never a refusal.
 */
@FunctionalInterface
public interface Pricing {

    /** Knows no price: every cost is unknown. */
    Pricing UNKNOWN = (channel, upstreamModel, tokens) -> OptionalLong.empty();

    /**
     * The cost of {@code tokens} of {@code upstreamModel} on {@code channel}; empty when unknown.
     */
    OptionalLong cost(String channel, String upstreamModel, TokenUsage tokens);

    /**
     * Prices from the catalog each channel sees ({@link Catalog#withOverrides} with its
     * {@code prices:}); {@code catalogOf} answers empty for a channel it does not know, which then
     * uses {@code fallback} (the built-in catalog).
     */
    static Pricing of(Function<String, Optional<Catalog>> catalogOf, Catalog fallback) {
        Objects.requireNonNull(catalogOf, "catalogOf");
        Objects.requireNonNull(fallback, "fallback");
        return (channel, upstreamModel, tokens) -> catalogOf.apply(channel).orElse(fallback)
                .cost(upstreamModel, tokens.input(), tokens.output(), tokens.cacheRead(), tokens.cacheWrite(),
                        tokens.reasoning());
    }

    /**
     * {@code row} with its cost: 0 when it spent no tokens, unknown without a served channel and
     * model, else this pricing's answer. A row already priced is kept as it is.
     */
    default UsageRecord price(UsageRecord row) {
        if (row.costMicros() != null) {
            return row;
        }
        if (row.tokens().equals(TokenUsage.NONE)) {
            return row.withCost(0L);
        }
        if (row.channel() == null || row.upstreamModel() == null) {
            return row;
        }
        OptionalLong cost = cost(row.channel(), row.upstreamModel(), row.tokens());
        return cost.isPresent() ? row.withCost(cost.getAsLong()) : row;
    }
}
