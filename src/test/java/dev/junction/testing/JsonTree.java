package dev.junction.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON for comparing as trees rather than as text, so key order and spacing do not matter: every
 * value is read by one reader (a node built in code is written and read back), so equal JSON gives
 * equal trees, numbers included.
 */
public final class JsonTree {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JsonTree() {
    }

    /** The tree of JSON text, or of a node (or any value Jackson writes) as written and read back. */
    public static JsonNode of(Object json) {
        Objects.requireNonNull(json, "json");
        return switch (json) {
            case String text -> JSON.readTree(text);
            case byte[] bytes -> JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
            default -> JSON.readTree(JSON.writeValueAsString(json));
        };
    }

    /** The JSON data of every {@code data:} line of an event stream that holds JSON ({@code [DONE]} left out). */
    public static List<JsonNode> events(String sse) {
        return sse.lines().filter(line -> line.startsWith("data: {") || line.startsWith("data: ["))
                .filter(line -> !line.equals("data: [DONE]")).map(line -> JSON.readTree(line.substring(6))).toList();
    }

    /** The JSON data of a stream text that holds one event. */
    public static JsonNode event(String sse) {
        List<JsonNode> events = events(sse);
        if (events.size() != 1) {
            throw new AssertionError("expected one event with JSON data, got " + events.size() + ": " + sse);
        }
        return events.getFirst();
    }
}
