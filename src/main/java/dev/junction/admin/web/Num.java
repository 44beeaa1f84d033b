package dev.junction.admin.web;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** Numbers as the pages show them. */
final class Num {

    private Num() {
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** 1234567 as 1.23 M, for tokens. */
    static String compact(long n) {
        if (Math.abs(n) >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f G", n / 1e9);
        }
        if (Math.abs(n) >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.2f M", n / 1e6);
        }
        if (Math.abs(n) >= 10_000L) {
            return String.format(Locale.ROOT, "%.1f k", n / 1e3);
        }
        return count(n);
    }

    /** A dollar amount given as decimal text: $0.0123, $12.34. */
    static String usd(String decimal) {
        if (decimal == null || decimal.isEmpty()) {
            return "—";
        }
        BigDecimal value = new BigDecimal(decimal);
        int scale = value.abs().compareTo(BigDecimal.ONE) >= 0 ? 2 : 4;
        return "$" + value.setScale(scale, RoundingMode.HALF_UP).toPlainString();
    }

    /** A ratio (0.9876) as a percentage, or a dash for none. */
    static String percent(JsonNode ratio) {
        if (ratio == null || !ratio.isNumber()) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.1f %%", ratio.asDouble() * 100);
    }

    /** Milliseconds, or a dash for none. */
    static String ms(JsonNode millis) {
        if (millis == null || !millis.isNumber()) {
            return "—";
        }
        long value = millis.asLong();
        return value >= 10_000 ? String.format(Locale.ROOT, "%.1f s", value / 1000.0) : count(value) + " ms";
    }

    /** A count in its unit: {@code 3 images}, {@code 1,204 characters}, {@code 95 s of audio}, {@code 2 searches}. */
    static String units(long n, String unit) {
        String amount = unit != null && unit.equals("token") ? compact(n) : count(n);
        return switch (unit == null ? "" : unit) {
            case "image" -> amount + (n == 1 ? " image" : " images");
            case "character" -> amount + (n == 1 ? " character" : " characters");
            case "second" -> amount + " s of audio";
            case "search" -> amount + (n == 1 ? " search" : " searches");
            case "token" -> amount + " tokens";
            default -> amount;
        };
    }
}
