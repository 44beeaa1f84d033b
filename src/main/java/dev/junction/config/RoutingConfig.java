package dev.junction.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
     * @param complexity when set, this public model is a router over two others: simple requests go to
     *     one, hard ones to the other (its own channels, if any, are not used)
     */
    public record ModelRouting(Strategy strategy, List<String> fallbacks, boolean affinity, Duration affinityTtl,
            Optional<Complexity> complexity) {

        public static final Duration DEFAULT_AFFINITY_TTL = Duration.ofHours(1);
        public static final ModelRouting DEFAULT = new ModelRouting(Strategy.WEIGHTED, List.of(), false,
                DEFAULT_AFFINITY_TTL);

        public ModelRouting {
            Objects.requireNonNull(strategy, "strategy");
            fallbacks = List.copyOf(fallbacks);
            Objects.requireNonNull(affinityTtl, "affinityTtl");
            Objects.requireNonNull(complexity, "complexity");
        }

        /** A model routed over its own channels (no complexity routing). */
        public ModelRouting(Strategy strategy, List<String> fallbacks, boolean affinity, Duration affinityTtl) {
            this(strategy, fallbacks, affinity, affinityTtl, Optional.empty());
        }
    }

    /**
     * Complexity routing ({@code complexity:} of a {@code routing:} entry): a rule-based score of the
     * request (tools, code blocks, a reasoning request, prompt length, conversation depth, reasoning
     * words, images, a JSON schema) sends requests scoring below {@code threshold} to the public model
     * {@code simple} and the rest to {@code hard}.
     *
     * @param simple the public model for simple requests (the cheap one)
     * @param hard the public model for hard requests (the strong one)
     * @param threshold the score at and above which a request is hard
     * @param longPrompt estimated prompt tokens from which the prompt counts as long
     * @param deepConversation messages from which the conversation counts as deep
     */
    public record Complexity(String simple, String hard, int threshold, long longPrompt, int deepConversation) {

        public static final int DEFAULT_THRESHOLD = 3;
        public static final long DEFAULT_LONG_PROMPT = 2_000;
        public static final int DEFAULT_DEEP_CONVERSATION = 12;

        public Complexity {
            Objects.requireNonNull(simple, "simple");
            Objects.requireNonNull(hard, "hard");
        }
    }
}
