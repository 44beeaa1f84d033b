package dev.junction.admin.alerts;

import java.util.Locale;
import java.util.Optional;

/** How loud an alert is, set by its blast radius through the one {@link TierTable}. */
public enum Tier {
    INFO, WARNING, CRITICAL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Tier> parse(String wire) {
        for (Tier tier : values()) {
            if (tier.wire().equals(wire)) {
                return Optional.of(tier);
            }
        }
        return Optional.empty();
    }

    public boolean atLeast(Tier other) {
        return compareTo(other) >= 0;
    }
}
