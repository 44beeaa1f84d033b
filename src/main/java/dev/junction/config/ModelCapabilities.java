package dev.junction.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A channel's {@code capabilities:} for one upstream model (DESIGN.md §3.1): the fields given win
 * over the built-in catalog; fields not given keep the catalog's value.
 *
 * @param flags given features: tools, vision, json_schema, reasoning, prefill
 * @param limits given token limits: context_window, max_output
 */
public record ModelCapabilities(Map<String, Boolean> flags, Map<String, Long> limits) {

    /** Boolean fields, in the config's spelling (the catalog's too). */
    public static final List<String> FLAG_FIELDS = List.of("tools", "vision", "json_schema", "reasoning", "prefill");
    /** Limit fields, in tokens. */
    public static final List<String> LIMIT_FIELDS = List.of("context_window", "max_output");

    public ModelCapabilities {
        flags = Collections.unmodifiableMap(new LinkedHashMap<>(flags));
        limits = Collections.unmodifiableMap(new LinkedHashMap<>(limits));
    }

    /** Every given field as config name to value ({@code Boolean} or {@code Long}), for the catalog. */
    public Map<String, Object> fields() {
        Map<String, Object> all = new LinkedHashMap<>(flags);
        all.putAll(limits);
        return all;
    }
}
