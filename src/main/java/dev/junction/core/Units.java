package dev.junction.core;

import java.util.Objects;

/**
 * What a request is billed by besides (or instead of) tokens: the images it made, the characters it
 * spoke, the seconds of audio it transcribed, the searches it reranked, or simply its tokens. Every
 * usage row carries one, so consumption can be summed per endpoint in that endpoint's own unit.
 *
 * @param count how many units; never negative
 * @param unit {@link #IMAGE}, {@link #CHARACTER}, {@link #SECOND}, {@link #SEARCH} or {@link #TOKEN}
 * @param detail what refines the price of an image ({@code "1024x1024 hd"}: size, then quality),
 *     null when nothing does
 * @param estimated whether the gateway guessed the count (audio seconds from the upload's size)
 *     rather than reading it from the provider's answer or counting it exactly in the request
 */
public record Units(long count, String unit, String detail, boolean estimated) {

    public static final String TOKEN = "token";
    public static final String IMAGE = "image";
    public static final String CHARACTER = "character";
    public static final String SECOND = "second";
    public static final String SEARCH = "search";

    public Units {
        Objects.requireNonNull(unit, "unit");
        if (count < 0) {
            throw new IllegalArgumentException("a unit count is never negative");
        }
        if (detail != null && detail.isBlank()) {
            detail = null;
        }
    }

    /** Counted exactly, no detail. */
    public static Units of(long count, String unit) {
        return new Units(count, unit, null, false);
    }

    /** The tokens of a request billed by tokens: its input plus output. */
    public static Units tokens(TokenUsage tokens) {
        return of(tokens == null ? 0 : tokens.input() + tokens.output(), TOKEN);
    }

    /** Nothing spent, in {@code unit}. */
    public static Units none(String unit) {
        return of(0, unit);
    }

    /** Whether these are tokens (priced by the token rates). */
    public boolean isTokens() {
        return unit.equals(TOKEN);
    }
}
