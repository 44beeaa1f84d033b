package dev.junction.protocol.openai;

import static dev.junction.protocol.PlainJson.ascii;

import dev.junction.core.TokenUsage;
import dev.junction.protocol.PlainJson;

/**
 * {@link ChunkScan} on {@link PlainJson}, for the chunks providers actually send: a pass-through
 * stream scans every event, and Jackson's parser cost about 0.6 µs per chunk, an eighth of what
 * relaying an event costs (bench/RESULTS.md). On the plain subset it answers what
 * {@link ChunkScan#parse} would; on anything else (malformed input, escaped names, a count too
 * large for a {@code long}, a choice that is not an object ...) it answers null and the caller asks
 * Jackson. {@code ChunkScanTest} checks the two agree on generated and mutated chunks, and the
 * provider-answer fuzz target on whatever it finds.
 */
final class QuickScan {

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

    private QuickScan() {
    }

    /** The scan of {@code json}, or null when it is outside the plain subset. */
    static ChunkScan of(byte[] json, int offset, int length) {
        return PlainJson.read(json, offset, length, QuickScan::document);
    }

    private static ChunkScan document(PlainJson json) {
        TokenUsage usage = null;
        int flags = 0;
        boolean hasChoices = false;
        boolean choicesEmpty = false;
        boolean error = false;
        json.open('{');
        if (!json.endOf('}')) {
            do {
                json.name();
                if (json.is(USAGE)) {
                    if (json.peek() == '{') {
                        usage = usage(json);
                    } else {
                        json.value();
                        usage = null;
                    }
                } else if (json.is(ERROR)) {
                    error = json.peek() != 'n';
                    json.value();
                } else if (json.is(CHOICES) && json.peek() == '[') {
                    hasChoices = true;
                    json.open('[');
                    int count = 0;
                    if (!json.endOf(']')) {
                        do {
                            if (json.peek() != '{') {
                                throw json.unsure(); // Jackson's reading of that is its own
                            }
                            flags |= choice(json);
                            count++;
                        } while (json.more(']'));
                    }
                    choicesEmpty = count == 0;
                } else {
                    json.value();
                }
            } while (json.more('}'));
        }
        boolean finished = (flags & FLAG_FINISH) != 0;
        return new ChunkScan(usage, (flags & FLAG_CONTENT) != 0 || finished, finished, choicesEmpty, hasChoices,
                error, (flags & FLAG_TOOL) != 0);
    }

    private static int choice(PlainJson json) {
        int flags = 0;
        json.open('{');
        if (!json.endOf('}')) {
            do {
                json.name();
                if (json.is(DELTA) || json.is(MESSAGE)) {
                    if (json.peek() == '{') {
                        flags |= delta(json);
                    } else {
                        json.value();
                    }
                } else if (json.is(FINISH_REASON)) {
                    if (json.peek() != 'n') {
                        flags |= FLAG_FINISH;
                    }
                    json.value();
                } else {
                    json.value();
                }
            } while (json.more('}'));
        }
        return flags;
    }

    private static int delta(PlainJson json) {
        int flags = 0;
        json.open('{');
        if (!json.endOf('}')) {
            do {
                json.name();
                if (json.is(CONTENT) || json.is(REASONING_CONTENT) || json.is(REASONING) || json.is(REFUSAL)) {
                    boolean text = json.peek() == '"';
                    boolean some = text ? !json.emptyString() : nonEmpty(json);
                    if (text) {
                        json.value();
                    }
                    if (some) {
                        flags |= FLAG_CONTENT;
                    }
                } else if (json.is(TOOL_CALLS) || json.is(FUNCTION_CALL)) {
                    if (nonEmpty(json)) {
                        flags |= FLAG_CONTENT | FLAG_TOOL;
                    }
                } else if (json.is(AUDIO)) {
                    if (nonEmpty(json)) {
                        flags |= FLAG_CONTENT;
                    }
                } else {
                    json.value();
                }
            } while (json.more('}'));
        }
        return flags;
    }

    /** Reads a value as {@code ChunkScan.nonEmpty} judges it: a non-empty array, any object, anything but null. */
    private static boolean nonEmpty(PlainJson json) {
        return switch (json.peek()) {
            case '[' -> {
                json.open('[');
                int items = 0;
                if (!json.endOf(']')) {
                    do {
                        json.value();
                        items++;
                    } while (json.more(']'));
                }
                yield items > 0;
            }
            case 'n' -> {
                json.value();
                yield false;
            }
            default -> {
                json.value();
                yield true;
            }
        };
    }

    /** The usage object, read as {@code ChunkScan.usage} reads it. */
    private static TokenUsage usage(PlainJson json) {
        long input = 0;
        long output = 0;
        long detailsCached = -1;
        long hitCached = -1;
        long topCached = -1;
        long cacheWrite = 0;
        long reasoning = 0;
        json.open('{');
        if (!json.endOf('}')) {
            do {
                json.name();
                if (json.is(PROMPT_TOKENS)) {
                    input = count(json);
                } else if (json.is(COMPLETION_TOKENS)) {
                    output = count(json);
                } else if (json.is(PROMPT_CACHE_HIT_TOKENS)) {
                    hitCached = count(json);
                } else if (json.is(CACHED_TOKENS)) {
                    topCached = count(json);
                } else if (json.is(PROMPT_TOKENS_DETAILS) && json.peek() == '{') {
                    json.open('{');
                    if (!json.endOf('}')) {
                        do {
                            json.name();
                            if (json.is(CACHED_TOKENS)) {
                                detailsCached = count(json);
                            } else if (json.is(CACHE_CREATION_TOKENS)) {
                                cacheWrite = count(json);
                            } else {
                                json.value();
                            }
                        } while (json.more('}'));
                    }
                } else if (json.is(COMPLETION_TOKENS_DETAILS) && json.peek() == '{') {
                    json.open('{');
                    if (!json.endOf('}')) {
                        do {
                            json.name();
                            if (json.is(REASONING_TOKENS)) {
                                reasoning = count(json);
                            } else {
                                json.value();
                            }
                        } while (json.more('}'));
                    }
                } else {
                    json.value();
                }
            } while (json.more('}'));
        }
        return ChunkScan.tokens(input, output, detailsCached, hitCached, topCached, cacheWrite, reasoning);
    }

    /** A count: a non-negative integer as it is, a negative one as 0, anything else read and counted 0. */
    private static long count(PlainJson json) {
        byte c = json.peek();
        if (c != '-' && (c < '0' || c > '9')) {
            json.value();
            return 0;
        }
        long n = json.integer();
        return n == PlainJson.NOT_INTEGER ? 0 : Math.max(0, n);
    }
}
