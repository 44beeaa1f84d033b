package dev.junction.governance;

import java.util.Locale;
import java.util.Optional;

/** Who a limit or budget belongs to; a request must pass every level that applies to its key. */
public enum Level {
    KEY,
    USER,
    TEAM;

    /** The name in the database and the admin API: {@code key}, {@code user}, {@code team}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Level> parse(String wire) {
        for (Level level : values()) {
            if (level.wire().equals(wire)) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }
}
