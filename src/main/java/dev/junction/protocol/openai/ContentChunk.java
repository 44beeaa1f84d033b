package dev.junction.protocol.openai;

import dev.junction.protocol.JsonTrees;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * A chat-completion chunk of the shape that carries almost every token: the first choice's delta
 * holds text, reasoning or a refusal as strings, maybe a finish reason, and nothing else the
 * stream decoder acts on (no tool calls, no usage, no error). Read in one streaming pass without a
 * tree; {@link #read} gives null for any other chunk, which the decoder then reads as a tree, so
 * every provider quirk is handled in one place.
 *
 * @param id the chunk's {@code id}, or null
 * @param model the chunk's {@code model}, or null
 * @param reasoningContent the delta's {@code reasoning_content}, or null
 * @param reasoningText the delta's {@code reasoning}, or null
 * @param content the delta's {@code content}, or null
 * @param refusal the delta's {@code refusal}, or null
 * @param finishReason the first choice's {@code finish_reason}, or null
 */
record ContentChunk(String id, String model, String reasoningContent, String reasoningText, String content,
        String refusal, String finishReason) {

    /**
     * The chunk, or null when it is not of this shape.
     *
     * @throws dev.junction.protocol.MalformedAnswerException when the data is not one JSON object
     */
    static ContentChunk read(byte[] data) {
        return JsonTrees.readObject(data, p -> new Reader().chunk(p));
    }

    /** The reasoning as {@link ChatResponseDecoder#reasoning} reads it. */
    String reasoning() {
        return ChatResponseDecoder.reasoning(reasoningContent, reasoningText);
    }

    /** One pass over a chunk; {@code plain} turns false at the first thing this shape does not allow. */
    private static final class Reader {
        private boolean plain = true;
        private boolean choiceSeen;
        private boolean deltaSeen;
        private String id;
        private String model;
        private String reasoningContent;
        private String reasoning;
        private String content;
        private String refusal;
        private String finishReason;

        ContentChunk chunk(JsonParser p) {
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken value = p.nextToken();
                switch (name) {
                    case "id" -> id = JsonTrees.stringValue(p);
                    case "model" -> model = JsonTrees.stringValue(p);
                    case "object" -> plain &= !"error".equals(JsonTrees.stringValue(p));
                    case "error", "usage" -> nullOnly(p, value);
                    case "choices" -> {
                        if (value == JsonToken.START_ARRAY && !choiceSeen) {
                            choices(p);
                        } else {
                            plain = false;
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            return plain ? new ContentChunk(id, model, reasoningContent, reasoning, content, refusal, finishReason)
                    : null;
        }

        /** The first choice is read, the others skipped as the decoder ignores them. */
        private void choices(JsonParser p) {
            choiceSeen = true;
            boolean first = true;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (first && p.currentToken() == JsonToken.START_OBJECT) {
                    choice(p);
                } else {
                    plain &= !first;
                    p.skipChildren();
                }
                first = false;
            }
        }

        private void choice(JsonParser p) {
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken value = p.nextToken();
                switch (name) {
                    case "delta" -> {
                        if (value == JsonToken.START_OBJECT && !deltaSeen) {
                            delta(p);
                        } else {
                            plain = false;
                            p.skipChildren();
                        }
                    }
                    case "finish_reason" -> finishReason = JsonTrees.stringValue(p);
                    case "usage" -> nullOnly(p, value);
                    default -> p.skipChildren();
                }
            }
        }

        private void delta(JsonParser p) {
            deltaSeen = true;
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken value = p.nextToken();
                switch (name) {
                    case "content" -> {
                        plain &= value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NULL;
                        content = JsonTrees.stringValue(p);
                    }
                    case "reasoning_content" -> reasoningContent = JsonTrees.stringValue(p);
                    case "reasoning" -> reasoning = JsonTrees.stringValue(p);
                    case "refusal" -> refusal = JsonTrees.stringValue(p);
                    case "tool_calls" -> {
                        if (value == JsonToken.START_ARRAY) {
                            plain &= Json.countItems(p) == 0;
                        } else {
                            nullOnly(p, value);
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }

        private void nullOnly(JsonParser p, JsonToken value) {
            plain &= value == JsonToken.VALUE_NULL;
            p.skipChildren();
        }
    }
}
