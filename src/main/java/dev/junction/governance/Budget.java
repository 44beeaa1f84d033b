package dev.junction.governance;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * A spending cap in US dollars per calendar period (UTC).
 *
 * @param micros the cap in micro-dollars (millionths of a dollar), so every sum is exact
 * @param period how long it lasts before starting again at zero
 */
public record Budget(long micros, Period period) {

    public Budget {
        Objects.requireNonNull(period, "period");
        if (micros < 0) {
            throw new IllegalArgumentException("a budget is never negative");
        }
    }

    /** A budget of {@code usd} dollars (a decimal with at most six places). */
    public static Budget usd(BigDecimal usd, Period period) {
        return new Budget(usd.movePointRight(6).longValueExact(), period);
    }

    /** Micro-dollars as a plain dollar decimal: {@code 20000000} is {@code "20"}. */
    public static String dollars(long micros) {
        return BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
    }

    /** Micro-dollars for people: {@code $20.00}, {@code $0.0042}. */
    public static String shown(long micros) {
        BigDecimal usd = BigDecimal.valueOf(micros, 6);
        return "$" + (micros != 0 && Math.abs(micros) < 10_000 ? usd.stripTrailingZeros().toPlainString()
                : usd.setScale(2, RoundingMode.HALF_UP).toPlainString());
    }
}
