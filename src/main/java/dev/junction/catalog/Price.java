package dev.junction.catalog;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What a model costs: base {@link Rates} and, for providers that charge more for long prompts, tiers
 * that replace them. A tier applies to the whole request when its prompt (every input token, cached
 * ones included) is above the tier's threshold; Gemini 2.5 Pro above 200k prompt tokens, for example.
 *
 * @param base rates for prompts at or below every tier's threshold
 * @param tiers ordered by ascending threshold; possibly empty
 * @param units prices per image, character, minute of audio or search ({@link UnitPrices#NONE} when
 *     the model is billed by tokens only)
 */
public record Price(Rates base, List<Tier> tiers, UnitPrices units) {

    private static final long MILLION = 1_000_000L;
    private static final BigInteger BIG_MILLION = BigInteger.valueOf(MILLION);
    private static final BigInteger HALF_MILLION = BigInteger.valueOf(MILLION / 2);

    /**
     * Rates that apply to prompts of more than {@code above} tokens.
     *
     * @param above prompt-token threshold (exclusive)
     * @param rates rates for the whole request above it
     */
    public record Tier(long above, Rates rates) {
        public Tier {
            Objects.requireNonNull(rates, "rates");
            if (above <= 0) {
                throw new IllegalArgumentException("a tier threshold must be positive");
            }
        }
    }

    public Price {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(units, "units");
        tiers = List.copyOf(tiers);
        for (int i = 1; i < tiers.size(); i++) {
            if (tiers.get(i).above() <= tiers.get(i - 1).above()) {
                throw new IllegalArgumentException("tier thresholds must increase");
            }
        }
    }

    /** Token rates only. */
    public Price(Rates base, List<Tier> tiers) {
        this(base, tiers, UnitPrices.NONE);
    }

    /** This price with {@code units} as its unit prices. */
    public Price withUnits(UnitPrices units) {
        return new Price(base, tiers, units);
    }

    /** Whether the token rates charge anything (a model billed only per unit carries zero rates). */
    public boolean chargesTokens() {
        Rates r = base;
        return r.input() > 0 || r.output() > 0 || !tiers.isEmpty();
    }

    /** One set of rates for every prompt length. */
    public static Price flat(Rates rates) {
        return new Price(rates, List.of());
    }

    /** A price with tiers given in any order. */
    static Price tiered(Rates base, List<Tier> tiers) {
        List<Tier> sorted = new ArrayList<>(tiers);
        sorted.sort(Comparator.comparingLong(Tier::above));
        return new Price(base, sorted);
    }

    /** The rates for a request whose prompt has {@code promptTokens} tokens (cached ones included). */
    Rates ratesFor(long promptTokens) {
        Rates rates = base;
        for (Tier tier : tiers) {
            if (promptTokens > tier.above()) {
                rates = tier.rates();
            }
        }
        return rates;
    }

    /**
     * The exact cost of one request in micro-dollars, rounded half up once at the end.
     *
     * <p>Counts follow the OpenAI convention (core's {@code Usage}): {@code input} is every prompt
     * token, cache reads and writes included; {@code output} is every generated token, reasoning
     * included, so {@code reasoning} is informational and never added again. The cost is
     * {@code (input − cacheRead − cacheWrite)·in + cacheRead·cached + cacheWrite·write + output·out}
     * over one million, computed without overflow (128-bit when the 64-bit products would overflow).
     * Counts a provider got wrong (cache reads and writes above the prompt) bill no negative
     * uncached input.
     */
    public long cost(long input, long output, long cacheRead, long cacheWrite, long reasoning) {
        if (input < 0 || output < 0 || cacheRead < 0 || cacheWrite < 0 || reasoning < 0) {
            throw new IllegalArgumentException("token counts are never negative");
        }
        Rates rates = ratesFor(input);
        long uncached = Math.max(0, input - cacheRead - cacheWrite);
        try {
            long sum = Math.multiplyExact(uncached, rates.input());
            sum = Math.addExact(sum, Math.multiplyExact(cacheRead, rates.cachedInput()));
            sum = Math.addExact(sum, Math.multiplyExact(cacheWrite, rates.cacheWrite()));
            sum = Math.addExact(sum, Math.multiplyExact(output, rates.output()));
            return sum / MILLION + (sum % MILLION >= MILLION / 2 ? 1 : 0);
        } catch (ArithmeticException overflow) {
            BigInteger sum = BigInteger.valueOf(uncached).multiply(BigInteger.valueOf(rates.input()))
                    .add(BigInteger.valueOf(cacheRead).multiply(BigInteger.valueOf(rates.cachedInput())))
                    .add(BigInteger.valueOf(cacheWrite).multiply(BigInteger.valueOf(rates.cacheWrite())))
                    .add(BigInteger.valueOf(output).multiply(BigInteger.valueOf(rates.output())));
            return sum.add(HALF_MILLION).divide(BIG_MILLION).longValueExact();
        }
    }
}
