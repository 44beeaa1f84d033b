package dev.junction.protocol.gemini;

import dev.junction.core.canonical.Part;
import dev.junction.protocol.JsonTrees;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * A {@code streamGenerateContent} chunk of the shape that carries almost every token: the first
 * candidate's parts are text (or thought text), perhaps a finish reason, and the usage so far;
 * no function call, no blocked prompt, no error. Read in one streaming pass without a tree;
 * {@link #read} gives null for any other chunk, which the decoder then reads as a tree.
 *
 * @param responseId the chunk's {@code responseId}, or null
 * @param modelVersion the chunk's {@code modelVersion}, or null
 * @param parts the non-empty text parts, thoughts as reasoning
 * @param usage the {@code usageMetadata} counts, or null when the chunk has none
 * @param finishReason the first candidate's {@code finishReason}, or null
 */
record TextChunk(String responseId, String modelVersion, List<Part> parts, UsageCounts usage, String finishReason) {

    /** The {@code usageMetadata} counts {@link CandidateReader#usage} reads, 0 when absent. */
    record UsageCounts(long prompt, long toolUsePrompt, long candidates, long thoughts, long cached) {
    }

    /**
     * The chunk, or null when it is not of this shape.
     *
     * @throws dev.junction.protocol.MalformedAnswerException when the data is not one JSON object
     */
    static TextChunk read(byte[] data) {
        return JsonTrees.readObject(data, p -> new Reader().chunk(p));
    }

    /** One pass; {@code plain} turns false at the first thing this shape does not allow. */
    private static final class Reader {
        private boolean plain = true;
        private boolean candidateSeen;
        private String responseId;
        private String modelVersion;
        private List<Part> parts = List.of();
        private UsageCounts usage;
        private String finishReason;

        TextChunk chunk(JsonParser p) {
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken value = p.nextToken();
                switch (name) {
                    case "responseId" -> responseId = JsonTrees.stringValue(p);
                    case "modelVersion" -> modelVersion = JsonTrees.stringValue(p);
                    case "candidates" -> {
                        plain &= value == JsonToken.START_ARRAY && !candidateSeen;
                        if (value == JsonToken.START_ARRAY && !candidateSeen) {
                            candidates(p);
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "usageMetadata" -> {
                        plain &= value == JsonToken.START_OBJECT && usage == null;
                        if (value == JsonToken.START_OBJECT) {
                            usage = usage(p);
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "error", "promptFeedback" -> {
                        plain = false;
                        p.skipChildren();
                    }
                    default -> p.skipChildren();
                }
            }
            return plain ? new TextChunk(responseId, modelVersion, parts, usage, finishReason) : null;
        }

        private void candidates(JsonParser p) {
            candidateSeen = true;
            boolean first = true;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (first && p.currentToken() == JsonToken.START_OBJECT) {
                    candidate(p);
                } else {
                    plain &= !first;
                    p.skipChildren();
                }
                first = false;
            }
        }

        private void candidate(JsonParser p) {
            boolean contentSeen = false;
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken value = p.nextToken();
                switch (name) {
                    case "content" -> {
                        plain &= value == JsonToken.START_OBJECT && !contentSeen;
                        contentSeen = true;
                        if (value == JsonToken.START_OBJECT) {
                            content(p);
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "finishReason" -> finishReason = JsonTrees.stringValue(p);
                    default -> p.skipChildren();
                }
            }
        }

        private void content(JsonParser p) {
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken value = p.nextToken();
                if (!name.equals("parts")) {
                    p.skipChildren();
                } else if (value == JsonToken.START_ARRAY) {
                    parts = new ArrayList<>(1);
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (p.currentToken() == JsonToken.START_OBJECT) {
                            part(p);
                        } else {
                            plain = false;
                            p.skipChildren();
                        }
                    }
                } else {
                    plain = false;
                    p.skipChildren();
                }
            }
        }

        /** A text part; thought text as reasoning, empty text left out. */
        private void part(JsonParser p) {
            String text = null;
            boolean thought = false;
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken value = p.nextToken();
                switch (name) {
                    case "text" -> text = JsonTrees.stringValue(p);
                    case "thought" -> {
                        plain &= value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE;
                        thought = value == JsonToken.VALUE_TRUE;
                        p.skipChildren();
                    }
                    case "functionCall" -> {
                        plain = false;
                        p.skipChildren();
                    }
                    default -> p.skipChildren();
                }
            }
            if (text != null && !text.isEmpty()) {
                parts.add(thought ? new Part.Reasoning(text, null) : Part.Text.of(text));
            }
        }

        private static UsageCounts usage(JsonParser p) {
            long prompt = 0;
            long toolUse = 0;
            long candidates = 0;
            long thoughts = 0;
            long cached = 0;
            String name;
            while ((name = p.nextName()) != null) {
                p.nextToken();
                switch (name) {
                    case "promptTokenCount" -> prompt = count(p);
                    case "toolUsePromptTokenCount" -> toolUse = count(p);
                    case "candidatesTokenCount" -> candidates = count(p);
                    case "thoughtsTokenCount" -> thoughts = count(p);
                    case "cachedContentTokenCount" -> cached = count(p);
                    default -> p.skipChildren();
                }
            }
            return new UsageCounts(prompt, toolUse, candidates, thoughts, cached);
        }

        /** A whole number as {@link JsonTrees#count} reads it: at least 0, and 0 when not a whole number. */
        private static long count(JsonParser p) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                p.skipChildren();
                return 0;
            }
            return Math.max(0, p.getNumberValue().longValue());
        }
    }
}
