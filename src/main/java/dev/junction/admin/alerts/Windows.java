package dev.junction.admin.alerts;

import java.time.Duration;

/** Durations in words for summaries: "10 minutes", "1 hour", "30 seconds". */
final class Windows {

    private Windows() {
    }

    static String words(Duration d) {
        long s = d.toSeconds();
        if (s % 86_400 == 0 && s > 0) {
            return plural(s / 86_400, "day");
        }
        if (s % 3_600 == 0 && s > 0) {
            return plural(s / 3_600, "hour");
        }
        if (s % 60 == 0 && s > 0) {
            return plural(s / 60, "minute");
        }
        return plural(Math.max(s, 0), "second");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    /** {@code 10m}, {@code 1h}, {@code 30s}: as the config file writes it. */
    static String wire(Duration d) {
        long s = d.toSeconds();
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        return s % 3_600 == 0 && s > 0 ? s / 3_600 + "h" : s % 60 == 0 && s > 0 ? s / 60 + "m" : s + "s";
    }
}
