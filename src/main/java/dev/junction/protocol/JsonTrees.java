package dev.junction.protocol;

import dev.junction.core.GatewayException;
import dev.junction.core.canonical.Part;
import dev.junction.http.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

/**
 * The shared Jackson mapper of the translating codecs, and the few tree reads they all repeat.
 * Translation reads JSON into trees (no reflection, no binding to classes) and writes trees back.
 */
public final class JsonTrees {

    public static final JsonFactory FACTORY = JsonFactory.builder().build();
    public static final JsonMapper MAPPER = JsonMapper.builder(FACTORY).build();

    /**
     * For reading client request bodies: refuses an object with the same key twice, at any depth.
     * Parsers disagree on which of two {@code "model"} keys counts (Jackson's trees keep the last,
     * other servers the first), so a body with duplicates could be checked against the key's
     * allow-list under one model and served by a provider under the other.
     */
    public static final JsonFactory CLIENT_FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    public static final JsonMapper CLIENT_MAPPER = JsonMapper.builder(CLIENT_FACTORY).build();

    private JsonTrees() {
    }

    /** Parses a JSON object. */
    public static ObjectNode object(byte[] json) {
        return object(json, 0, json.length);
    }

    /**
     * Parses a client's request body, which must be one JSON object without duplicate keys.
     *
     * @throws MalformedAnswerException when it is not
     */
    public static ObjectNode clientObject(byte[] json) {
        try {
            if (CLIENT_MAPPER.readTree(json) instanceof ObjectNode object) {
                return object;
            }
        } catch (JacksonException e) {
            throw new MalformedAnswerException("not valid JSON: " + e.getOriginalMessage());
        }
        throw new MalformedAnswerException("not a JSON object");
    }

    /** A streaming parser over a client's request body that refuses duplicate keys at any depth. */
    public static JsonParser clientParser(byte[] json, int offset, int length) {
        return CLIENT_FACTORY.createParser(ObjectReadContext.empty(), json, offset, length);
    }

    /**
     * Parses a JSON object from part of an array.
     *
     * @throws MalformedAnswerException when the bytes are not one JSON object
     */
    public static ObjectNode object(byte[] json, int offset, int length) {
        try {
            if (MAPPER.readTree(json, offset, length) instanceof ObjectNode object) {
                return object;
            }
        } catch (JacksonException e) {
            throw new MalformedAnswerException("not valid JSON: " + e.getOriginalMessage());
        }
        throw new MalformedAnswerException("not a JSON object");
    }

    /**
     * Canonical JSON text (a schema) to put into a tree as it is, without parsing it: for text that
     * a decoder wrote with this mapper, so it is compact and reads back to the same bytes.
     */
    public static RawValue raw(String json) {
        return new RawValue(json);
    }

    /**
     * Whether JSON text is an object with this top-level field, read without a tree; false for
     * anything else, malformed text included.
     */
    public static boolean hasField(String json, String field) {
        try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            String name;
            while ((name = parser.nextName()) != null) {
                if (name.equals(field)) {
                    return true;
                }
                parser.nextToken();
                parser.skipChildren();
            }
            return false;
        } catch (JacksonException e) {
            return false;
        }
    }

    /** Parses JSON text (a schema, tool arguments) into a tree. */
    public static JsonNode parse(String json) {
        return MAPPER.readTree(json);
    }

    /**
     * A tool call's arguments as the JSON object Anthropic's {@code input} and Gemini's {@code args}
     * need. The arguments are the model's own earlier output; if they are not an object the
     * conversation cannot be replayed to such a provider, which the client is told.
     */
    public static ObjectNode toolArguments(Part.ToolCall call) {
        try {
            if (parse(call.arguments()) instanceof ObjectNode object) {
                return object;
            }
        } catch (JacksonException e) {
            // Reported below.
        }
        throw GatewayException.invalidRequest("The arguments of tool call '" + call.id()
                + "' are not a JSON object, so the conversation cannot be replayed to this provider.");
    }

    /** A string field's value, or null when absent or not a string. */
    public static String string(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }

    /** A whole-number field's value, or 0 (also for a negative count or one beyond {@code long}). */
    public static long count(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isIntegralNumber() && value.canConvertToLong() ? Math.max(0, value.longValue())
                : 0;
    }

    public static byte[] bytes(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    public static String text(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    /** The start of a body, for messages about it. */
    public static String excerpt(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "(empty body)" : text;
    }

    /**
     * A stream event's type: the JSON's {@code type} field, else the SSE {@code event:} name, else empty.
     *
     * @param type the JSON's {@code type} string, or null when absent or not a string
     */
    public static String eventType(String type, SseEvent event) {
        if (type != null) {
            return type;
        }
        return event.name() == null ? "" : event.name();
    }

    /**
     * Reads a JSON object with a streaming parser instead of a tree, for the per-event readers that
     * need a few fields. {@code reader} gets the parser just past the object's {@code START_OBJECT}
     * and reads through its {@code END_OBJECT}; the bytes are accepted exactly when
     * {@link #object(byte[])} would accept them.
     *
     * @throws MalformedAnswerException when the bytes are not one JSON object
     */
    public static <T> T readObject(byte[] json, Function<JsonParser, T> reader) {
        try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedAnswerException("not a JSON object");
            }
            T read = reader.apply(parser);
            if (parser.nextToken() != null) {
                throw new MalformedAnswerException("not valid JSON: more data after the object");
            }
            return read;
        } catch (JacksonException e) {
            throw new MalformedAnswerException("not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** The string value the parser is at, or null when the value is not a string (which it skips). */
    public static String stringValue(JsonParser parser) {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            return parser.getString();
        }
        parser.skipChildren();
        return null;
    }
}
