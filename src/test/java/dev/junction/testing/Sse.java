package dev.junction.testing;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A server-sent event stream as a client reads it: events with their name and data, comments left out. */
public final class Sse {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Sse() {
    }

    /** One event: its {@code event:} name (null when it has none) and its data lines joined. */
    public record Event(String name, String data) {

        /** The data as JSON, or null when it is not JSON (such as {@code [DONE]} or a cut-off object). */
        public JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    public static List<Event> events(String body) {
        List<Event> events = new ArrayList<>();
        for (String block : body.replace("\r\n", "\n").split("\n\n")) {
            String name = null;
            List<String> data = new ArrayList<>();
            for (String line : block.split("\n")) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.add(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
                }
            }
            if (name != null || !data.isEmpty()) {
                events.add(new Event(name, String.join("\n", data)));
            }
        }
        return events;
    }
}
