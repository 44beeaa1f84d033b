package dev.junction.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A channel's {@code prices:} (DESIGN.md §3.1): what the channel's operator pays per upstream model,
 * winning over the catalog's price. Amounts are exact integers in micro-dollars per the field's unit
 * ({@code 0.60} USD is {@code 600_000}); only the fields given are kept.
 *
 * @param byModel upstream model name to its given fields ({@link #FIELDS}) in micro-dollars per 1M tokens
 */
public record Prices(Map<String, Map<String, Long>> byModel) {

    /**
     * The price fields, in the config's spelling: per 1M tokens, then per unit (USD per image, per 1M
     * characters of speech input, per minute of audio, per 1K rerank searches). {@code per_image} may
     * also be a mapping by size and/or quality, kept as {@code per_image:<variant>} fields.
     */
    public static final List<String> FIELDS = List.of("input", "output", "cached_input", "cache_write", "per_image",
            "per_1m_characters", "per_minute", "per_1k_searches");

    public static final Prices NONE = new Prices(Map.of());

    public Prices {
        Map<String, Map<String, Long>> copy = new LinkedHashMap<>();
        byModel.forEach((model, fields) -> copy.put(model, Collections.unmodifiableMap(new LinkedHashMap<>(fields))));
        byModel = Collections.unmodifiableMap(copy);
    }

    public boolean isEmpty() {
        return byModel.isEmpty();
    }
}
