package dev.junction.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code routing:} section (DESIGN.md §3.1): per public model, how its channels are ordered,
 * which other public models serve when its pool cannot, and whether a conversation sticks to the
 * channel that served it. A model not listed routes {@link ModelRouting#DEFAULT weighted}.
 *
 * @param models public model name to its routing
 */
public record RoutingConfig(Map<String, ModelRouting> models) {

    public static final RoutingConfig DEFAULT = new RoutingConfig(Map.of());

    public RoutingConfig {
        models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    }

    /** How {@code model} routes; the default when it is not listed. */
    public ModelRouting of(String model) {
        return models.getOrDefault(model, ModelRouting.DEFAULT);
    }

    /** How the channels of one public model are ordered. */
    public enum Strategy {
        /** Priority tiers, weighted random inside a tier (the default). */
        WEIGHTED,
        /** Strict order: priority, then weight, then declaration order. */
        PRIORITY,
        /** Lowest price of the upstream model first; ties by weight. */
        CHEAPEST,
        /** Best measured time to first token and output speed (power of two choices, some exploration). */
        FASTEST,
        /** Fewest requests in flight relative to the channel's {@code concurrent} limit. */
        LEAST_BUSY,
        /** Largest remaining share of its quota first, so quotas drain together. */
        QUOTA_BALANCED;

        /** The config spelling: {@code least_busy}. */
        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One public model's routing.
     *
     * @param strategy how its channels are ordered
     * @param fallbacks other public models tried in order when every channel of this one failed or is at
     *     its limits
     * @param affinity whether a conversation sticks to the channel (and key) that served it
     * @param affinityTtl how long a conversation's channel is remembered after its last request
     */
    public record ModelRouting(Strategy strategy, List<String> fallbacks, boolean affinity, Duration affinityTtl) {

        public static final Duration DEFAULT_AFFINITY_TTL = Duration.ofHours(1);
        public static final ModelRouting DEFAULT = new ModelRouting(Strategy.WEIGHTED, List.of(), false,
                DEFAULT_AFFINITY_TTL);

        public ModelRouting {
            Objects.requireNonNull(strategy, "strategy");
            fallbacks = List.copyOf(fallbacks);
            Objects.requireNonNull(affinityTtl, "affinityTtl");
        }
    }
}
