package dev.junction.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Per-channel request adjustments for providers that deviate from the API they claim to speak
 * (an OpenAI-compatible server that rejects {@code stream_options}, or whose default
 * {@code max_tokens} is tiny). Names are OpenAI chat-completion parameter names, whatever the
 * channel's type, so one vocabulary configures every channel.
 *
 * @param dropParams top-level request fields removed before sending (with a default of the same
 *     name, the default replaces the client's value)
 * @param defaults top-level fields added when the client did not send them; values are plain
 *     Java values ({@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code List},
 *     {@code Map}, or null)
 * @param streamOptions whether the provider accepts {@code stream_options}; when false the gateway
 *     neither injects it nor forwards the client's
 */
public record ChannelQuirks(Set<String> dropParams, Map<String, Object> defaults, boolean streamOptions) {

    public static final ChannelQuirks NONE = new ChannelQuirks(Set.of(), Map.of(), true);

    /** {@code max_tokens} and {@code max_completion_tokens} are one limit under two names. */
    private static final List<String> MAX_TOKENS = List.of("max_tokens", "max_completion_tokens");

    public ChannelQuirks {
        dropParams = Collections.unmodifiableSet(new LinkedHashSet<>(dropParams));
        defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
    }

    /** Whether the request body must be edited beyond the model name. */
    public boolean editsBody() {
        return !dropParams.isEmpty() || !defaults.isEmpty() || !streamOptions;
    }

    /**
     * Whether a default for {@code name} applies, given the top-level fields left after dropping
     * (so dropping a field and giving it a default forces the value).
     */
    public boolean defaultApplies(String name, Set<String> remaining) {
        Objects.requireNonNull(name, "name");
        if (remaining.contains(name)) {
            return false;
        }
        return !MAX_TOKENS.contains(name) || MAX_TOKENS.stream().noneMatch(remaining::contains);
    }
}
