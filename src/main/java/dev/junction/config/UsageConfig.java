package dev.junction.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code usage:} section: how long usage is kept. Raw rows (and the per-minute rollups, which
 * are as fine-grained) are deleted after {@code keep_raw}; the hour and day rollups, which the
 * dashboard's long ranges read, after {@code keep_rollups}.
 *
 * @param keepRaw how long raw rows and minute rollups are kept (default 30 days)
 * @param keepRollups how long hour and day rollups are kept (default 400 days)
 */
public record UsageConfig(Duration keepRaw, Duration keepRollups) {

    public static final UsageConfig DEFAULT = new UsageConfig(Duration.ofDays(30), Duration.ofDays(400));

    public UsageConfig {
        Objects.requireNonNull(keepRaw, "keepRaw");
        Objects.requireNonNull(keepRollups, "keepRollups");
        if (keepRaw.isNegative() || keepRaw.isZero() || keepRollups.isNegative() || keepRollups.isZero()) {
            throw new IllegalArgumentException("retention must be longer than zero");
        }
    }
}
