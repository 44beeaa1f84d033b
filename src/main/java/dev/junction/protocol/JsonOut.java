package dev.junction.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer for JSON and server-sent events written straight to bytes, for the
 * per-chunk encoders: constant markup goes in as pre-encoded bytes, strings are quoted and escaped
 * exactly as the Jackson generator writes them (short escapes for {@code \b \t \n \f \r}, a
 * six-character hex escape for other control characters and a lone surrogate, UTF-8 for the rest), so the
 * output is byte for byte what a tree would have serialized to. One per encoder, reused after
 * {@link #reset()}; not thread-safe.
 */
public final class JsonOut {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private byte[] buffer;
    private int size;

    public JsonOut() {
        this(256);
    }

    public JsonOut(int capacity) {
        buffer = new byte[capacity];
    }

    /** ASCII markup as bytes, for constants. */
    public static byte[] ascii(String markup) {
        return markup.getBytes(StandardCharsets.US_ASCII);
    }

    public JsonOut reset() {
        size = 0;
        return this;
    }

    public int size() {
        return size;
    }

    /** A copy of what was written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    public JsonOut raw(byte[] bytes) {
        return raw(bytes, 0, bytes.length);
    }

    /** Part of a byte array. */
    public JsonOut raw(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
        return this;
    }

    /** ASCII markup written as it is, unescaped (an SSE field, a JSON fragment). */
    public JsonOut markup(String ascii) {
        int length = ascii.length();
        ensure(length);
        for (int i = 0; i < length; i++) {
            buffer[size++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    /** A JSON number. */
    public JsonOut number(long value) {
        if (value >= 0 && value < 10) {
            ensure(1);
            buffer[size++] = (byte) ('0' + value);
            return this;
        }
        String digits = Long.toString(value);
        ensure(digits.length());
        for (int i = 0; i < digits.length(); i++) {
            buffer[size++] = (byte) digits.charAt(i);
        }
        return this;
    }

    /** A JSON string: quoted and escaped; {@code null} as {@code null}. */
    public JsonOut string(String value) {
        if (value == null) {
            ensure(4);
            buffer[size++] = 'n';
            buffer[size++] = 'u';
            buffer[size++] = 'l';
            buffer[size++] = 'l';
            return this;
        }
        int length = value.length();
        ensure(length + 2); // enough for ASCII text; the rarer characters reserve their worst case
        buffer[size++] = '"';
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x80 && c >= 0x20 && c != '"' && c != '\\') {
                buffer[size++] = (byte) c;
                continue;
            }
            ensure((length - i) * 3 + 6); // this one at most 6 bytes, each after it at most 3, and the quote
            if (c < 0x80) {
                escape(c);
            } else if (c < 0x800) {
                buffer[size++] = (byte) (0xC0 | c >> 6);
                buffer[size++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                int code = Character.toCodePoint(c, value.charAt(++i));
                buffer[size++] = (byte) (0xF0 | code >> 18);
                buffer[size++] = (byte) (0x80 | code >> 12 & 0x3F);
                buffer[size++] = (byte) (0x80 | code >> 6 & 0x3F);
                buffer[size++] = (byte) (0x80 | code & 0x3F);
            } else if (Character.isSurrogate(c)) {
                unicodeEscape(c);
            } else {
                buffer[size++] = (byte) (0xE0 | c >> 12);
                buffer[size++] = (byte) (0x80 | c >> 6 & 0x3F);
                buffer[size++] = (byte) (0x80 | c & 0x3F);
            }
        }
        buffer[size++] = '"';
        return this;
    }

    /** {@code "}, {@code \\} or a control character, with room already made. */
    private void escape(char c) {
        char shortForm = switch (c) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '\b' -> 'b';
            case '\t' -> 't';
            case '\n' -> 'n';
            case '\f' -> 'f';
            case '\r' -> 'r';
            default -> 0;
        };
        if (shortForm == 0) {
            unicodeEscape(c);
            return;
        }
        buffer[size++] = '\\';
        buffer[size++] = (byte) shortForm;
    }

    private void unicodeEscape(char c) {
        buffer[size++] = '\\';
        buffer[size++] = 'u';
        buffer[size++] = HEX[c >> 12 & 0xF];
        buffer[size++] = HEX[c >> 8 & 0xF];
        buffer[size++] = HEX[c >> 4 & 0xF];
        buffer[size++] = HEX[c & 0xF];
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
