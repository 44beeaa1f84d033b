package dev.junction.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A reader of plain JSON without a JSON library, for the per-event scans of the pass-through
 * paths: one pass over the bytes, no parser, no symbol table, no buffers from a shared pool.
 * Jackson's parser cost about 0.6 µs per chunk there (bench/RESULTS.md).
 *
 * <p>It reads a strict subset of JSON: names without escapes, UTF-8 that is valid and shortest
 * form, numbers in JSON's grammar, at most {@value #MAX_DEPTH} levels, names of at most
 * {@value #MAX_NAME} bytes, documents of at most {@value #MAX_LENGTH} bytes. Every document of that
 * subset is JSON that Jackson reads too, so a reader built on this one answers as a Jackson reader
 * written the same way would; on anything else (malformed JSON above all) {@link #read} answers
 * null, and the caller asks Jackson, which decides and explains.
 *
 * <p>A reader walks the document with {@link #open}, {@link #endOf}, {@link #more}, {@link #name}
 * and {@link #is}, and reads or skips values with {@link #value}, {@link #integer},
 * {@link #text} or {@link #stringValue}:
 *
 * <pre>
 * json.open('{');
 * if (!json.endOf('}')) {
 *     do {
 *         json.name();
 *         if (json.is(TYPE)) { ... } else { json.value(); }
 *     } while (json.more('}'));
 * }
 * </pre>
 */
public final class PlainJson {

    /** How deep containers may nest. */
    public static final int MAX_DEPTH = 64;
    /** Longer documents go to Jackson, whose limits on a string's length are then what apply. */
    public static final int MAX_LENGTH = 4 << 20;
    static final int MAX_NAME = 1024;
    private static final int MAX_NUMBER = 64;
    /** What {@link #integer} answers for a number with a fraction or an exponent. */
    public static final long NOT_INTEGER = Long.MIN_VALUE;

    /** Reads one document, with {@link PlainJson}'s methods. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(PlainJson json);
    }

    /** Thrown (preallocated, without a stack) when the input leaves the subset. */
    private static final class Unsure extends RuntimeException {
        Unsure() {
            super(null, null, false, false);
        }
    }

    private static final Unsure UNSURE = new Unsure();
    private static final long ONES = 0x0101010101010101L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] b;
    private final int end;
    /** The next byte to read. */
    private int at;
    /** Where the name last read by {@link #name()} starts, and its length. */
    private int nameAt;
    private int nameLength;
    /** Containers open at {@link #at}. */
    private int depth;

    private PlainJson(byte[] b, int offset, int length) {
        this.b = b;
        this.at = offset;
        this.end = offset + length;
    }

    /**
     * What {@code reader} reads of the one JSON document in {@code json}; null when the document is
     * outside the subset, is not one document, or the reader calls {@link #unsure}.
     */
    public static <T> T read(byte[] json, int offset, int length, Reader<T> reader) {
        if (length > MAX_LENGTH) {
            return null;
        }
        PlainJson plain = new PlainJson(json, offset, length);
        try {
            plain.space();
            T value = reader.read(plain);
            plain.space();
            return plain.at == plain.end ? value : null;
        } catch (Unsure e) {
            return null;
        }
    }

    /** Gives up on the document: {@link #read} answers null (for what a reader leaves to Jackson). */
    public RuntimeException unsure() {
        throw UNSURE;
    }

    /** The bytes of a name, to compare with {@link #is}. */
    public static byte[] ascii(String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether the next value is the string {@code ""} (it is not read). */
    public boolean emptyString() {
        return c(at) == '"' && c(at + 1) == '"';
    }

    /**
     * Reads a number: its value when it is an integer of at most 18 digits, {@link #NOT_INTEGER}
     * when it has a fraction or an exponent; a longer integer is left to Jackson.
     */
    public long integer() {
        int start = at;
        int digits = number();
        if (digits < 0) {
            return NOT_INTEGER;
        }
        if (digits > 18) {
            throw UNSURE;
        }
        boolean negative = b[start] == '-';
        long n = 0;
        for (int i = negative ? start + 1 : start; i < at; i++) {
            n = n * 10 + (b[i] - '0');
        }
        return negative ? -n : n;
    }

    /**
     * Reads any value and answers its text when it is a string, else null, as
     * {@link JsonTrees#stringValue} does; a string with escapes is left to Jackson.
     */
    public String stringValue() {
        if (peek() == '"') {
            return text();
        }
        value();
        return null;
    }

    /** Reads a string without escapes and answers it; one with escapes is left to Jackson. */
    public String text() {
        int start = unescaped();
        return new String(b, start, at - 1 - start, StandardCharsets.UTF_8);
    }

    /**
     * Reads a string that has no escapes (an escape, or a control character, is left to Jackson,
     * which decodes it); returns where its text starts, and it ends before the closing quote.
     */
    private int unescaped() {
        if (c(at) != '"') {
            throw UNSURE;
        }
        int start = ++at;
        while (true) {
            at = plain(at);
            int c = c(at);
            if (c == '"') {
                at++;
                return start;
            }
            if (c >= 0) {
                throw UNSURE;
            }
            at = utf8(at);
        }
    }

    /** Reads any value. */
    public void value() {
        switch (peek()) {
            case '"' -> string();
            case '{' -> {
                open('{');
                if (!endOf('}')) {
                    do {
                        name();
                        value();
                    } while (more('}'));
                }
            }
            case '[' -> {
                open('[');
                if (!endOf(']')) {
                    do {
                        value();
                    } while (more(']'));
                }
            }
            case 't' -> literal('t', 'r', 'u', 'e');
            case 'f' -> {
                literal('f', 'a', 'l', 's');
                if (c(at++) != 'e') {
                    throw UNSURE;
                }
            }
            case 'n' -> literal('n', 'u', 'l', 'l');
            default -> number();
        }
    }

    private void literal(char c0, char c1, char c2, char c3) {
        if (c(at) != c0 || c(at + 1) != c1 || c(at + 2) != c2 || c(at + 3) != c3) {
            throw UNSURE;
        }
        at += 4;
    }

    /**
     * Reads a number; returns its count of integer digits, or -1 when it has a fraction or an
     * exponent.
     */
    private int number() {
        int start = at;
        if (c(at) == '-') {
            at++;
        }
        int first = at;
        if (c(at) == '0') {
            at++;
        } else if (c(at) >= '1' && c(at) <= '9') {
            while (at < end && c(at) >= '0' && c(at) <= '9') {
                at++;
            }
        } else {
            throw UNSURE;
        }
        int digits = at - first;
        boolean integer = true;
        if (at < end && c(at) == '.') {
            at++;
            digits();
            integer = false;
        }
        if (at < end && (c(at) == 'e' || c(at) == 'E')) {
            at++;
            if (c(at) == '+' || c(at) == '-') {
                at++;
            }
            digits();
            integer = false;
        }
        if (at - start > MAX_NUMBER) {
            throw UNSURE;
        }
        return integer ? digits : -1;
    }

    /** Reads one digit or more. */
    private void digits() {
        int start = at;
        while (at < end && c(at) >= '0' && c(at) <= '9') {
            at++;
        }
        if (at == start) {
            throw UNSURE;
        }
    }

    /** Reads a name and its colon; the name's bytes are then compared with {@link #is}. */
    public void name() {
        space();
        nameAt = unescaped(); // Jackson compares a name decoded: one with escapes is left to it
        nameLength = at - 1 - nameAt;
        if (nameLength > MAX_NAME) {
            throw UNSURE;
        }
        space();
        if (c(at++) != ':') {
            throw UNSURE;
        }
        space();
    }

    /** Whether the name last read is {@code name} (made by {@link #ascii}). */
    public boolean is(byte[] name) {
        if (nameLength != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (b[nameAt + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    private void string() {
        at++;
        while (true) {
            at = plain(at);
            int c = c(at);
            if (c == '"') {
                at++;
                return;
            }
            if (c == '\\') {
                escape();
            } else if (c < 0) {
                at = utf8(at);
            } else {
                throw UNSURE; // a control character
            }
        }
    }

    /**
     * The index of the first byte from {@code i} that is not plain string text (printable ASCII
     * other than a quote or a backslash), or {@link #end}. Eight bytes at a time while they are all
     * plain: the text of an answer is most of its bytes.
     */
    private int plain(int i) {
        while (i + 8 <= end) {
            long v = (long) LONGS.get(b, i);
            long quote = v ^ 0x2222222222222222L;
            long backslash = v ^ 0x5C5C5C5C5C5C5C5CL;
            // The high bit of some byte is set when a byte is below 0x20, a quote (a zero byte
            // in quote), a backslash, or past ASCII; exact as to whether there is one.
            long special = ((v - 0x2020202020202020L) & ~v) | ((quote - ONES) & ~quote)
                    | ((backslash - ONES) & ~backslash) | v;
            if ((special & 0x8080808080808080L) != 0) {
                break;
            }
            i += 8;
        }
        while (i < end && b[i] >= 0x20 && b[i] != '"' && b[i] != '\\') {
            i++;
        }
        return i;
    }


    private void escape() {
        switch (c(at + 1)) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> at += 2;
            case 'u' -> {
                for (int i = at + 2; i < at + 6; i++) {
                    if (Character.digit(c(i), 16) < 0) {
                        throw UNSURE;
                    }
                }
                at += 6;
            }
            default -> throw UNSURE;
        }
    }

    /** The index after the shortest-form UTF-8 sequence starting at {@code i}. */
    private int utf8(int i) {
        int c = c(i) & 0xFF;
        if (c >= 0xC2 && c <= 0xDF) {
            continuation(i + 1);
            return i + 2;
        }
        if (c >= 0xE0 && c <= 0xEF) {
            int second = c(i + 1) & 0xFF;
            if (c == 0xE0 && second < 0xA0 || c == 0xED && second > 0x9F) {
                throw UNSURE; // overlong, or a surrogate
            }
            continuation(i + 1);
            continuation(i + 2);
            return i + 3;
        }
        if (c >= 0xF0 && c <= 0xF4) {
            int second = c(i + 1) & 0xFF;
            if (c == 0xF0 && second < 0x90 || c == 0xF4 && second > 0x8F) {
                throw UNSURE; // overlong, or past U+10FFFF
            }
            continuation(i + 1);
            continuation(i + 2);
            continuation(i + 3);
            return i + 4;
        }
        throw UNSURE;
    }

    private void continuation(int i) {
        if ((c(i) & 0xC0) != 0x80) {
            throw UNSURE;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Structure

    public void open(char bracket) {
        if (c(at) != bracket || ++depth > MAX_DEPTH) {
            throw UNSURE;
        }
        at++;
        space();
    }

    /** After an opening bracket: whether the container is empty (its closing bracket read). */
    public boolean endOf(char bracket) {
        if (c(at) == bracket) {
            at++;
            depth--;
            return true;
        }
        return false;
    }

    /** After a member or an element: true after a comma, false after the closing bracket. */
    public boolean more(char bracket) {
        space();
        byte c = c(at++);
        if (c == ',') {
            space();
            return true;
        }
        if (c == bracket) {
            depth--;
            return false;
        }
        throw UNSURE;
    }

    public byte peek() {
        return c(at);
    }

    /** The byte at {@code i}, which must be inside the document. */
    private byte c(int i) {
        if (i >= end) {
            throw UNSURE;
        }
        return b[i];
    }

    private void space() {
        while (at < end) {
            byte c = c(at);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            at++;
        }
    }

}
