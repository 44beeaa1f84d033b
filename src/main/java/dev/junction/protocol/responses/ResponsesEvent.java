package dev.junction.protocol.responses;

import dev.junction.http.SseEvent;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.PlainJson;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * What the pass-through reads of every Responses stream event, in one pass without a tree: its
 * type and its {@code sequence_number}. Read by {@link PlainJson} when the data is plain JSON, as
 * providers send it, else by Jackson; the two agree ({@code ResponsesEventTest}, and the
 * provider-answer fuzz target).
 *
 * @param type the JSON {@code type}, or null when absent or not a string
 * @param sequence the {@code sequence_number}, or -1 when absent or not a whole number
 */
record ResponsesEvent(String type, int sequence) {

    /**
     * @throws dev.junction.protocol.MalformedAnswerException when the data is not one JSON object
     */
    static ResponsesEvent read(byte[] data) {
        ResponsesEvent plain = plain(data);
        return plain != null ? plain : parse(data);
    }

    /** The event read by {@link PlainJson} when its data is plain JSON (as streams are), else null. */
    static ResponsesEvent plain(byte[] data) {
        return PlainJson.read(data, 0, data.length, ResponsesEvent::plain);
    }

    /** The event read by Jackson: any JSON, and the reason when it is not. */
    static ResponsesEvent parse(byte[] data) {
        return JsonTrees.readObject(data, ResponsesEvent::read);
    }

    /** The event's type, or the SSE event name when the JSON has none. */
    String type(SseEvent event) {
        return JsonTrees.eventType(type, event);
    }

    boolean sequenced() {
        return sequence >= 0;
    }

    private static ResponsesEvent read(JsonParser p) {
        String type = null;
        int sequence = -1;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken value = p.nextToken();
            switch (name) {
                case "type" -> type = JsonTrees.stringValue(p);
                case "sequence_number" -> {
                    sequence = value == JsonToken.VALUE_NUMBER_INT ? Math.max(-1, p.getNumberValue().intValue()) : -1;
                    p.skipChildren(); // an object or an array is skipped, not read as the event's own fields
                }
                default -> p.skipChildren();
            }
        }
        return new ResponsesEvent(type, sequence);
    }

    private static final byte[] TYPE = PlainJson.ascii("type");
    private static final byte[] SEQUENCE_NUMBER = PlainJson.ascii("sequence_number");

    private static ResponsesEvent plain(PlainJson json) {
        String type = null;
        int sequence = -1;
        json.open('{');
        if (!json.endOf('}')) {
            do {
                json.name();
                if (json.is(TYPE)) {
                    type = json.stringValue();
                } else if (json.is(SEQUENCE_NUMBER)) {
                    sequence = sequence(json);
                } else {
                    json.value();
                }
            } while (json.more('}'));
        }
        return new ResponsesEvent(type, sequence);
    }

    /** A whole number as {@link #read(JsonParser)} takes it (-1 at least), -1 for any other value. */
    private static int sequence(PlainJson json) {
        byte c = json.peek();
        if (c != '-' && (c < '0' || c > '9')) {
            json.value();
            return -1;
        }
        long n = json.integer();
        return n == PlainJson.NOT_INTEGER ? -1 : Math.max(-1, (int) n);
    }
}
