package dev.junction.admin.web;

import static dev.junction.admin.web.Html.f;

import dev.junction.admin.web.Html.Raw;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The time range a stats page shows: the last hour, day, week or month, or custom days (UTC),
 * read from {@code ?range=} (and {@code from}/{@code to} as dates for a custom one).
 */
record Ranges(String name, Instant from, Instant to, String fromDay, String toDay) {

    static final List<String[]> PRESETS = List.of(new String[] {"hour", "Hour"}, new String[] {"day", "Day"},
            new String[] {"week", "Week"}, new String[] {"month", "Month"});

    static Ranges of(Req req, Instant now) {
        String name = req.query("range").orElse("day");
        if (name.equals("custom")) {
            Optional<LocalDate> from = day(req.query("from"));
            Optional<LocalDate> to = day(req.query("to"));
            if (from.isPresent() && to.isPresent() && !to.get().isBefore(from.get())) {
                return new Ranges("custom", from.get().atStartOfDay(ZoneOffset.UTC).toInstant(),
                        to.get().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), from.get().toString(),
                        to.get().toString());
            }
            name = "day";
        }
        Duration length = switch (name) {
            case "hour" -> Duration.ofHours(1);
            case "week" -> Duration.ofDays(7);
            case "month" -> Duration.ofDays(30);
            default -> Duration.ofDays(1);
        };
        if (!List.of("hour", "week", "month").contains(name)) {
            name = "day";
        }
        Instant from = now.minus(length);
        return new Ranges(name, from, now, LocalDate.ofInstant(from, ZoneOffset.UTC).toString(),
                LocalDate.ofInstant(now, ZoneOffset.UTC).toString());
    }

    private static Optional<LocalDate> day(Optional<String> text) {
        try {
            return text.map(LocalDate::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The API query for this range: {@code from=…&to=…}. */
    String query() {
        return "from=" + from.toEpochMilli() + "&to=" + to.toEpochMilli();
    }

    /** This range as a page query, to keep it across links. */
    String pageQuery() {
        return name.equals("custom") ? "range=custom&from=" + fromDay + "&to=" + toDay : "range=" + name;
    }

    /** The range picker: preset links and a custom-days form. */
    Raw picker(String path) {
        Raw links = Html.join(PRESETS.stream().map(p -> f("<a href=\"%s?range=%s\"%s>%s</a>", path, p[0],
                Html.raw(p[0].equals(name) ? " aria-current=\"true\"" : ""), p[1])));
        return f("""
                <div class="range">
                  <nav class="tabs" aria-label="Time range">%s</nav>
                  <form method="get" action="%s" class="custom-range">
                    <input type="hidden" name="range" value="custom">
                    <label>From <input type="date" name="from" value="%s"></label>
                    <label>To <input type="date" name="to" value="%s"></label>
                    <button type="submit" class="secondary">Show</button>
                  </form>
                </div>
                """, links, path, fromDay, toDay);
    }
}
