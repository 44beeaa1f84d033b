package dev.junction.catalog;

import dev.junction.core.Units;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a model costs per unit other than tokens, in micro-dollars, as providers publish it: per
 * image (by size and quality), per 1M characters of speech input, per minute of audio, per 1K
 * searches. A unit without a price here is unknown, never free.
 *
 * @param perImage micro-dollars per image by variant: {@code "1024x1024 hd"} (size, a space,
 *     quality), {@code "1024x1024"} (size), {@code "hd"} (quality) or {@code "*"} (any); a lookup
 *     tries them in that order
 * @param perMillionCharacters micro-dollars per 1M characters (text to speech), or -1
 * @param perMinute micro-dollars per minute of audio (speech to text), or -1
 * @param perThousandSearches micro-dollars per 1K searches (rerank), or -1
 */
public record UnitPrices(Map<String, Long> perImage, long perMillionCharacters, long perMinute,
        long perThousandSearches) {

    public static final UnitPrices NONE = new UnitPrices(Map.of(), -1, -1, -1);

    /** Unit price fields, in the catalog's and the config's spelling. */
    public static final List<String> FIELDS = List.of("per_image", "per_1m_characters", "per_minute",
            "per_1k_searches");

    public UnitPrices {
        Map<String, Long> copy = new LinkedHashMap<>();
        perImage.forEach((variant, micros) -> {
            if (micros < 0) {
                throw new IllegalArgumentException("per_image: a price is never negative");
            }
            copy.put(variant.strip().toLowerCase(Locale.ROOT), micros);
        });
        perImage = Collections.unmodifiableMap(copy);
    }

    public boolean isEmpty() {
        return perImage.isEmpty() && perMillionCharacters < 0 && perMinute < 0 && perThousandSearches < 0;
    }

    /** Whether a unit has a price here. */
    public boolean prices(String unit) {
        return switch (unit) {
            case Units.IMAGE -> !perImage.isEmpty();
            case Units.CHARACTER -> perMillionCharacters >= 0;
            case Units.SECOND -> perMinute >= 0;
            case Units.SEARCH -> perThousandSearches >= 0;
            default -> false;
        };
    }

    /**
     * The cost of {@code units} in micro-dollars, rounded half up; empty when the unit (or, for
     * images, the variant) has no price here.
     */
    public OptionalLong cost(Units units) {
        return switch (units.unit()) {
            case Units.IMAGE -> imagePrice(units.detail()).stream().map(p -> scaled(units.count(), p, 1))
                    .findFirst();
            case Units.CHARACTER -> perMillionCharacters < 0 ? OptionalLong.empty()
                    : OptionalLong.of(scaled(units.count(), perMillionCharacters, 1_000_000));
            case Units.SECOND -> perMinute < 0 ? OptionalLong.empty()
                    : OptionalLong.of(scaled(units.count(), perMinute, 60));
            case Units.SEARCH -> perThousandSearches < 0 ? OptionalLong.empty()
                    : OptionalLong.of(scaled(units.count(), perThousandSearches, 1000));
            default -> OptionalLong.empty();
        };
    }

    /** The price of one image of {@code detail} ({@code "size quality"}, either part optional). */
    OptionalLong imagePrice(String detail) {
        return imageVariant(detail).map(key -> OptionalLong.of(perImage.get(key))).orElse(OptionalLong.empty());
    }

    /**
     * The {@code per_image} variant that prices an image of {@code detail}: the exact
     * {@code "size quality"}, else the size, else the quality, else {@code "*"}; empty when none does.
     */
    public java.util.Optional<String> imageVariant(String detail) {
        if (perImage.isEmpty()) {
            return java.util.Optional.empty();
        }
        String exact = detail == null ? "" : detail.strip().toLowerCase(Locale.ROOT);
        String[] parts = exact.isEmpty() ? new String[0] : exact.split("\\s+");
        for (String key : new String[] {exact, parts.length > 0 ? parts[0] : "", parts.length > 1 ? parts[1] : "",
                "*"}) {
            if (!key.isEmpty() && perImage.containsKey(key)) {
                return java.util.Optional.of(key);
            }
        }
        return java.util.Optional.empty();
    }

    /** This with {@code other}'s prices winning where it has them (a channel's over the catalog's). */
    public UnitPrices with(UnitPrices other) {
        Objects.requireNonNull(other, "other");
        Map<String, Long> images = new LinkedHashMap<>(perImage);
        if (!other.perImage.isEmpty()) {
            images = new LinkedHashMap<>(other.perImage);
        }
        return new UnitPrices(images, other.perMillionCharacters >= 0 ? other.perMillionCharacters : perMillionCharacters,
                other.perMinute >= 0 ? other.perMinute : perMinute,
                other.perThousandSearches >= 0 ? other.perThousandSearches : perThousandSearches);
    }

    private static long scaled(long count, long micros, long per) {
        BigInteger product = BigInteger.valueOf(count).multiply(BigInteger.valueOf(micros));
        BigInteger[] qr = product.divideAndRemainder(BigInteger.valueOf(per));
        long rounded = qr[0].longValueExact();
        return qr[1].shiftLeft(1).compareTo(BigInteger.valueOf(per)) >= 0 ? rounded + 1 : rounded;
    }
}
