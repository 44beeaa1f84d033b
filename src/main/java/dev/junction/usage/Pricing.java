package dev.junction.usage;

import dev.junction.catalog.Catalog;
import dev.junction.core.TokenUsage;
import dev.junction.core.Units;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Prices a request: the served channel's price of the upstream model it was sent as (the channel's
 * {@code prices:} first, then the catalog), in integer micro-dollars, by its tokens or by its units
 * (images, characters, seconds of audio, searches; see {@link Catalog#cost(String, TokenUsage, Units)}). A model without a known price
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
     * The cost of a request that spent {@code tokens} and {@code units} (its images, characters,
     * seconds of audio, searches); empty when unknown. A pricing that knows only tokens prices the
     * tokens.
     */
    default OptionalLong cost(String channel, String upstreamModel, TokenUsage tokens, Units units) {
        return units.isTokens() || !tokens.equals(TokenUsage.NONE) ? cost(channel, upstreamModel, tokens)
                : units.count() == 0 ? OptionalLong.of(0) : OptionalLong.empty();
    }

    /**
     * Prices from the catalog each channel sees ({@link Catalog#withOverrides} with its
     * {@code prices:}); {@code catalogOf} answers empty for a channel it does not know, which then
     * uses {@code fallback} (the built-in catalog).
     */
    static Pricing of(Function<String, Optional<Catalog>> catalogOf, Catalog fallback) {
        Objects.requireNonNull(catalogOf, "catalogOf");
        Objects.requireNonNull(fallback, "fallback");
        return new Pricing() {
            @Override
            public OptionalLong cost(String channel, String upstreamModel, TokenUsage tokens) {
                return catalogOf.apply(channel).orElse(fallback).cost(upstreamModel, tokens.input(), tokens.output(),
                        tokens.cacheRead(), tokens.cacheWrite(), tokens.reasoning());
            }

            @Override
            public OptionalLong cost(String channel, String upstreamModel, TokenUsage tokens, Units units) {
                return catalogOf.apply(channel).orElse(fallback).cost(upstreamModel, tokens, units);
            }
        };
    }

    /**
     * {@code row} with its cost: 0 when it spent no tokens, unknown without a served channel and
     * model, else this pricing's answer. A row already priced is kept as it is.
     */
    default UsageRecord price(UsageRecord row) {
        if (row.costMicros() != null) {
            return row;
        }
        if (row.tokens().equals(TokenUsage.NONE) && row.units().count() == 0) {
            return row.withCost(0L);
        }
        if (row.channel() == null || row.upstreamModel() == null) {
            return row;
        }
        OptionalLong cost = cost(row.channel(), row.upstreamModel(), row.tokens(), row.units());
        return cost.isPresent() ? row.withCost(cost.getAsLong()) : row;
    }
}
