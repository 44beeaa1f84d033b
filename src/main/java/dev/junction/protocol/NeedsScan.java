package dev.junction.protocol;

import dev.junction.core.Needs;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Finds a chat request's {@link Needs} in one streaming pass over the client's bytes, for every
 * client API at once (their field names do not collide): tools ({@code tools}, {@code functions}),
 * images and documents (parts typed {@code image_url}, {@code input_image}, {@code image},
 * {@code document}, {@code file}, {@code input_file}; Gemini's {@code inlineData}/{@code fileData}),
 * a JSON schema ({@code "type": "json_schema"} outside the tools, Gemini's {@code responseSchema}),
 * a reasoning request, the output asked for ({@code max_tokens}, {@code max_completion_tokens},
 * {@code max_output_tokens}, {@code maxOutputTokens}) and the conversation id
 * ({@code metadata.user_id}, {@code prompt_cache_key}). Nothing is bound to objects and no string
 * is copied but the few kept values. A body that is not valid JSON has no needs (its parser
 * already refused it).
 */
public final class NeedsScan {

    /** Tokens charged for one image or document, whatever its encoded size. */
    static final long MEDIA_TOKENS = 1_000;
    /** A string this long under a media field is file data, not text. */
    private static final int BLOB = 512;
    private static final int MAX_DEPTH = 64;

    private NeedsScan() {
    }

    /** The needs of a chat-like request body. */
    public static Needs of(byte[] body) {
        try (JsonParser p = JsonTrees.MAPPER.createParser(body)) {
            return scan(p);
        } catch (JacksonException | IllegalStateException e) {
            return Needs.NONE;
        }
    }

    private static Needs scan(JsonParser p) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return Needs.NONE;
        }
        String[] names = new String[MAX_DEPTH + 1];
        int depth = 1;
        int mask = 0;
        long chars = 0;
        long media = 0;
        long maxOutput = 0;
        String session = null;
        int turns = 0;
        boolean code = false;
        int keywords = 0;
        boolean inTools = false;
        JsonToken token;
        while (depth > 0 && (token = p.nextToken()) != null) {
            switch (token) {
                case PROPERTY_NAME -> {
                    String name = p.currentName();
                    if (depth <= MAX_DEPTH) {
                        names[depth] = name;
                    }
                    switch (name) {
                        case "inlineData", "inline_data", "fileData", "file_data" -> {
                            mask |= Needs.VISION;
                            media++;
                        }
                        case "responseSchema", "response_schema", "responseJsonSchema", "response_json_schema" ->
                            mask |= Needs.JSON_SCHEMA;
                        case "thinkingConfig", "thinking_config" -> mask |= Needs.REASONING;
                        default -> {
                        }
                    }
                }
                case START_OBJECT, START_ARRAY -> {
                    String field = depth <= MAX_DEPTH ? names[depth] : null;
                    if (depth == 1 && field != null) {
                        inTools = field.equals("tools") || field.equals("functions");
                        if (field.equals("reasoning") && token == JsonToken.START_OBJECT) {
                            mask |= Needs.REASONING;
                        }
                    }
                    if (depth == 2 && token == JsonToken.START_OBJECT && names[1] != null && isConversation(names[1])
                            && names[2] == null) {
                        turns++;
                    }
                    if (depth == 2 && inTools && names[2] == null) {
                        mask |= Needs.TOOLS;
                    }
                    depth++;
                    if (depth <= MAX_DEPTH) {
                        names[depth] = null;
                    }
                }
                case END_OBJECT, END_ARRAY -> {
                    depth--;
                    if (depth == 1) {
                        inTools = false;
                    }
                    // Inside an array the item has no field name: forget the one the array had.
                    if (depth >= 1 && depth <= MAX_DEPTH && p.streamReadContext().inArray()) {
                        names[depth] = null;
                    }
                }
                case VALUE_STRING -> {
                    String field = depth <= MAX_DEPTH ? names[depth] : null;
                    int length = p.getStringLength();
                    if ("type".equals(field)) {
                        String type = p.getString();
                        switch (type) {
                            case "image_url", "input_image", "image", "document", "file", "input_file" -> {
                                if (!inTools) {
                                    mask |= Needs.VISION;
                                    media++;
                                }
                            }
                            case "json_schema" -> mask |= inTools ? 0 : Needs.JSON_SCHEMA;
                            case "enabled", "adaptive" -> mask |= depth == 2 && "thinking".equals(names[1])
                                    ? Needs.REASONING : 0;
                            default -> {
                            }
                        }
                    } else if (depth == 1 && "prompt_cache_key".equals(field)) {
                        session = p.getString();
                    } else if (depth == 2 && "user_id".equals(field) && "metadata".equals(names[1])) {
                        session = p.getString();
                    } else if (depth == 1 && "reasoning_effort".equals(field)) {
                        mask |= Needs.REASONING;
                    }
                    if (length >= BLOB && isBlob(p, field)) {
                        continue;
                    }
                    chars += length;
                    if (!code && length >= 3) {
                        code = hasFence(p);
                    }
                    if (keywords < Needs.MAX_KEYWORDS && !inTools && length >= 4 && isText(field)) {
                        keywords = ReasoningWords.count(p.getStringCharacters(), p.getStringOffset(), length,
                                keywords);
                    }
                }
                case VALUE_NUMBER_INT -> {
                    String field = depth <= MAX_DEPTH ? names[depth] : null;
                    if (field != null && (depth == 1 && (field.equals("max_tokens")
                            || field.equals("max_completion_tokens") || field.equals("max_output_tokens"))
                            || field.equals("maxOutputTokens") || field.equals("max_output_tokens"))) {
                        maxOutput = Math.max(0, p.getValueAsLong(0));
                    }
                }
                default -> {
                }
            }
        }
        long tokens = (chars + 3) / 4 + media * MEDIA_TOKENS + 4L * turns;
        return new Needs(mask, tokens, maxOutput, session, turns, code, keywords);
    }

    /** A string a person wrote: message content, a text part, instructions (not a role, id or model). */
    private static boolean isText(String field) {
        return field == null || switch (field) {
            case "content", "text", "input", "instructions", "system", "prompt" -> true;
            default -> false;
        };
    }

    private static boolean isConversation(String field) {
        return field.equals("messages") || field.equals("contents") || field.equals("input");
    }

    /** A long string that is file data: under {@code data}/{@code url}/{@code file_data}, or a data URL. */
    private static boolean isBlob(JsonParser p, String field) {
        if (field != null && (field.equals("data") || field.equals("file_data") || field.equals("image_url")
                || field.equals("url") || field.equals("fileUri"))) {
            return true;
        }
        char[] text = p.getStringCharacters();
        int at = p.getStringOffset();
        return p.getStringLength() > 5 && text[at] == 'd' && text[at + 1] == 'a' && text[at + 2] == 't'
                && text[at + 3] == 'a' && text[at + 4] == ':';
    }

    private static boolean hasFence(JsonParser p) {
        char[] text = p.getStringCharacters();
        int end = p.getStringOffset() + p.getStringLength() - 2;
        for (int i = p.getStringOffset(); i < end; i++) {
            if (text[i] == '`' && text[i + 1] == '`' && text[i + 2] == '`') {
                return true;
            }
        }
        return false;
    }
}
