package dev.junction.routing;

import dev.junction.core.Units;

/**
 * What a channel's upstream model costs per unit other than tokens (an image of a size and quality,
 * 1M characters of speech, a minute of audio, 1K searches), as {@code cheapest} compares it with a
 * media request; supplied by the wiring from the catalog and the channel's {@code prices:}.
 */
@FunctionalInterface
public interface UnitRates {

    /** No unit prices: every unit unknown. */
    UnitRates NONE = units -> null;

    /**
     * The price that applies to {@code units} (for an image, the variant of its size and quality);
     * null when the model has none for that unit or variant.
     */
    Price price(Units units);

    /**
     * One unit price.
     *
     * @param basis the price's name as configured: {@code per_image 1024x1024 hd}, {@code per_image},
     *     {@code per_1m_characters}, {@code per_minute}, {@code per_1k_searches}
     * @param micros micro-dollars per {@code per} units
     * @param per how many units the price is for (1 image, 1,000,000 characters, 60 seconds, 1,000 searches)
     */
    record Price(String basis, long micros, long per) {

        /** The cost of {@code count} units in micro-dollars, unrounded. */
        public double cost(long count) {
            return (double) count * micros / per;
        }
    }
}
