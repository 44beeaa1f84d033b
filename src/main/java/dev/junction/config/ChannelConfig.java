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
 * One upstream provider connection as the config file describes it.
 *
 * @param name unique channel name
 * @param type wire format the upstream speaks
 * @param baseUrl the value the provider's own SDK takes (see DESIGN.md §3)
 * @param apiKeys provider keys; empty for upstreams without auth (a local Ollama)
 * @param models public model name to upstream model name, in file order
 * @param priority higher tiers are tried first
 * @param weight share of traffic inside the tier
 * @param timeouts upstream time limits
 * @param keySelection how a multi-key channel picks its next key
 * @param healthCheck optional periodic test request
 * @param quirks request adjustments for this provider ({@code drop_params}, {@code defaults},
 *     {@code stream_options})
 * @param responses whether an {@code openai} channel's upstream also serves the Responses API
 *     ({@code POST /responses}), so {@code /v1/responses} requests pass through to it
 */
public record ChannelConfig(
        String name,
        ChannelType type,
        URI baseUrl,
        List<String> apiKeys,
        Map<String, String> models,
        int priority,
        int weight,
        Timeouts timeouts,
        KeySelection keySelection,
        Optional<HealthCheck> healthCheck,
        ChannelQuirks quirks,
        boolean responses) {

    /** How the keys of a multi-key channel take turns. */
    public enum KeySelection { ROUND_ROBIN, RANDOM }

    public ChannelConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(keySelection, "keySelection");
        Objects.requireNonNull(healthCheck, "healthCheck");
        Objects.requireNonNull(quirks, "quirks");
        apiKeys = List.copyOf(apiKeys);
        models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be at least 1");
        }
    }

    /** A channel that does not serve the Responses API. */
    public ChannelConfig(String name, ChannelType type, URI baseUrl, List<String> apiKeys, Map<String, String> models,
            int priority, int weight, Timeouts timeouts, KeySelection keySelection,
            Optional<HealthCheck> healthCheck, ChannelQuirks quirks) {
        this(name, type, baseUrl, apiKeys, models, priority, weight, timeouts, keySelection, healthCheck, quirks,
                false);
    }

    /** A channel without quirks. */
    public ChannelConfig(String name, ChannelType type, URI baseUrl, List<String> apiKeys, Map<String, String> models,
            int priority, int weight, Timeouts timeouts, KeySelection keySelection,
            Optional<HealthCheck> healthCheck) {
        this(name, type, baseUrl, apiKeys, models, priority, weight, timeouts, keySelection, healthCheck,
                ChannelQuirks.NONE);
    }

    /** What the upstream speaks, for choosing a pass-through. */
    public ChannelApi api() {
        return new ChannelApi(type, responses);
    }

    @Override
    public String toString() {
        return "ChannelConfig[name=" + name + ", type=" + type.configName() + ", baseUrl=" + baseUrl
                + ", keys=" + apiKeys.size() + ", models=" + models + ", priority=" + priority + ", weight=" + weight
                + "]";
    }
}
