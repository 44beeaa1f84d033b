package dev.junction.core;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: short, sortable by time, unique enough to grep a log for. */
public final class RequestIds {

    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private RequestIds() {
    }

    /** A new id such as {@code req_lz1k3m9a7f2qd8x4}: base-36 millis followed by 8 random chars. */
    public static String next(Clock clock) {
        StringBuilder id = new StringBuilder(24).append("req_");
        id.append(Long.toString(clock.now().toEpochMilli(), 36));
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 8; i++) {
            id.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return id.toString();
    }
}
