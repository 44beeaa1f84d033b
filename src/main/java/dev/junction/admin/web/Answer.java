package dev.junction.admin.web;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a page answers: an HTML page (or fragment) with its status, or a redirect; plus headers. */
record Answer(int status, String html, Map<String, String> headers) {

    Answer {
        headers = Map.copyOf(headers);
    }

    static Answer page(String html) {
        return new Answer(200, html, Map.of());
    }

    static Answer page(int status, String html) {
        return new Answer(status, html, Map.of());
    }

    /** 303 See Other to {@code location} (a path of this gateway). */
    static Answer redirect(String location) {
        return new Answer(303, "", Map.of("Location", location));
    }

    Answer withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Answer(status, html, more);
    }

    Answer withHeaders(Map<String, String> extra) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.putAll(extra);
        return new Answer(status, html, more);
    }
}
