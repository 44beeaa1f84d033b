package dev.junction.admin.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Times as the pages show them: UTC on the server, turned into the browser's local time by app.js. */
final class Time {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Time() {
    }

    /** A {@code <time>} element for an ISO-8601 instant; empty text for none. */
    static String tag(String iso) {
        if (iso == null || iso.isEmpty() || iso.equals("null")) {
            return "—";
        }
        try {
            Instant at = Instant.parse(iso);
            return "<time datetime=\"" + at + "\">" + SHOWN.format(at) + "</time>";
        } catch (DateTimeParseException e) {
            return Html.esc(iso);
        }
    }
}
