package dev.junction.admin.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An {@code application/x-www-form-urlencoded} body (or query string): every value of every name. */
final class Form {

    static final Form EMPTY = new Form(Map.of());

    private final Map<String, List<String>> values;

    private Form(Map<String, List<String>> values) {
        this.values = values;
    }

    /** A form holding these values (an edit form filled from what is stored). */
    static Form of(Map<String, String> values) {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (value != null) {
                lists.put(name, List.of(value));
            }
        });
        return new Form(lists);
    }

    static Form parse(byte[] body) {
        return parse(new String(body, StandardCharsets.UTF_8));
    }

    static Form parse(String text) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException malformed) {
                // A malformed pair is skipped: the field then reads as missing and the form says so.
            }
        }
        return new Form(values);
    }

    /** The first value of {@code name}, empty when absent. */
    String get(String name) {
        List<String> list = values.get(name);
        return list == null || list.isEmpty() ? "" : list.getFirst();
    }

    /** The first value of {@code name}, stripped, when it is not blank. */
    Optional<String> text(String name) {
        String value = get(name).strip();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    boolean has(String name) {
        return values.containsKey(name);
    }
}
