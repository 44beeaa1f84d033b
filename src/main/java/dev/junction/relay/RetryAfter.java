package dev.junction.relay;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads how long an upstream asked us to wait: {@code retry-after-ms} (milliseconds, used by
 * OpenAI-style APIs), else {@code Retry-After} as seconds or as an HTTP date. Capped at an hour so a
 * broken header cannot take a channel away for days. Alert webhooks read their receivers' the same way.
 */
public final class RetryAfter {

    static final Duration MAX = Duration.ofHours(1);

    private RetryAfter() {
    }

    /**
     * The wait asked for, empty when neither header is there or readable.
     *
     * @param retryAfterMs the {@code retry-after-ms} header, or null
     * @param retryAfter the {@code Retry-After} header, or null
     * @param now the time an HTTP date is measured from
     */
    public static Optional<Duration> parse(String retryAfterMs, String retryAfter, Instant now) {
        if (retryAfterMs != null) {
            try {
                return Optional.of(cap(Duration.ofNanos((long) (Double.parseDouble(retryAfterMs.strip()) * 1e6))));
            } catch (NumberFormatException ignored) {
                // Fall back to Retry-After.
            }
        }
        if (retryAfter == null || retryAfter.isBlank()) {
            return Optional.empty();
        }
        String value = retryAfter.strip();
        try {
            return Optional.of(cap(Duration.ofMillis((long) (Double.parseDouble(value) * 1000))));
        } catch (NumberFormatException ignored) {
            // Not seconds: an HTTP date.
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(cap(Duration.between(now, at)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration cap(Duration d) {
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(MAX) > 0 ? MAX : d;
    }
}
