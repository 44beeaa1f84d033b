package dev.junction.catalog;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A channel's {@code capabilities:} and {@code prices:} for one upstream model (DESIGN.md §3.1),
 * which win over the catalog. Only the fields given are kept; field names are the config's.
 *
 * @param flags given boolean capabilities: tools, vision, json_schema, reasoning, prefill
 * @param limits given limits in tokens: context_window, max_output
 * @param prices given prices in micro-dollars: per 1M tokens (input, output, cached_input, cache_write),
 *     per image ({@code per_image}, {@code per_image:<size quality>}), per 1M characters
 *     ({@code per_1m_characters}), per minute of audio ({@code per_minute}), per 1K searches
 *     ({@code per_1k_searches})
 */
public record ModelOverride(Map<String, Boolean> flags, Map<String, Long> limits, Map<String, Long> prices) {

    /** Boolean capability fields, in the config's spelling. */
    public static final List<String> FLAG_FIELDS = List.of("tools", "vision", "json_schema", "reasoning", "prefill");
    /** Limit fields, in the config's spelling. */
    public static final List<String> LIMIT_FIELDS = List.of("context_window", "max_output");
    /** Price fields (USD per 1M tokens in the config), in the config's spelling. */
    public static final List<String> PRICE_FIELDS = List.of("input", "output", "cached_input", "cache_write");

    public static final ModelOverride NONE = new ModelOverride(Map.of(), Map.of(), Map.of());

    public ModelOverride {
        flags = freeze(flags, FLAG_FIELDS);
        limits = freeze(limits, LIMIT_FIELDS);
        prices = freeze(prices, null);
        for (String field : prices.keySet()) {
            if (!isPriceField(field)) {
                throw new IllegalArgumentException(field + ": unknown field; expected one of " + priceFields());
            }
        }
        limits.forEach((field, value) -> {
            if (value < 0 || (value == 0 && field.equals("context_window"))) {
                throw new IllegalArgumentException(field + ": must be positive");
            }
        });
        prices.forEach((field, value) -> {
            if (value < 0) {
                throw new IllegalArgumentException(field + ": a price is never negative");
            }
        });
    }

    /**
     * Reads the config's maps as plain values: booleans as {@code Boolean} or "true"/"false", limits as
     * a whole {@code Number} or digits, prices (USD per 1M tokens) as {@code BigDecimal}, a whole
     * {@code Number}, a {@code Double} or a decimal string (at most 6 decimal places). Null maps mean
     * none given. A wrong field or value is an {@link IllegalArgumentException} naming the field.
     */
    public static ModelOverride of(Map<String, ?> capabilities, Map<String, ?> prices) {
        Map<String, Boolean> flags = new LinkedHashMap<>();
        Map<String, Long> limits = new LinkedHashMap<>();
        Map<String, Long> micros = new LinkedHashMap<>();
        if (capabilities != null) {
            capabilities.forEach((field, value) -> {
                if (FLAG_FIELDS.contains(field)) {
                    flags.put(field, bool(field, value));
                } else if (LIMIT_FIELDS.contains(field)) {
                    limits.put(field, whole(field, value));
                } else {
                    throw new IllegalArgumentException("capabilities." + field + ": unknown field; expected one of "
                            + String.join(", ", FLAG_FIELDS) + ", " + String.join(", ", LIMIT_FIELDS));
                }
            });
        }
        if (prices != null) {
            prices.forEach((field, value) -> {
                if (!isPriceField(field)) {
                    throw new IllegalArgumentException("prices." + field + ": unknown field; expected one of "
                            + priceFields());
                }
                micros.put(field, usd("prices." + field, value));
            });
        }
        return new ModelOverride(flags, limits, micros);
    }

    public boolean isEmpty() {
        return flags.isEmpty() && limits.isEmpty() && prices.isEmpty();
    }

    /**
     * Whether {@code field} is a price field: a token rate ({@link #PRICE_FIELDS}), a unit price
     * ({@link UnitPrices#FIELDS}), or {@code per_image:<variant>} (a per-image price of one size
     * and/or quality, e.g. {@code per_image:1024x1024 hd}).
     */
    public static boolean isPriceField(String field) {
        return PRICE_FIELDS.contains(field) || UnitPrices.FIELDS.contains(field)
                || field.startsWith(IMAGE_VARIANT) && field.length() > IMAGE_VARIANT.length();
    }

    /** The prefix of a per-image price of one variant. */
    public static final String IMAGE_VARIANT = "per_image:";

    static String priceFields() {
        return String.join(", ", PRICE_FIELDS) + ", " + String.join(", ", UnitPrices.FIELDS);
    }

    /** The unit prices among the given price fields ({@link UnitPrices#NONE} when none). */
    UnitPrices unitPrices() {
        Map<String, Long> images = new LinkedHashMap<>();
        prices.forEach((field, micros) -> {
            if (field.equals("per_image")) {
                images.put("*", micros);
            } else if (field.startsWith(IMAGE_VARIANT)) {
                images.put(field.substring(IMAGE_VARIANT.length()), micros);
            }
        });
        return new UnitPrices(images, prices.getOrDefault("per_1m_characters", -1L),
                prices.getOrDefault("per_minute", -1L), prices.getOrDefault("per_1k_searches", -1L));
    }

    /** Whether a token rate is among the given price fields. */
    boolean givesTokenRates() {
        return prices.keySet().stream().anyMatch(PRICE_FIELDS::contains);
    }

    private static <V> Map<String, V> freeze(Map<String, V> map, List<String> allowed) {
        Objects.requireNonNull(map, "map");
        for (String field : map.keySet()) {
            if (allowed != null && !allowed.contains(field)) {
                throw new IllegalArgumentException(field + ": unknown field; expected one of " + String.join(", ", allowed));
            }
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    private static boolean bool(String field, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s && (s.equals("true") || s.equals("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException("capabilities." + field + ": '" + value + "' is not true or false");
    }

    private static long whole(String field, Object value) {
        try {
            BigDecimal number = switch (value) {
                case Integer i -> BigDecimal.valueOf(i);
                case Long l -> BigDecimal.valueOf(l);
                case BigDecimal d -> d;
                case String s -> new BigDecimal(s.trim().replace("_", ""));
                case null, default -> throw new NumberFormatException();
            };
            return number.longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("capabilities." + field + ": '" + value + "' is not a whole number of tokens");
        }
    }

    private static long usd(String where, Object value) {
        BigDecimal number;
        try {
            number = switch (value) {
                case BigDecimal d -> d;
                case Integer i -> BigDecimal.valueOf(i);
                case Long l -> BigDecimal.valueOf(l);
                // Double.toString is the shortest text that reads back as the same double: 0.6 stays 0.6
                case Double d -> new BigDecimal(Double.toString(d));
                case String s -> new BigDecimal(s.trim());
                case null, default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": '" + value + "' is not a price in USD per 1M tokens");
        }
        try {
            return Rates.micros(number);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }
}
