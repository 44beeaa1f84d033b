package dev.junction.protocol.responses;

import dev.junction.http.SseEvent;
import dev.junction.protocol.JsonTrees;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * What the pass-through reads of every Responses stream event, in one streaming pass without a
 * tree: its type and its {@code sequence_number}.
 *
 * @param type the JSON {@code type}, or null when absent or not a string
 * @param sequence the {@code sequence_number}, or -1 when absent or not a whole number
 */
record ResponsesEvent(String type, int sequence) {

    /**
     * @throws dev.junction.protocol.MalformedAnswerException when the data is not one JSON object
     */
    static ResponsesEvent read(byte[] data) {
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
                case "sequence_number" -> sequence = value == JsonToken.VALUE_NUMBER_INT
                        ? Math.max(-1, p.getNumberValue().intValue()) : -1;
                default -> p.skipChildren();
            }
        }
        return new ResponsesEvent(type, sequence);
    }
}
