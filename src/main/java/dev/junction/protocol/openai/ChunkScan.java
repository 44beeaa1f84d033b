package dev.junction.protocol.openai;

import dev.junction.core.TokenUsage;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * What the pass-through path needs to know about one chat-completion chunk (or a whole
 * non-streamed response), read in a single streaming pass without binding: does it carry content,
 * a finish, usage, an error, and is it the usage-only chunk. Reading it also proves the JSON is
 * well formed.
 *
 * @param usage tokens if the chunk carries a non-null {@code usage}
 * @param hasContent a choice carries text, reasoning, a refusal, tool calls or a finish reason
 * @param finished a choice carries a non-null {@code finish_reason}
 * @param choicesEmpty {@code choices} is present and empty (OpenAI's usage-only final chunk)
 * @param hasChoices {@code choices} is present
 * @param error the chunk is an error object instead of a completion
 * @param toolCalls a choice carries {@code tool_calls} or {@code function_call}
 */
public record ChunkScan(TokenUsage usage, boolean hasContent, boolean finished, boolean choicesEmpty,
        boolean hasChoices, boolean error, boolean toolCalls) {

    /** The OpenAI stream terminator payload. */
    static boolean isDone(byte[] data) {
        return data.length == 6 && data[0] == '[' && data[1] == 'D' && data[2] == 'O' && data[3] == 'N'
                && data[4] == 'E' && data[5] == ']';
    }

    /**
     * Scans one JSON document: by {@link QuickScan} when it is of the plain kind providers send,
     * else by Jackson's parser.
     *
     * @throws IllegalArgumentException when the bytes are not a JSON object
     */
    public static ChunkScan of(byte[] json, int offset, int length) {
        ChunkScan quick = QuickScan.of(json, offset, length);
        return quick != null ? quick : parse(json, offset, length);
    }

    /** Scans one JSON document with Jackson's parser: any JSON, and the reason when it is not. */
    static ChunkScan parse(byte[] json, int offset, int length) {
        TokenUsage usage = null;
        boolean content = false;
        boolean finished = false;
        boolean hasChoices = false;
        boolean choicesEmpty = false;
        boolean error = false;
        boolean tools = false;
        try (JsonParser p = Json.parser(json, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken token = p.nextToken();
                switch (name) {
                    case "usage" -> usage = token == JsonToken.START_OBJECT ? usage(p) : skipNull(p);
                    case "error" -> {
                        error = token != JsonToken.VALUE_NULL;
                        p.skipChildren();
                    }
                    case "choices" -> {
                        if (token != JsonToken.START_ARRAY) {
                            p.skipChildren();
                            continue;
                        }
                        hasChoices = true;
                        int count = 0;
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            count++;
                            int flags = choice(p);
                            content |= (flags & CONTENT) != 0;
                            finished |= (flags & FINISH) != 0;
                            tools |= (flags & TOOL) != 0;
                        }
                        choicesEmpty = count == 0;
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("data after the JSON object");
            }
        } catch (JacksonException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
        return new ChunkScan(usage, content || finished, finished, choicesEmpty, hasChoices, error, tools);
    }

    public static ChunkScan of(byte[] json) {
        return of(json, 0, json.length);
    }

    private static final int CONTENT = 1;
    private static final int FINISH = 2;
    private static final int TOOL = 4;

    private static int choice(JsonParser p) {
        int flags = 0;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken token = p.nextToken();
            switch (name) {
                case "delta", "message" -> {
                    if (token == JsonToken.START_OBJECT) {
                        flags |= delta(p);
                    } else {
                        p.skipChildren();
                    }
                }
                case "finish_reason" -> {
                    if (token != JsonToken.VALUE_NULL) {
                        flags |= FINISH;
                    }
                    p.skipChildren();
                }
                default -> p.skipChildren();
            }
        }
        return flags;
    }

    /**
     * Consumes a delta/message object: {@link #CONTENT} when it carries anything a person would
     * see, {@link #TOOL} when that is a tool call.
     */
    private static int delta(JsonParser p) {
        int flags = 0;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken token = p.nextToken();
            switch (name) {
                case "content", "reasoning_content", "reasoning", "refusal" -> {
                    if (token == JsonToken.VALUE_STRING ? p.getStringLength() > 0 : nonEmpty(p, token)) {
                        flags |= CONTENT;
                    }
                }
                case "tool_calls", "function_call" -> {
                    if (nonEmpty(p, token)) {
                        flags |= CONTENT | TOOL;
                    }
                }
                case "audio" -> {
                    if (nonEmpty(p, token)) {
                        flags |= CONTENT;
                    }
                }
                default -> p.skipChildren();
            }
        }
        return flags;
    }

    private static boolean nonEmpty(JsonParser p, JsonToken token) {
        return switch (token) {
            case START_ARRAY -> Json.countItems(p) > 0;
            case START_OBJECT -> {
                p.skipChildren();
                yield true;
            }
            case VALUE_NULL -> false;
            default -> true;
        };
    }

    private static TokenUsage skipNull(JsonParser p) {
        p.skipChildren();
        return null;
    }

    /**
     * Reads a usage object as {@link ChatUsage#read} does: cached prompt tokens from OpenAI's
     * {@code prompt_tokens_details.cached_tokens}, else DeepSeek's {@code prompt_cache_hit_tokens},
     * else Moonshot's top-level {@code cached_tokens}; reasoning from
     * {@code completion_tokens_details.reasoning_tokens}.
     */
    private static TokenUsage usage(JsonParser p) {
        long input = 0;
        long output = 0;
        long detailsCached = -1;
        long hitCached = -1;
        long topCached = -1;
        long cacheWrite = 0;
        long reasoning = 0;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken token = p.nextToken();
            switch (name) {
                case "prompt_tokens" -> input = count(p, token);
                case "completion_tokens" -> output = count(p, token);
                case "prompt_cache_hit_tokens" -> hitCached = count(p, token);
                case "cached_tokens" -> topCached = count(p, token);
                case "prompt_tokens_details" -> {
                    if (token != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        continue;
                    }
                    String detail;
                    while ((detail = p.nextName()) != null) {
                        JsonToken value = p.nextToken();
                        switch (detail) {
                            case "cached_tokens" -> detailsCached = count(p, value);
                            case "cache_creation_tokens" -> cacheWrite = count(p, value);
                            default -> p.skipChildren();
                        }
                    }
                }
                case "completion_tokens_details" -> {
                    if (token != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        continue;
                    }
                    String detail;
                    while ((detail = p.nextName()) != null) {
                        JsonToken value = p.nextToken();
                        if (detail.equals("reasoning_tokens")) {
                            reasoning = count(p, value);
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        return tokens(input, output, detailsCached, hitCached, topCached, cacheWrite, reasoning);
    }

    /**
     * The counts of a usage object, both readers' (this and {@link QuickScan}): cached tokens from
     * the details, else the cache hits, else the top-level count (-1 where absent).
     */
    static TokenUsage tokens(long input, long output, long detailsCached, long hitCached, long topCached,
            long cacheWrite, long reasoning) {
        long cached = detailsCached >= 0 ? detailsCached : hitCached >= 0 ? hitCached : Math.max(0, topCached);
        return new TokenUsage(input, output, cached, cacheWrite, reasoning);
    }

    /** A non-negative integer count; anything else (null, a string, an object) counts as 0. */
    private static long count(JsonParser p, JsonToken token) {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return Math.max(0, p.getLongValue());
        }
        p.skipChildren();
        return 0;
    }
}
