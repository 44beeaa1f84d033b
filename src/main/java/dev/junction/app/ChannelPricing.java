package dev.junction.app;

import dev.junction.catalog.Catalog;
import dev.junction.catalog.ModelOverride;
import dev.junction.config.ChannelConfig;
import dev.junction.config.Prices;
import dev.junction.routing.Router;
import dev.junction.usage.Pricing;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Pricing} of the channels the router holds now: each channel's {@code prices:} over
 * the built-in catalog, the merged catalog made once per channel declaration (a reload that changes
 * a channel's prices makes a new one).
 */
final class ChannelPricing {

    private static final int CACHE_LIMIT = 1024;

    private ChannelPricing() {
    }

    static Pricing of(Router router) {
        Catalog builtIn = Catalog.builtIn();
        Map<Prices, Catalog> catalogs = new ConcurrentHashMap<>();
        return Pricing.of(channel -> router.current().channelNamed(channel).map(c -> {
            Prices prices = c.config().prices();
            if (prices.isEmpty()) {
                return builtIn;
            }
            Catalog known = catalogs.get(prices);
            if (known == null) {
                known = catalog(builtIn, prices);
                if (catalogs.size() < CACHE_LIMIT) {
                    catalogs.put(prices, known);
                }
            }
            return known;
        }), builtIn);
    }

    /** The catalog a channel with {@code prices} sees. */
    static Catalog catalog(Catalog builtIn, Prices prices) {
        Map<String, ModelOverride> overrides = new LinkedHashMap<>();
        prices.byModel().forEach((model, fields) -> overrides.put(model, new ModelOverride(Map.of(), Map.of(), fields)));
        return builtIn.withOverrides(overrides);
    }

    /**
     * Checks every channel's {@code prices:} against the catalog: a model the catalog lacks needs at
     * least {@code input} and {@code output}.
     *
     * @throws IllegalArgumentException naming the channel and model
     */
    static void check(Iterable<ChannelConfig> channels) {
        for (ChannelConfig channel : channels) {
            try {
                catalog(Catalog.builtIn(), channel.prices());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("channel '" + channel.name() + "': prices: " + e.getMessage(), e);
            }
        }
    }
}
