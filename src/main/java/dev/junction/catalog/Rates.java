package dev.junction.catalog;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Prices of one model in micro-dollars (millionths of a US dollar) per one million tokens, so a
 * price of $2.50 per 1M tokens is {@code 2_500_000}. Integers keep every sum exact: the smallest
 * published price (a fraction of a cent per million tokens) is still a whole number here.
 *
 * @param input uncached prompt tokens
 * @param output generated tokens, reasoning included
 * @param cachedInput prompt tokens read from the provider's cache
 * @param cacheWrite prompt tokens written to the provider's cache (Anthropic's 5-minute write price;
 *     providers without a write surcharge carry the input price here)
 */
public record Rates(long input, long output, long cachedInput, long cacheWrite) {

    /** Free (local models). */
    public static final Rates FREE = new Rates(0, 0, 0, 0);

    public Rates {
        if (input < 0 || output < 0 || cachedInput < 0 || cacheWrite < 0) {
            throw new IllegalArgumentException("prices are never negative");
        }
    }

    /**
     * Rates from USD-per-1M-token decimals as providers publish them, e.g.
     * {@code usd("2.50", "10", "1.25", "2.50")}; more than six decimal places is an error.
     */
    public static Rates usd(String input, String output, String cachedInput, String cacheWrite) {
        return new Rates(micros(input), micros(output), micros(cachedInput), micros(cacheWrite));
    }

    /** Micro-dollars for a USD amount given as a decimal string; exact or an error. */
    static long micros(String usd) {
        Objects.requireNonNull(usd, "usd");
        return micros(new BigDecimal(usd.trim()));
    }

    static long micros(BigDecimal usd) {
        try {
            return usd.movePointRight(6).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(usd.toPlainString() + " has more than 6 decimal places or is too large");
        }
    }

    /** The rate as a USD decimal, for display. */
    static String usd(long micros) {
        return BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
    }
}
