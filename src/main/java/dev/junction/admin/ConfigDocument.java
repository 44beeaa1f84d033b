package dev.junction.admin;

import dev.junction.store.ConfigVersions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The routing config as one JSON document ({@code {"keys": {id: …}, "channels": {id: …},
 * "routing": {model: …}, "settings": {"failover": …, "usage": …}}}, built from {@link ConfigViews},
 * so without secrets) and the diff between two of them: per key, channel, model's routing rules and
 * settings section, added, removed, or which fields changed from what to what. A document recorded
 * before a section existed reads as having none of it.
 */
final class ConfigDocument {

    private static final List<String> SECTIONS = List.of("keys", "channels", "routing", "settings");

    private ConfigDocument() {
    }

    static ObjectNode empty() {
        ObjectNode doc = Json.object();
        SECTIONS.forEach(doc::putObject);
        return doc;
    }

    /** The change from {@code before} (null: nothing recorded yet) to {@code after}; empty when none. */
    static Optional<ConfigVersions.Change> diff(String before, String after) {
        JsonNode old = before == null ? empty() : Json.parse(before);
        JsonNode next = Json.parse(after);
        ObjectNode diff = Json.object();
        List<String> summary = new ArrayList<>();
        boolean changed = false;
        for (String section : SECTIONS) {
            ArrayNode changes = diff.putArray(section);
            String noun = switch (section) {
                case "keys" -> "key";
                case "channels" -> "channel";
                case "settings" -> "settings";
                default -> "routing of";
            };
            boolean byName = section.equals("routing") || section.equals("settings");
            JsonNode from = old.path(section);
            JsonNode to = next.path(section);
            Set<String> ids = new LinkedHashSet<>(from.propertyNames());
            ids.addAll(to.propertyNames());
            for (String id : ids) {
                JsonNode a = from.get(id);
                JsonNode b = to.get(id);
                if (a != null && a.equals(b)) {
                    continue;
                }
                ObjectNode change = changes.addObject();
                if (!byName) {
                    change.put("id", Long.parseLong(id));
                }
                String name = byName ? id : (b != null ? b : a).path("name").asString();
                change.put("name", name);
                if (a == null) {
                    change.put("change", "added");
                    change.set("after", b);
                    summary.add(noun + " '" + name + "' added");
                } else if (b == null) {
                    change.put("change", "removed");
                    change.set("before", a);
                    summary.add(noun + " '" + name + "' removed");
                } else {
                    change.put("change", "changed");
                    ObjectNode fields = change.putObject("fields");
                    Set<String> names = new LinkedHashSet<>(a.propertyNames());
                    names.addAll(b.propertyNames());
                    for (String field : names) {
                        JsonNode x = a.get(field);
                        JsonNode y = b.get(field);
                        if (x == null ? y != null : !x.equals(y)) {
                            ObjectNode pair = fields.putObject(field);
                            pair.set("before", x);
                            pair.set("after", y);
                        }
                    }
                    summary.add(noun + " '" + name + "' changed (" + String.join(", ", fields.propertyNames()) + ")");
                }
                changed = true;
            }
        }
        if (!changed) {
            return Optional.empty();
        }
        String line = summary.size() <= 3 ? String.join("; ", summary)
                : String.join("; ", summary.subList(0, 3)) + "; and " + (summary.size() - 3) + " more";
        return Optional.of(new ConfigVersions.Change(line, Json.text(diff)));
    }
}
