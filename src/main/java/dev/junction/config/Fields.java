package dev.junction.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The fields of one mapping node, for a binder to read. Reading it reports a value that is not a
 * mapping, a field not in the allowed set (refused, not ignored: a typo must not silently fall back
 * to a default) and a field given twice. A field set to null counts as absent.
 */
final class Fields {

    private final Binding binding;
    private final ConfigNode node;
    private final Map<String, ConfigNode> values;

    private Fields(Binding binding, ConfigNode node, Map<String, ConfigNode> values) {
        this.binding = binding;
        this.node = node;
        this.values = values;
    }

    static Fields of(Binding binding, ConfigNode node, Set<String> allowed) {
        Map<String, ConfigNode> values = new LinkedHashMap<>();
        if (!(node instanceof ConfigNode.Mapping mapping)) {
            binding.add(node, "expected a mapping of field: value");
            return new Fields(binding, node, values);
        }
        for (ConfigNode.Entry entry : mapping.entries()) {
            String name = entry.name();
            if (!allowed.contains(name)) {
                binding.add(entry.key(), "unknown field; expected one of " + allowed.stream().sorted().toList());
            } else if (values.containsKey(name)) {
                binding.add(entry.key(), "given twice");
            } else if (!entry.value().isNull()) {
                values.put(name, entry.value());
            }
        }
        return new Fields(binding, node, values);
    }

    /** The mapping itself. */
    ConfigNode node() {
        return node;
    }

    Optional<ConfigNode> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** The field read by {@code rule}; empty when absent or wrong (then reported). */
    <T> Optional<T> read(String name, Function<ConfigNode, Result<T>> rule) {
        ConfigNode value = values.get(name);
        return value == null ? Optional.empty() : binding.take(rule.apply(value));
    }

    /** The field read by {@code rule}; {@code fallback} when absent or wrong (then reported). */
    <T> T read(String name, Function<ConfigNode, Result<T>> rule, T fallback) {
        return read(name, rule).orElse(fallback);
    }

    /** A field that must be given and not be blank. */
    Optional<String> required(String name) {
        return required(name, Values::nonEmpty);
    }

    /** A field that must be given, read by {@code rule}. */
    <T> Optional<T> required(String name, Function<ConfigNode, Result<T>> rule) {
        return required(name, "missing", rule);
    }

    /** A field that must be given, with the message for when it is not, read by {@code rule}. */
    <T> Optional<T> required(String name, String missing, Function<ConfigNode, Result<T>> rule) {
        if (!values.containsKey(name)) {
            binding.add(Problem.atField(node, name, missing));
            return Optional.empty();
        }
        return read(name, rule);
    }
}
