package dev.junction.config;

import dev.junction.config.ConfigNode.Entry;
import dev.junction.config.ConfigNode.Kind;
import dev.junction.config.ConfigNode.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A JSON body (of the admin API) as a {@link ConfigNode} tree, so it is bound by the same binders,
 * with the same rules and messages, as the config file. JSON has no lines here: problems carry
 * paths, which the API reports as JSON pointers. Values are taken literally ({@code ${VAR}} is not
 * read from the environment).
 */
public final class JsonTree {

    private JsonTree() {
    }

    /** The tree of {@code json}, its paths starting at the root. */
    public static ConfigNode of(JsonNode json) {
        return of(json, ConfigPath.ROOT);
    }

    /** The tree of {@code json}, which sits at {@code path} of a larger document. */
    public static ConfigNode of(JsonNode json, ConfigPath path) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(path, "path");
        Location at = Location.of(path);
        if (json.isObject()) {
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<String, JsonNode> property : json.properties()) {
                ConfigPath field = path.field(property.getKey());
                entries.add(new Entry(ConfigNode.Scalar.of(Location.of(field), property.getKey(), Kind.TEXT),
                        of(property.getValue(), field)));
            }
            return new ConfigNode.Mapping(at, entries);
        }
        if (json.isArray()) {
            List<ConfigNode> items = new ArrayList<>();
            int i = 0;
            for (JsonNode item : json.values()) {
                items.add(of(item, path.index(i++)));
            }
            return new ConfigNode.Sequence(at, items);
        }
        if (json.isNull() || json.isMissingNode()) {
            return ConfigNode.Scalar.of(at, "", Kind.NULL);
        }
        if (json.isNumber()) {
            return ConfigNode.Scalar.of(at, json.numberValue().toString(), Kind.NUMBER);
        }
        if (json.isBoolean()) {
            return ConfigNode.Scalar.of(at, json.asString(), Kind.BOOLEAN);
        }
        return ConfigNode.Scalar.of(at, json.asString(), Kind.TEXT);
    }
}
