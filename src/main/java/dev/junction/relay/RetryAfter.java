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
 * broken header cannot take a channel away for days.
 */
final class RetryAfter {

    static final Duration MAX = Duration.ofHours(1);

    private RetryAfter() {
    }

    static Optional<Duration> parse(String retryAfterMs, String retryAfter, Instant now) {
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
