package dev.junction.core;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: short, sortable by time, unique enough to grep a log for. An id carries the
 * millisecond the request arrived, which is the time of its usage row, so a row is found by its id
 * through the time index (no index of its own to keep up on every insert).
 */
public final class RequestIds {

    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final String PREFIX = "req_";
    private static final int RANDOM = 8;
    /** Base-36 digits of the millis at most (a long's 13). */
    private static final int MAX_TIME_DIGITS = 13;

    private RequestIds() {
    }

    /** A new id such as {@code req_lz1k3m9a7f2qd8x4}: base-36 millis followed by 8 random chars. */
    public static String next(Clock clock) {
        StringBuilder id = new StringBuilder(24).append(PREFIX);
        id.append(Long.toString(clock.now().toEpochMilli(), 36));
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < RANDOM; i++) {
            id.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return id.toString();
    }

    /** The millisecond an id made by {@link #next} was made at; empty for any other text. */
    public static Optional<Instant> madeAt(String id) {
        if (id == null || !id.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int timeDigits = id.length() - PREFIX.length() - RANDOM;
        if (timeDigits < 1 || timeDigits > MAX_TIME_DIGITS) {
            return Optional.empty();
        }
        long millis = 0;
        for (int i = PREFIX.length(); i < id.length(); i++) {
            char c = id.charAt(i);
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : -1;
            if (digit < 0) {
                return Optional.empty();
            }
            if (i < PREFIX.length() + timeDigits) {
                if (millis > (Long.MAX_VALUE - digit) / 36) {
                    return Optional.empty();
                }
                millis = millis * 36 + digit;
            }
        }
        return Optional.of(Instant.ofEpochMilli(millis));
    }
}
