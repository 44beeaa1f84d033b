package dev.junction.protocol.openai;

import dev.junction.core.TokenUsage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * {@link ChunkScan} without a JSON library, for the chunks providers actually send: one pass over
 * the bytes, no parser, no symbol table, no buffers from a shared pool. A pass-through stream scans
 * every event, and Jackson's parser cost about 0.6 µs per chunk, an eighth of what relaying an
 * event costs (bench/RESULTS.md).
 *
 * <p>It reads a strict subset of JSON: plain names (no escapes), UTF-8 that is valid and
 * shortest-form, numbers in JSON's grammar, a nesting depth of at most {@value #MAX_DEPTH}. Every
 * document of that subset is JSON that Jackson reads the same way, so on those the answer is the
 * one {@link ChunkScan#parse} would give. On anything else (malformed input, escaped names, a
 * count too large for a {@code long}, a choice that is not an object ...) it answers null and the
 * caller asks Jackson, which decides and explains. {@code ChunkScanTest} checks the two agree on
 * generated and mutated chunks, and the provider-answer fuzz target on whatever it finds.
 */
final class QuickScan {

    static final int MAX_DEPTH = 64;
    private static final int MAX_NUMBER = 64;
    private static final int MAX_NAME = 1024;
    /** Longer documents go to Jackson, whose limits on a string's length are then what apply. */
    static final int MAX_LENGTH = 4 << 20;

    /** Thrown (preallocated, without a stack) when the input leaves the subset. */
    private static final class Unsure extends RuntimeException {
        Unsure() {
            super(null, null, false, false);
        }
    }

    private static final Unsure UNSURE = new Unsure();
    private static final long ONES = 0x0101010101010101L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    // The names read, compared as bytes (by length first, in is()).
    private static final byte[] USAGE = ascii("usage");
    private static final byte[] ERROR = ascii("error");
    private static final byte[] CHOICES = ascii("choices");
    private static final byte[] DELTA = ascii("delta");
    private static final byte[] MESSAGE = ascii("message");
    private static final byte[] FINISH_REASON = ascii("finish_reason");
    private static final byte[] CONTENT = ascii("content");
    private static final byte[] REASONING_CONTENT = ascii("reasoning_content");
    private static final byte[] REASONING = ascii("reasoning");
    private static final byte[] REFUSAL = ascii("refusal");
    private static final byte[] TOOL_CALLS = ascii("tool_calls");
    private static final byte[] FUNCTION_CALL = ascii("function_call");
    private static final byte[] AUDIO = ascii("audio");
    private static final byte[] PROMPT_TOKENS = ascii("prompt_tokens");
    private static final byte[] COMPLETION_TOKENS = ascii("completion_tokens");
    private static final byte[] PROMPT_CACHE_HIT_TOKENS = ascii("prompt_cache_hit_tokens");
    private static final byte[] CACHED_TOKENS = ascii("cached_tokens");
    private static final byte[] PROMPT_TOKENS_DETAILS = ascii("prompt_tokens_details");
    private static final byte[] CACHE_CREATION_TOKENS = ascii("cache_creation_tokens");
    private static final byte[] COMPLETION_TOKENS_DETAILS = ascii("completion_tokens_details");
    private static final byte[] REASONING_TOKENS = ascii("reasoning_tokens");

    private static final int FLAG_CONTENT = 1;
    private static final int FLAG_FINISH = 2;
    private static final int FLAG_TOOL = 4;

    private final byte[] b;
    private final int end;
    /** The next byte to read. */
    private int at;
    /** Where the name last read by {@link #name()} starts, and its length. */
    private int nameAt;
    private int nameLength;
    /** Containers open at {@link #at}. */
    private int depth;

    private QuickScan(byte[] b, int offset, int length) {
        this.b = b;
        this.at = offset;
        this.end = offset + length;
    }

    /** The scan of {@code json}, or null when it is outside the subset this reads. */
    static ChunkScan of(byte[] json, int offset, int length) {
        if (length > MAX_LENGTH) {
            return null;
        }
        try {
            return new QuickScan(json, offset, length).document();
        } catch (Unsure e) {
            return null;
        }
    }

    private ChunkScan document() {
        TokenUsage usage = null;
        int flags = 0;
        boolean hasChoices = false;
        boolean choicesEmpty = false;
        boolean error = false;
        space();
        open('{');
        if (!endOf('}')) {
            do {
                name();
                if (is(USAGE)) {
                    if (peek() == '{') {
                        usage = usage();
                    } else {
                        value();
                        usage = null;
                    }
                } else if (is(ERROR)) {
                    error = peek() != 'n';
                    value();
                } else if (is(CHOICES) && peek() == '[') {
                    hasChoices = true;
                    open('[');
                    int count = 0;
                    if (!endOf(']')) {
                        do {
                            if (peek() != '{') {
                                throw UNSURE; // Jackson's reading of that is its own
                            }
                            flags |= choice();
                            count++;
                        } while (more(']'));
                    }
                    choicesEmpty = count == 0;
                } else {
                    value();
                }
            } while (more('}'));
        }
        space();
        if (at != end) {
            throw UNSURE;
        }
        boolean finished = (flags & FLAG_FINISH) != 0;
        return new ChunkScan(usage, (flags & FLAG_CONTENT) != 0 || finished, finished, choicesEmpty, hasChoices,
                error, (flags & FLAG_TOOL) != 0);
    }

    private int choice() {
        int flags = 0;
        open('{');
        if (!endOf('}')) {
            do {
                name();
                if (is(DELTA) || is(MESSAGE)) {
                    if (peek() == '{') {
                        flags |= delta();
                    } else {
                        value();
                    }
                } else if (is(FINISH_REASON)) {
                    if (peek() != 'n') {
                        flags |= FLAG_FINISH;
                    }
                    value();
                } else {
                    value();
                }
            } while (more('}'));
        }
        return flags;
    }

    private int delta() {
        int flags = 0;
        open('{');
        if (!endOf('}')) {
            do {
                name();
                if (is(CONTENT) || is(REASONING_CONTENT) || is(REASONING) || is(REFUSAL)) {
                    boolean text = peek() == '"';
                    boolean some = text ? c(at + 1) != '"' : nonEmpty();
                    if (text) {
                        value();
                    }
                    if (some) {
                        flags |= FLAG_CONTENT;
                    }
                } else if (is(TOOL_CALLS) || is(FUNCTION_CALL)) {
                    if (nonEmpty()) {
                        flags |= FLAG_CONTENT | FLAG_TOOL;
                    }
                } else if (is(AUDIO)) {
                    if (nonEmpty()) {
                        flags |= FLAG_CONTENT;
                    }
                } else {
                    value();
                }
            } while (more('}'));
        }
        return flags;
    }

    /** Reads a value as {@code ChunkScan.nonEmpty} judges it: a non-empty array, any object, anything but null. */
    private boolean nonEmpty() {
        return switch (peek()) {
            case '[' -> {
                open('[');
                int items = 0;
                if (!endOf(']')) {
                    do {
                        value();
                        items++;
                    } while (more(']'));
                }
                yield items > 0;
            }
            case 'n' -> {
                value();
                yield false;
            }
            default -> {
                value();
                yield true;
            }
        };
    }

    /** The usage object, with the same precedence for cached tokens as {@code ChunkScan.usage}. */
    private TokenUsage usage() {
        long input = 0;
        long output = 0;
        long detailsCached = -1;
        long hitCached = -1;
        long topCached = -1;
        long cacheWrite = 0;
        long reasoning = 0;
        open('{');
        if (!endOf('}')) {
            do {
                name();
                if (is(PROMPT_TOKENS)) {
                    input = count();
                } else if (is(COMPLETION_TOKENS)) {
                    output = count();
                } else if (is(PROMPT_CACHE_HIT_TOKENS)) {
                    hitCached = count();
                } else if (is(CACHED_TOKENS)) {
                    topCached = count();
                } else if (is(PROMPT_TOKENS_DETAILS) && peek() == '{') {
                    open('{');
                    if (!endOf('}')) {
                        do {
                            name();
                            if (is(CACHED_TOKENS)) {
                                detailsCached = count();
                            } else if (is(CACHE_CREATION_TOKENS)) {
                                cacheWrite = count();
                            } else {
                                value();
                            }
                        } while (more('}'));
                    }
                } else if (is(COMPLETION_TOKENS_DETAILS) && peek() == '{') {
                    open('{');
                    if (!endOf('}')) {
                        do {
                            name();
                            if (is(REASONING_TOKENS)) {
                                reasoning = count();
                            } else {
                                value();
                            }
                        } while (more('}'));
                    }
                } else {
                    value();
                }
            } while (more('}'));
        }
        long cached = detailsCached >= 0 ? detailsCached : hitCached >= 0 ? hitCached : Math.max(0, topCached);
        return new TokenUsage(input, output, cached, cacheWrite, reasoning);
    }

    /** A count: a non-negative integer as it is, a negative one as 0, anything else read and counted 0. */
    private long count() {
        byte c = peek();
        if (c != '-' && (c < '0' || c > '9')) {
            value();
            return 0;
        }
        int start = at;
        boolean negative = c == '-';
        int digits = number();
        if (digits < 0) {
            return 0; // a fraction or an exponent: not an integer
        }
        if (digits > 18) {
            throw UNSURE; // may not fit a long: Jackson decides
        }
        long n = 0;
        for (int i = negative ? start + 1 : start; i < start + (negative ? 1 : 0) + digits; i++) {
            n = n * 10 + (c(i) - '0');
        }
        return negative ? 0 : n;
    }

    // ------------------------------------------------------------------------------------------
    // The grammar

    /** Reads any value. */
    private void value() {
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
            digits(1);
            integer = false;
        }
        if (at < end && (c(at) == 'e' || c(at) == 'E')) {
            at++;
            if (c(at) == '+' || c(at) == '-') {
                at++;
            }
            digits(1);
            integer = false;
        }
        if (at - start > MAX_NUMBER) {
            throw UNSURE;
        }
        return integer ? digits : -1;
    }

    private void digits(int least) {
        int start = at;
        while (at < end && c(at) >= '0' && c(at) <= '9') {
            at++;
        }
        if (at - start < least) {
            throw UNSURE;
        }
    }

    /** Reads a name and its colon; the name's bytes are then compared with {@link #is}. */
    private void name() {
        space();
        if (c(at) != '"') {
            throw UNSURE;
        }
        int start = ++at;
        while (true) {
            at = plain(at);
            int c = c(at);
            if (c == '"') {
                break;
            }
            if (c >= 0) {
                throw UNSURE; // an escape (Jackson compares the name decoded), or a control character
            }
            at = utf8(at);
        }
        nameAt = start;
        nameLength = at - start;
        if (nameLength > MAX_NAME) {
            throw UNSURE;
        }
        at++;
        space();
        if (c(at++) != ':') {
            throw UNSURE;
        }
        space();
    }

    private boolean is(byte[] name) {
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

    private void open(char bracket) {
        if (c(at) != bracket || ++depth > MAX_DEPTH) {
            throw UNSURE;
        }
        at++;
        space();
    }

    /** After an opening bracket: whether the container is empty (its closing bracket read). */
    private boolean endOf(char bracket) {
        if (c(at) == bracket) {
            at++;
            depth--;
            return true;
        }
        return false;
    }

    /** After a member or an element: true after a comma, false after the closing bracket. */
    private boolean more(char bracket) {
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

    private byte peek() {
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

    private static byte[] ascii(String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }
}
