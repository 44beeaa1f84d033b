package dev.junction.app;

import dev.junction.catalog.Capabilities;
import dev.junction.catalog.Catalog;
import dev.junction.catalog.ModelInfo;
import dev.junction.catalog.ModelOverride;
import dev.junction.catalog.Price;
import dev.junction.catalog.Rates;
import dev.junction.catalog.UnitPrices;
import dev.junction.config.ChannelConfig;
import dev.junction.config.ModelCapabilities;
import dev.junction.core.Needs;
import dev.junction.core.Units;
import dev.junction.routing.ModelFacts;
import dev.junction.routing.ModelTraits;
import dev.junction.routing.UnitRates;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What routing knows about each channel's upstream model: the built-in catalog with the channel's
 * {@code capabilities:} (and {@code prices:}) applied on top. A model neither describes is assumed
 * capable.
 */
final class CatalogFacts implements ModelFacts {

    private final Catalog catalog;

    CatalogFacts(Catalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public ModelTraits traits(ChannelConfig channel, String upstreamModel) {
        Optional<ModelInfo> found = channelCatalog(channel).model(upstreamModel);
        if (found.isEmpty()) {
            return ModelTraits.ASSUMED;
        }
        ModelInfo info = found.get();
        Capabilities caps = info.capabilities();
        int mask = (caps.tools() ? Needs.TOOLS : 0) | (caps.vision() ? Needs.VISION : 0)
                | (caps.jsonSchema() ? Needs.JSON_SCHEMA : 0) | (caps.reasoning() ? Needs.REASONING : 0);
        Rates rates = info.price().map(price -> price.base()).orElse(null);
        UnitPrices units = info.price().map(Price::units).orElse(UnitPrices.NONE);
        return new ModelTraits(mask, caps.contextWindow(), caps.maxOutput(), rates == null ? -1 : rates.input(),
                rates == null ? -1 : rates.output(), info.catalogued() || !info.overridden().isEmpty(),
                units.isEmpty() ? UnitRates.NONE : unitRates(units));
    }

    /** {@code units} as routing asks them: the price that applies to a request's unit (and image variant). */
    static UnitRates unitRates(UnitPrices units) {
        return asked -> switch (asked.unit()) {
            case Units.IMAGE -> units.imageVariant(asked.detail())
                    .map(key -> new UnitRates.Price(key.equals("*") ? "per_image" : "per_image " + key,
                            units.perImage().get(key), 1))
                    .orElse(null);
            case Units.CHARACTER -> units.perMillionCharacters() < 0 ? null
                    : new UnitRates.Price("per_1m_characters", units.perMillionCharacters(), 1_000_000);
            case Units.SECOND -> units.perMinute() < 0 ? null
                    : new UnitRates.Price("per_minute", units.perMinute(), 60);
            case Units.SEARCH -> units.perThousandSearches() < 0 ? null
                    : new UnitRates.Price("per_1k_searches", units.perThousandSearches(), 1_000);
            default -> null;
        };
    }

    /** The catalog as {@code channel} sees it: its overrides win, field by field. */
    Catalog channelCatalog(ChannelConfig channel) {
        Map<String, ModelOverride> overrides = overrides(channel);
        return overrides.isEmpty() ? catalog : catalog.withOverrides(overrides);
    }

    /**
     * A channel's overrides per upstream model, from its {@code capabilities:} and {@code prices:}: the
     * one place both are read, so a new field joins here.
     */
    static Map<String, ModelOverride> overrides(ChannelConfig channel) {
        Map<String, ModelOverride> byModel = new LinkedHashMap<>();
        for (Map.Entry<String, ModelCapabilities> entry : channel.capabilities().entrySet()) {
            byModel.put(entry.getKey(), ModelOverride.of(entry.getValue().fields(), null));
        }
        channel.prices().byModel().forEach((model, micros) -> byModel.merge(model,
                new ModelOverride(Map.of(), Map.of(), micros),
                (caps, price) -> new ModelOverride(caps.flags(), caps.limits(), price.prices())));
        return byModel;
    }
}
