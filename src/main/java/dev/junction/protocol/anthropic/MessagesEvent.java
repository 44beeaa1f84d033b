package dev.junction.protocol.anthropic;

import dev.junction.http.SseEvent;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.PlainJson;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * What the per-event paths need of one Messages stream event, read in one streaming pass without
 * a tree: its type, its block index and, for a delta, the delta's type and its one value (the
 * text, thinking, signature or partial JSON). It is {@code plain} when every field it read had the
 * expected JSON type (strings, an int index, a delta object of strings with at most one value);
 * for anything else the caller reads the event's tree, so unusual events are read exactly as
 * before.
 *
 * @param type the JSON {@code type}, or null when absent or not a string
 * @param index the {@code index}, 0 when absent
 * @param deltaType the delta's {@code type}, or null
 * @param deltaValue the delta's value field, or null
 * @param deltaField that field's name, or null
 */
record MessagesEvent(String type, int index, String deltaType, String deltaValue, String deltaField,
        boolean plain) {

    /**
     * @throws dev.junction.protocol.MalformedAnswerException when the data is not one JSON object
     */
    static MessagesEvent read(byte[] data) {
        return JsonTrees.readObject(data, MessagesEvent::read);
    }

    /** The event's type, or the SSE event name when the JSON has none (for the pass-through's verdicts). */
    String type(SseEvent event) {
        return JsonTrees.eventType(type, event);
    }

    private static final byte[] TYPE = PlainJson.ascii("type");
    /** What {@link #plainType} answers for a type that is absent or not a string (compared by identity). */
    private static final String NO_TYPE = new String("no type");

    /**
     * What {@code read(event.data()).type(event)} answers, without decoding the rest of the event:
     * the pass-through reads only the type of most events, and a delta's text cost a string each.
     * Read by {@link PlainJson} when the data is plain JSON, else by {@link #read}.
     *
     * @throws dev.junction.protocol.MalformedAnswerException when the data is not one JSON object
     */
    static String typeOf(SseEvent event) {
        String type = plainType(event);
        return type != null ? type : read(event.data()).type(event);
    }

    /** {@link #typeOf} when the data is plain JSON, else null. */
    static String plainType(SseEvent event) {
        byte[] data = event.data();
        String type = PlainJson.read(data, 0, data.length, MessagesEvent::plainType);
        return type == null ? null : JsonTrees.eventType(type == NO_TYPE ? null : type, event);
    }

    /** The last top-level {@code type}: its text when a string, else {@link #NO_TYPE}, as {@link #read} keeps it. */
    private static String plainType(PlainJson json) {
        String type = NO_TYPE;
        json.open('{');
        if (!json.endOf('}')) {
            do {
                json.name();
                if (json.is(TYPE)) {
                    String text = json.stringValue();
                    type = text != null ? text : NO_TYPE;
                } else {
                    json.value();
                }
            } while (json.more('}'));
        }
        return type;
    }

    /** The delta's {@code field}, "" when the delta has another or none (as a tree's {@code asString("")} reads it). */
    String deltaValue(String field) {
        return field.equals(deltaField) ? deltaValue : "";
    }

    private static MessagesEvent read(JsonParser p) {
        String type = null;
        int index = 0;
        Delta delta = null;
        boolean plain = true;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken value = p.nextToken();
            switch (name) {
                case "type" -> {
                    type = JsonTrees.stringValue(p);
                    plain &= type != null;
                }
                case "index" -> {
                    if (value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                        index = p.getIntValue();
                    } else {
                        plain = false;
                        p.skipChildren();
                    }
                }
                case "delta" -> {
                    plain &= delta == null;
                    delta = value == JsonToken.START_OBJECT ? Delta.read(p) : Delta.skip(p);
                    plain &= delta.plain();
                }
                default -> p.skipChildren();
            }
        }
        delta = delta == null ? Delta.NONE : delta;
        return new MessagesEvent(type, index, delta.type(), delta.value(), delta.field(),
                plain);
    }

    /** The delta object: its type and at most one other field, all strings. */
    private record Delta(String type, String field, String value, boolean plain) {

        static final Delta NONE = new Delta(null, null, null, true);

        static Delta skip(JsonParser p) {
            p.skipChildren();
            return new Delta(null, null, null, false);
        }

        static Delta read(JsonParser p) {
            String type = null;
            String field = null;
            String value = null;
            boolean plain = true;
            String name;
            while ((name = p.nextName()) != null) {
                p.nextToken();
                String text = JsonTrees.stringValue(p);
                plain &= text != null;
                if (name.equals("type")) {
                    plain &= type == null;
                    type = text;
                } else {
                    plain &= field == null;
                    field = name;
                    value = text;
                }
            }
            return new Delta(type, field, value, plain);
        }
    }
}
