package dev.junction.protocol;

import java.util.OptionalLong;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The most output tokens a client request asks for, in whichever spelling its API uses: OpenAI chat
 * {@code max_completion_tokens} or {@code max_tokens}, Anthropic {@code max_tokens}, Responses
 * {@code max_output_tokens}, Gemini {@code generationConfig.maxOutputTokens}. Admission reserves
 * budgets and token limits with it, so it reads the body once more, streaming, only when a limit
 * needs it.
 */
public final class OutputLimit {

    private OutputLimit() {
    }

    /** The largest output limit the body names; empty when it names none (or is not a JSON object). */
    public static OptionalLong requested(byte[] body) {
        long found = -1;
        try (JsonParser p = JsonTrees.clientParser(body, 0, body.length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return OptionalLong.empty();
            }
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken value = p.nextToken();
                switch (name) {
                    case "max_tokens", "max_completion_tokens", "max_output_tokens" -> found = Math.max(found,
                            number(p, value));
                    case "generationConfig", "generation_config" -> {
                        if (value != JsonToken.START_OBJECT) {
                            p.skipChildren();
                            continue;
                        }
                        String inner;
                        while ((inner = p.nextName()) != null) {
                            JsonToken v = p.nextToken();
                            if (inner.equals("maxOutputTokens") || inner.equals("max_output_tokens")) {
                                found = Math.max(found, number(p, v));
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (JacksonException e) {
            return found >= 0 ? OptionalLong.of(found) : OptionalLong.empty();
        }
        return found >= 0 ? OptionalLong.of(found) : OptionalLong.empty();
    }

    private static long number(JsonParser p, JsonToken value) {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            try {
                return Math.max(0, p.getLongValue());
            } catch (JacksonException tooLarge) {
                return Long.MAX_VALUE / 4;
            }
        }
        if (value == JsonToken.VALUE_STRING) {
            try {
                return Math.max(0, Long.parseLong(p.getString().strip()));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        p.skipChildren();
        return -1;
    }
}
