package dev.junction.config;

import dev.junction.config.ConfigNode.Entry;
import dev.junction.config.ConfigNode.Kind;
import dev.junction.config.ConfigNode.Location;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads YAML text into a {@link ConfigNode} tree whose nodes know their line, column and path.
 * The text is composed (not constructed), so no YAML tag can instantiate anything. Every scalar,
 * keys included, has {@code ${VAR}} and {@code ${VAR:-default}} replaced from the environment (an
 * empty value takes the fallback too); a variable that is unset and has no fallback is recorded on
 * its scalar, and reported, with that scalar's line, by the binder that reads it.
 */
final class YamlTree {

    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    /** More nodes than any real config has: aliases that expand without end (or nearly) stop here. */
    private static final int MAX_NODES = 100_000;

    private final String label;
    private final Function<String, String> environment;
    /** The nodes being built, from the root down: an alias to one of them would make the tree infinite. */
    private final Set<Node> open = Collections.newSetFromMap(new IdentityHashMap<>());
    private int built;

    private YamlTree(String label, Function<String, String> environment) {
        this.label = label;
        this.environment = environment;
    }

    /**
     * The tree of {@code text}, empty for a file with no content.
     *
     * @param label names the source in syntax errors
     * @param environment looks up {@code ${VAR}}; null means unset
     * @throws ConfigException when the text is not YAML, naming the line
     */
    public static Optional<ConfigNode> read(String label, String text, Function<String, String> environment) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(text, "text");
        Optional<Node> root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(label).build();
            root = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            String hint = e.getProblem().startsWith("mapping values are not allowed")
                    ? " (a value holding ': ' or ending in ':', such as a Redis URL with ?prefix=NAME:, must be quoted)"
                    : "";
            throw new ConfigException(List.of(label + ":" + line + ": YAML syntax: " + e.getProblem() + hint));
        } catch (YamlEngineException e) {
            throw new ConfigException(List.of(label + ": YAML syntax: " + e.getMessage()));
        }
        YamlTree tree = new YamlTree(label, Objects.requireNonNull(environment, "environment"));
        return root.map(node -> tree.node(node, ConfigPath.ROOT));
    }

    private ConfigNode node(Node node, ConfigPath path) {
        Location at = location(node, path);
        if (++built > MAX_NODES) {
            throw new ConfigException(List.of(label + ":" + at.line() + ": YAML aliases expand to more than "
                    + MAX_NODES + " values."));
        }
        if (!open.add(node)) {
            throw new ConfigException(List.of(label + ":" + at.line() + ": " + path
                    + ": a YAML alias refers to a value that contains it."));
        }
        try {
            return build(node, path, at);
        } finally {
            open.remove(node);
        }
    }

    private ConfigNode build(Node node, ConfigPath path, Location at) {
        return switch (node) {
            case MappingNode mapping -> {
                List<Entry> entries = new ArrayList<>(mapping.getValue().size());
                for (NodeTuple tuple : mapping.getValue()) {
                    Node keyNode = tuple.getKeyNode();
                    String name = keyNode instanceof ScalarNode scalar ? keyName(scalar.getValue()) : "?";
                    ConfigPath entryPath = path.field(name);
                    entries.add(new Entry(node(keyNode, entryPath), node(tuple.getValueNode(), entryPath)));
                }
                yield new ConfigNode.Mapping(at, entries);
            }
            case SequenceNode sequence -> {
                List<ConfigNode> items = new ArrayList<>(sequence.getValue().size());
                for (int i = 0; i < sequence.getValue().size(); i++) {
                    items.add(node(sequence.getValue().get(i), path.index(i)));
                }
                yield new ConfigNode.Sequence(at, items);
            }
            case ScalarNode scalar -> {
                Kind kind = scalar.getTag().equals(Tag.NULL) ? Kind.NULL
                        : scalar.getScalarStyle() == ScalarStyle.PLAIN ? Kind.PLAIN : Kind.TEXT;
                List<String> unset = new ArrayList<>();
                yield new ConfigNode.Scalar(at, interpolate(scalar.getValue(), unset), kind, unset);
            }
            default -> throw new IllegalStateException("unexpected YAML node " + node.getNodeType());
        };
    }

    /** A key as its path names it: interpolated, or as written when a variable in it is unset. */
    private String keyName(String raw) {
        List<String> unset = new ArrayList<>();
        String name = interpolate(raw, unset);
        return unset.isEmpty() ? name : raw;
    }

    /** {@code raw} with variables replaced; names of unset ones go to {@code unset} and read as empty. */
    private String interpolate(String raw, List<String> unset) {
        Matcher m = ENV.matcher(raw);
        StringBuilder out = null;
        while (m.find()) {
            if (out == null) {
                out = new StringBuilder();
            }
            String value = environment.apply(m.group(1));
            if (value == null || (value.isEmpty() && m.group(2) != null)) {
                value = m.group(2);
            }
            if (value == null) {
                unset.add(m.group(1));
                value = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        if (out == null) {
            return raw;
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Location location(Node node, ConfigPath path) {
        return node.getStartMark()
                .map(mark -> new Location(path, mark.getLine() + 1, mark.getColumn() + 1))
                .orElseGet(() -> Location.of(path));
    }
}
