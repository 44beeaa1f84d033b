package dev.junction.admin;

import dev.junction.http.Downstream;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * What a handler answers: a status, a JSON body (none for 204) and extra headers, or a body
 * streamed as it is made (a CSV export).
 *
 * @param body the JSON body, or null for no body
 * @param stream writes a streamed body of {@code streamType}, or null
 * @param streamType the streamed body's content type, or null
 */
record Reply(int status, JsonNode body, Map<String, String> headers, Streamed stream, String streamType) {

    /** A body written piece by piece after status and headers went out. */
    @FunctionalInterface
    interface Streamed {
        void writeTo(Downstream down) throws Exception;
    }

    Reply {
        headers = Map.copyOf(headers);
    }

    Reply(int status, JsonNode body, Map<String, String> headers) {
        this(status, body, headers, null, null);
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

    /** 200 with a body of {@code contentType} that {@code stream} writes as it goes. */
    static Reply streamed(String contentType, Streamed stream) {
        return new Reply(200, null, Map.of(), Objects.requireNonNull(stream), Objects.requireNonNull(contentType));
    }

    Reply withHeader(String name, String value) {
        var more = new java.util.HashMap<>(headers);
        more.put(name, value);
        return new Reply(status, body, more, stream, streamType);
    }
}
