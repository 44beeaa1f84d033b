package dev.junction.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A request's JSON object, read strictly: a field outside the allowed set is refused (a typo must
 * not be silently ignored), and a wrong type names the field.
 */
final class Body {

    private final JsonNode node;

    private Body(JsonNode node) {
        this.node = node;
    }

    /**
     * Parses {@code bytes} as a JSON object holding only {@code allowed} fields (any, when null);
     * empty counts as {@code {}}.
     */
    static Body parse(byte[] bytes, Set<String> allowed) {
        JsonNode node;
        if (bytes.length == 0) {
            node = Json.object();
        } else {
            try {
                node = Json.MAPPER.readTree(bytes);
            } catch (JacksonException e) {
                throw ApiException.badRequest("invalid_json", "The body is not valid JSON.");
            }
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("invalid_json", "The body must be a JSON object.");
        }
        for (String name : node.propertyNames()) {
            if (allowed != null && !allowed.contains(name)) {
                throw ApiException.invalid(name, "is not a field here; expected one of "
                        + allowed.stream().sorted().toList());
            }
        }
        return new Body(node);
    }

    boolean has(String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    Optional<String> text(String field) {
        if (!has(field)) {
            return Optional.empty();
        }
        JsonNode value = node.get(field);
        if (!value.isString()) {
            throw ApiException.invalid(field, "must be a string");
        }
        return Optional.of(value.stringValue());
    }

    /** A string that must be given and not be blank. */
    String requiredText(String field) {
        String value = text(field).orElseThrow(() -> ApiException.invalid(field, "is required"));
        if (value.isBlank()) {
            throw ApiException.invalid(field, "must not be empty");
        }
        return value;
    }

    Optional<Boolean> bool(String field) {
        if (!has(field)) {
            return Optional.empty();
        }
        JsonNode value = node.get(field);
        if (!value.isBoolean()) {
            throw ApiException.invalid(field, "must be true or false");
        }
        return Optional.of(value.booleanValue());
    }

    Optional<Long> id(String field) {
        if (!has(field)) {
            return Optional.empty();
        }
        JsonNode value = node.get(field);
        if (!value.isIntegralNumber() || value.longValue() <= 0) {
            throw ApiException.invalid(field, "must be a positive whole number");
        }
        return Optional.of(value.longValue());
    }

    /** A nested JSON object; empty when absent or null, 400 when it is something else. */
    Optional<JsonNode> object(String field) {
        if (!has(field)) {
            return Optional.empty();
        }
        JsonNode value = node.get(field);
        if (!value.isObject()) {
            throw ApiException.invalid(field, "must be an object");
        }
        return Optional.of(value);
    }

    /** Whether the body names {@code field} at all, even as {@code null} (which clears it). */
    boolean mentions(String field) {
        return node.has(field);
    }

    /** A list of strings, each non-blank. */
    Optional<List<String>> strings(String field) {
        if (!has(field)) {
            return Optional.empty();
        }
        JsonNode value = node.get(field);
        if (!value.isArray()) {
            throw ApiException.invalid(field, "must be a list of strings");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode item : value.values()) {
            if (!item.isString() || item.stringValue().isBlank()) {
                throw ApiException.invalid(field, "must be a list of non-empty strings");
            }
            list.add(item.stringValue().strip());
        }
        return Optional.of(List.copyOf(list));
    }

    /** The object itself. */
    JsonNode json() {
        return node;
    }
}
