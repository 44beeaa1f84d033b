package dev.junction.relay;

import dev.junction.http.UpstreamResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A provider's own account of its rate limits, read from every answer so a key about to be refused is
 * passed over before its 429: OpenAI-style {@code x-ratelimit-remaining-requests}/{@code -tokens} with
 * {@code x-ratelimit-reset-requests}/{@code -tokens} ({@code 1s}, {@code 6m0s}, {@code 250ms}), and
 * Anthropic's {@code anthropic-ratelimit-requests-remaining} (and {@code -tokens-},
 * {@code -input-tokens-}, {@code -output-tokens-}) with RFC 3339 {@code -reset} times. A remaining
 * count of zero rests the key for that model until the reset.
 */
final class LearnedLimits {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");
    /** OpenAI's remaining-count headers, each with its reset header at the same index. */
    private static final String[] OPENAI_REMAINING = names("x-ratelimit-remaining-", "", "requests", "tokens");
    private static final String[] OPENAI_RESET = names("x-ratelimit-reset-", "", "requests", "tokens");
    /** Anthropic's, the same way. */
    private static final String[] ANTHROPIC_REMAINING = names("anthropic-ratelimit-", "-remaining", "requests",
            "tokens", "input-tokens", "output-tokens");
    private static final String[] ANTHROPIC_RESET = names("anthropic-ratelimit-", "-reset", "requests", "tokens",
            "input-tokens", "output-tokens");
    /** Used when a provider says 0 remaining without a readable reset. */
    static final Duration UNKNOWN_RESET = Duration.ofSeconds(1);

    private LearnedLimits() {
    }

    /**
     * When the exhausted limit resets, when the answer's headers say one is exhausted; empty
     * otherwise. Most answers carry no rate-limit header at all: one pass over their headers tells,
     * where looking up each of the ten names costs a pass each.
     */
    static Optional<Instant> read(UpstreamResponse response, Instant now) {
        if (!response.hasHeaderStartingWith("x-ratelimit-") && !response.hasHeaderStartingWith("anthropic-ratelimit-")) {
            return Optional.empty();
        }
        return read(response::header, now);
    }

    /** When the exhausted limit resets, when the headers say one is exhausted; empty otherwise. */
    static Optional<Instant> read(Function<String, String> headers, Instant now) {
        Instant until = null;
        for (int i = 0; i < OPENAI_REMAINING.length; i++) {
            if (zero(headers.apply(OPENAI_REMAINING[i]))) {
                until = later(until, now.plus(duration(headers.apply(OPENAI_RESET[i]))));
            }
        }
        for (int i = 0; i < ANTHROPIC_REMAINING.length; i++) {
            if (zero(headers.apply(ANTHROPIC_REMAINING[i]))) {
                until = later(until, instant(headers.apply(ANTHROPIC_RESET[i]), now));
            }
        }
        return Optional.ofNullable(until);
    }

    /** The header names, built once: read for every answer, they cost an allocation each when built there. */
    private static String[] names(String prefix, String suffix, String... kinds) {
        String[] names = new String[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            names[i] = prefix + kinds[i] + suffix;
        }
        return names;
    }

    private static boolean zero(String value) {
        if (value == null) {
            return false;
        }
        try {
            return Long.parseLong(value.strip()) <= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    /** {@code 1s}, {@code 6m0s}, {@code 1h2m3.5s}, {@code 250ms}, or plain seconds. */
    static Duration duration(String value) {
        if (value == null || value.isBlank()) {
            return UNKNOWN_RESET;
        }
        String text = value.strip();
        try {
            return Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(text) * 1000)));
        } catch (NumberFormatException notPlain) {
            // a Go-style duration
        }
        Matcher m = PART.matcher(text);
        double millis = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return UNKNOWN_RESET;
            }
            end = m.end();
            double amount = Double.parseDouble(m.group(1));
            millis += switch (m.group(2)) {
                case "ms" -> amount;
                case "s" -> amount * 1_000;
                case "m" -> amount * 60_000;
                default -> amount * 3_600_000;
            };
        }
        return end == text.length() && end > 0 ? Duration.ofMillis(Math.round(millis)) : UNKNOWN_RESET;
    }

    private static Instant instant(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return now.plus(UNKNOWN_RESET);
        }
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            return now.plus(UNKNOWN_RESET);
        }
    }
}
