package dev.junction.config;

import dev.junction.core.ChannelApi;
import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One upstream provider connection as the config file (or the admin API) describes it. Settings
 * are grouped by concern into nested records, so a new section (retries, limits, prices...) is one
 * more component, and code that builds channels uses {@link #builder} rather than a positional
 * constructor. The flat accessors ({@link #type()}, {@link #priority()}, {@link #apiKeys()}...)
 * read through to the groups.
 *
 * @param name unique channel name
 * @param endpoint where the upstream is and what it speaks
 * @param keys the provider keys and how they take turns
 * @param models public model name to upstream model name, in file order
 * @param routing where the channel sits among the candidates for a model
 * @param timeouts upstream time limits
 * @param healthCheck optional periodic test request
 * @param quirks request adjustments for this provider ({@code drop_params}, {@code defaults},
 *     {@code stream_options})
 * @param limits the channel's own quota ({@code limits:}); at a limit it is skipped
 * @param capabilities per upstream model, what it can serve where the catalog is wrong or silent
 *     ({@code capabilities:})
 * @param prices what the channel pays per upstream model ({@code prices:}), winning over the catalog
 */
public record ChannelConfig(
        String name,
        Endpoint endpoint,
        Keys keys,
        Map<String, String> models,
        Routing routing,
        Timeouts timeouts,
        Optional<HealthCheck> healthCheck,
        ChannelQuirks quirks,
        ChannelLimits limits,
        Map<String, ModelCapabilities> capabilities,
        Prices prices) {

    /** How the keys of a multi-key channel take turns. */
    public enum KeySelection { ROUND_ROBIN, RANDOM }

    /**
     * The upstream's address and wire format.
     *
     * @param type wire format the upstream speaks
     * @param baseUrl the value the provider's own SDK takes (see DESIGN.md §3)
     * @param responses whether an {@code openai} channel's upstream also serves the Responses API
     *     ({@code POST /responses}), so {@code /v1/responses} requests pass through to it
     * @param listModels {@code models: auto}: the models are the ones the upstream lists at
     *     {@code GET {base_url}/models}, asked for at start-up (openai channels only)
     */
    public record Endpoint(ChannelType type, URI baseUrl, boolean responses, boolean listModels) {

        public Endpoint {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(baseUrl, "baseUrl");
        }

        /** An upstream whose models the config lists. */
        public Endpoint(ChannelType type, URI baseUrl, boolean responses) {
            this(type, baseUrl, responses, false);
        }

        /** What the upstream speaks, for choosing a pass-through. */
        public ChannelApi api() {
            return new ChannelApi(type, responses);
        }
    }

    /**
     * The provider keys of a channel.
     *
     * @param apiKeys provider keys; empty for upstreams without auth (a local Ollama)
     * @param selection how a multi-key channel picks its next key
     */
    public record Keys(List<String> apiKeys, KeySelection selection) {

        public Keys {
            apiKeys = List.copyOf(apiKeys);
            Objects.requireNonNull(selection, "selection");
        }

        @Override
        public String toString() {
            return "Keys[count=" + apiKeys.size() + ", selection=" + selection + "]";
        }
    }

    /**
     * The channel's place among the candidates for a model.
     *
     * @param priority higher tiers are tried first
     * @param weight share of traffic inside the tier, at least 1
     * @param retries same-channel retries after a failure before moving on (0: move on at once)
     */
    public record Routing(int priority, int weight, int retries) {

        public static final Routing DEFAULT = new Routing(0, 1, 0);

        public Routing {
            if (weight < 1) {
                throw new IllegalArgumentException("weight must be at least 1");
            }
            if (retries < 0) {
                throw new IllegalArgumentException("retries must not be negative");
            }
        }

        public Routing(int priority, int weight) {
            this(priority, weight, 0);
        }
    }

    public ChannelConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(keys, "keys");
        models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(healthCheck, "healthCheck");
        Objects.requireNonNull(quirks, "quirks");
        Objects.requireNonNull(limits, "limits");
        capabilities = Collections.unmodifiableMap(new LinkedHashMap<>(capabilities));
        Objects.requireNonNull(prices, "prices");
    }

    /** A channel with every optional setting at its default; set the rest on the builder. */
    public static Builder builder(String name, ChannelType type, URI baseUrl) {
        return new Builder(name, type, baseUrl);
    }

    /** A builder holding this channel's settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder(name, endpoint.type(), endpoint.baseUrl())
                .responses(endpoint.responses())
                .listModels(endpoint.listModels())
                .apiKeys(keys.apiKeys())
                .keySelection(keys.selection())
                .models(models)
                .priority(routing.priority())
                .weight(routing.weight())
                .retries(routing.retries())
                .timeouts(timeouts)
                .healthCheck(healthCheck)
                .quirks(quirks)
                .limits(limits)
                .capabilities(capabilities)
                .prices(prices);
    }

    public ChannelType type() {
        return endpoint.type();
    }

    public URI baseUrl() {
        return endpoint.baseUrl();
    }

    public boolean responses() {
        return endpoint.responses();
    }

    /** {@code models: auto}: the models come from the upstream's list (see {@link Endpoint#listModels()}). */
    public boolean listModels() {
        return endpoint.listModels();
    }

    /** What the upstream speaks, for choosing a pass-through. */
    public ChannelApi api() {
        return endpoint.api();
    }

    public List<String> apiKeys() {
        return keys.apiKeys();
    }

    public KeySelection keySelection() {
        return keys.selection();
    }

    public int priority() {
        return routing.priority();
    }

    public int weight() {
        return routing.weight();
    }

    /** Same-channel retries before moving on to the next channel. */
    public int retries() {
        return routing.retries();
    }

    @Override
    public String toString() {
        return "ChannelConfig[name=" + name + ", type=" + type().configName() + ", baseUrl=" + baseUrl()
                + ", keys=" + apiKeys().size() + ", models=" + models + ", priority=" + priority()
                + ", weight=" + weight() + "]";
    }

    /** Builds a {@link ChannelConfig}; every setting but name, type and base URL has a default. */
    public static final class Builder {

        private final String name;
        private final ChannelType type;
        private final URI baseUrl;
        private boolean responses;
        private boolean listModels;
        private List<String> apiKeys = List.of();
        private KeySelection keySelection = KeySelection.ROUND_ROBIN;
        private Map<String, String> models = new LinkedHashMap<>();
        private int priority = Routing.DEFAULT.priority();
        private int weight = Routing.DEFAULT.weight();
        private int retries = Routing.DEFAULT.retries();
        private Timeouts timeouts = Timeouts.DEFAULT;
        private Optional<HealthCheck> healthCheck = Optional.empty();
        private ChannelQuirks quirks = ChannelQuirks.NONE;
        private ChannelLimits limits = ChannelLimits.NONE;
        private Map<String, ModelCapabilities> capabilities = Map.of();
        private Prices prices = Prices.NONE;

        private Builder(String name, ChannelType type, URI baseUrl) {
            this.name = Objects.requireNonNull(name, "name");
            this.type = Objects.requireNonNull(type, "type");
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        }

        /** Public model name to upstream model name, in order. */
        public Builder models(Map<String, String> publicToUpstream) {
            this.models = new LinkedHashMap<>(publicToUpstream);
            return this;
        }

        /** Models served under their upstream names. */
        public Builder models(String... names) {
            Map<String, String> same = new LinkedHashMap<>();
            for (String model : names) {
                same.put(model, model);
            }
            return models(same);
        }

        public Builder apiKeys(List<String> keys) {
            this.apiKeys = List.copyOf(keys);
            return this;
        }

        public Builder apiKeys(String... keys) {
            return apiKeys(List.of(keys));
        }

        public Builder keySelection(KeySelection selection) {
            this.keySelection = Objects.requireNonNull(selection, "selection");
            return this;
        }

        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        public Builder weight(int weight) {
            this.weight = weight;
            return this;
        }

        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        public Builder timeouts(Timeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
            return this;
        }

        public Builder healthCheck(Optional<HealthCheck> check) {
            this.healthCheck = Objects.requireNonNull(check, "check");
            return this;
        }

        public Builder healthCheck(HealthCheck check) {
            return healthCheck(Optional.of(check));
        }

        public Builder quirks(ChannelQuirks quirks) {
            this.quirks = Objects.requireNonNull(quirks, "quirks");
            return this;
        }

        public Builder limits(ChannelLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Upstream model name to its capability overrides. */
        public Builder capabilities(Map<String, ModelCapabilities> capabilities) {
            this.capabilities = new LinkedHashMap<>(capabilities);
            return this;
        }

        /** {@code prices:}: per upstream model, what the channel pays (micro-dollars per 1M tokens). */
        public Builder prices(Prices prices) {
            this.prices = Objects.requireNonNull(prices, "prices");
            return this;
        }

        public Builder responses(boolean responses) {
            this.responses = responses;
            return this;
        }

        /** {@code models: auto}: the upstream lists the models (resolved at start-up). */
        public Builder listModels(boolean listModels) {
            this.listModels = listModels;
            return this;
        }

        public ChannelConfig build() {
            return new ChannelConfig(name, new Endpoint(type, baseUrl, responses, listModels),
                    new Keys(apiKeys, keySelection), models, new Routing(priority, weight, retries), timeouts,
                    healthCheck, quirks, limits, capabilities, prices);
        }
    }
}
