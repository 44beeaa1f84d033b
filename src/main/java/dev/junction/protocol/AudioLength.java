package dev.junction.protocol;

/**
 * How long an uploaded audio file plays, guessed before any provider says so: exact for a PCM WAV
 * (its {@code fmt } byte rate and {@code data} size), otherwise its size at 128 kbit/s (16,000
 * bytes a second, a common MP3/M4A rate; OGG/Opus and FLAC are off either way). Used to bill
 * speech to text by seconds when the provider's answer carries no duration; the row says it was
 * estimated.
 */
public final class AudioLength {

    /** Bytes a second assumed for compressed audio: 128 kbit/s. */
    static final long BYTES_PER_SECOND = 16_000;
    /** Bytes of a file read to find a WAV header's chunks. */
    public static final int HEADER_BYTES = 4096;

    private AudioLength() {
    }

    /**
     * Whole seconds (rounded up, at least 1 for a non-empty file) of a file of {@code size} bytes
     * starting with {@code head}.
     */
    public static long seconds(byte[] head, long size) {
        if (size <= 0) {
            return 0;
        }
        long wav = wavSeconds(head, size);
        long seconds = wav >= 0 ? wav : (size + BYTES_PER_SECOND - 1) / BYTES_PER_SECOND;
        return Math.max(1, seconds);
    }

    /** A WAV's length in whole seconds (rounded up), or -1 when {@code head} is not a readable WAV header. */
    static long wavSeconds(byte[] head, long size) {
        if (head.length < 12 || !ascii(head, 0, "RIFF") || !ascii(head, 8, "WAVE")) {
            return -1;
        }
        long byteRate = -1;
        int at = 12;
        while (at + 8 <= head.length) {
            long chunk = le32(head, at + 4);
            if (ascii(head, at, "fmt ") && at + 20 <= head.length) {
                byteRate = le32(head, at + 16);
            } else if (ascii(head, at, "data")) {
                if (byteRate <= 0) {
                    return -1;
                }
                long data = Math.min(chunk, size - at - 8);
                return (data + byteRate - 1) / byteRate;
            }
            at += 8 + (int) Math.min(chunk + (chunk & 1), Integer.MAX_VALUE - at - 8);
        }
        return -1;
    }

    private static boolean ascii(byte[] b, int at, String text) {
        for (int i = 0; i < text.length(); i++) {
            if (at + i >= b.length || b[at + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static long le32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }
}
