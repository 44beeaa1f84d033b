package dev.junction.admin;

import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * What a handler answers: a status, a JSON body (none for 204) and extra headers.
 *
 * @param body the JSON body, or null for no body
 */
record Reply(int status, JsonNode body, Map<String, String> headers) {

    Reply {
        headers = Map.copyOf(headers);
    }

    static Reply ok(JsonNode body) {
        return new Reply(200, Objects.requireNonNull(body), Map.of());
    }

    static Reply created(JsonNode body) {
        return new Reply(201, Objects.requireNonNull(body), Map.of());
    }

    static Reply noContent() {
        return new Reply(204, null, Map.of());
    }

    Reply withHeader(String name, String value) {
        var more = new java.util.HashMap<>(headers);
        more.put(name, value);
        return new Reply(status, body, more);
    }
}
