package dev.junction.governance;

import dev.junction.state.Window;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Optional;

/**
 * How long a budget lasts: a calendar day, ISO week (Monday to Sunday) or month, in UTC. A budget
 * starts again at zero when its period does; a request counts in the period it started in.
 */
public enum Period {
    DAY,
    WEEK,
    MONTH;

    /** The name in the config file and the admin API: {@code day}, {@code week}, {@code month}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Period> parse(String wire) {
        for (Period period : values()) {
            if (period.wire().equals(wire)) {
                return Optional.of(period);
            }
        }
        return Optional.empty();
    }

    /** The period that holds {@code now}: {@code [first instant, first instant of the next)}. */
    public Window window(Instant now) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate start = switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
        };
        LocalDate end = switch (this) {
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
        };
        return new Window(start.atStartOfDay(ZoneOffset.UTC).toInstant(), end.atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
