package dev.junction.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a value sits in a config tree: a list of field names and list indexes from the root. The
 * file spells it {@code channels[2].timeout.first_byte}; the admin API spells it as a JSON pointer,
 * {@code /channels/2/timeout/first_byte}.
 *
 * @param segments field names ({@link String}) and list indexes ({@link Integer}), root first
 */
public record ConfigPath(List<Object> segments) {

    /** The root of a tree: the whole file, or the whole JSON body. */
    public static final ConfigPath ROOT = new ConfigPath(List.of());

    public ConfigPath {
        segments = List.copyOf(segments);
        for (Object segment : segments) {
            if (!(segment instanceof String) && !(segment instanceof Integer)) {
                throw new IllegalArgumentException("a path segment is a field name or an index: " + segment);
            }
        }
    }

    /** The field {@code name} of the mapping at this path. */
    public ConfigPath field(String name) {
        return append(name);
    }

    /** Item {@code index} of the list at this path. */
    public ConfigPath index(int index) {
        return append(index);
    }

    private ConfigPath append(Object segment) {
        List<Object> longer = new ArrayList<>(segments.size() + 1);
        longer.addAll(segments);
        longer.add(segment);
        return new ConfigPath(longer);
    }

    /** The JSON pointer (RFC 6901) of this path; empty for the root. */
    public String pointer() {
        StringBuilder out = new StringBuilder();
        for (Object segment : segments) {
            out.append('/').append(segment.toString().replace("~", "~0").replace("/", "~1"));
        }
        return out.toString();
    }

    /** The config file's spelling, {@code channels[2].timeout.first_byte}; {@code config} for the root. */
    @Override
    public String toString() {
        if (segments.isEmpty()) {
            return "config";
        }
        StringBuilder out = new StringBuilder();
        for (Object segment : segments) {
            if (segment instanceof Integer index) {
                out.append('[').append(index).append(']');
            } else {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(segment);
            }
        }
        return out.toString();
    }
}
