package dev.junction.admin;

import java.time.Instant;
import java.util.OptionalLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The admin API's JSON: one mapper, and the small conversions every view needs. */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    static JsonNode parse(String text) {
        return MAPPER.readTree(text);
    }

    static byte[] bytes(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    static String text(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    /** Epoch millis as ISO-8601 text. */
    static String time(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    /** Puts an optional time, null when absent. */
    static void putTime(ObjectNode node, String field, OptionalLong millis) {
        if (millis.isPresent()) {
            node.put(field, time(millis.getAsLong()));
        } else {
            node.putNull(field);
        }
    }
}
