package dev.junction.config;

import java.util.Objects;

/**
 * One thing wrong with a config value: where, and what. The same rule gives the same message
 * whether the value came from the file or from the admin API; only the place is spelled
 * differently ({@link #format(String)} for the file, {@link ConfigPath#pointer()} for JSON).
 *
 * @param path the field the problem is about
 * @param line 1-based line in the file, 0 when the tree has no lines
 * @param message what is wrong, for a person
 */
public record Problem(ConfigPath path, int line, String message) {

    public Problem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** A problem with the value of {@code node}. */
    public static Problem at(ConfigNode node, String message) {
        return new Problem(node.path(), node.at().line(), message);
    }

    /** A problem with field {@code field} of {@code parent}, reported on the parent's line (a missing field). */
    static Problem atField(ConfigNode parent, String field, String message) {
        return new Problem(parent.path().field(field), parent.at().line(), message);
    }

    /** The config file's error line: {@code junction.yaml:7: channels[0].base_url: ...}. */
    public String format(String label) {
        return label + ":" + line + ": " + path + ": " + message;
    }

    @Override
    public String toString() {
        return (line > 0 ? line + ": " : "") + path + ": " + message;
    }
}
