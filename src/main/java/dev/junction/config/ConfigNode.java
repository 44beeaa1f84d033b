package dev.junction.config;

import java.util.List;
import java.util.Objects;

/**
 * One value of a config tree, with where it came from. A tree is read from the YAML file
 * ({@link YamlTree}: every node knows its line and column, and {@code ${VAR}} is already replaced)
 * or from a JSON body of the admin API ({@link JsonTree}: paths only, no lines), and the binders
 * validate both with the same rules and messages.
 */
sealed interface ConfigNode permits ConfigNode.Scalar, ConfigNode.Sequence, ConfigNode.Mapping {

    /** Where the node is. */
    Location at();

    default ConfigPath path() {
        return at().path();
    }

    /** Whether this is an explicit null ({@code ~}, an empty YAML value, JSON {@code null}). */
    default boolean isNull() {
        return this instanceof Scalar scalar && scalar.kind() == Kind.NULL;
    }

    /**
     * A node's place: its path from the root, and for a file its 1-based line and column (0 when
     * the tree has no lines, as JSON bodies do).
     */
    record Location(ConfigPath path, int line, int column) {

        public Location {
            Objects.requireNonNull(path, "path");
        }

        /** A place known only by its path. */
        public static Location of(ConfigPath path) {
            return new Location(path, 0, 0);
        }
    }

    /** How a scalar was written, which decides what plain Java value it stands for. */
    enum Kind {
        /** A quoted YAML string or a JSON string: always text. */
        TEXT,
        /** An unquoted YAML scalar: a number or boolean when it reads as one, else text. */
        PLAIN,
        /** A JSON number. */
        NUMBER,
        /** A JSON boolean. */
        BOOLEAN,
        /** An explicit null. */
        NULL
    }

    /**
     * A single value.
     *
     * @param text the value as written, with {@code ${VAR}} replaced (an unset variable left empty)
     * @param unsetVariables environment variables the text named that are not set and have no
     *     fallback; a binder reading this scalar reports each of them
     */
    record Scalar(Location at, String text, Kind kind, List<String> unsetVariables) implements ConfigNode {

        public Scalar {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(kind, "kind");
            unsetVariables = List.copyOf(unsetVariables);
        }

        public static Scalar of(Location at, String text, Kind kind) {
            return new Scalar(at, text, kind, List.of());
        }
    }

    /** A list, items in order. */
    record Sequence(Location at, List<ConfigNode> items) implements ConfigNode {

        public Sequence {
            Objects.requireNonNull(at, "at");
            items = List.copyOf(items);
        }
    }

    /** A mapping, entries in the order written; a YAML mapping may repeat a key, which binders refuse. */
    record Mapping(Location at, List<Entry> entries) implements ConfigNode {

        public Mapping {
            Objects.requireNonNull(at, "at");
            entries = List.copyOf(entries);
        }
    }

    /**
     * One {@code key: value} of a mapping. The key is a node too, so a problem with the key names
     * its line.
     */
    record Entry(ConfigNode key, ConfigNode value) {

        public Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        /** The key's text; {@code ?} when the key is not a single value. */
        public String name() {
            return key instanceof Scalar scalar ? scalar.text() : "?";
        }
    }
}
