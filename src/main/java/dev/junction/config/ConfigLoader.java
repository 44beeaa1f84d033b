package dev.junction.config;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads the YAML config file into a {@link GatewayConfig}. The file is composed into a node tree
 * (which keeps line numbers) and walked by hand, so every problem is reported as
 * {@code file:line: field: what is wrong}. All problems are collected before failing, so one run
 * shows everything to fix. Nothing half-valid is ever returned.
 */
public final class ConfigLoader {

    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|KiB|MB|MiB|GB|GiB)?");
    /** Request fields the gateway itself owns; no channel may drop or default them. */
    private static final Set<String> PROTECTED_PARAMS = Set.of("model", "messages", "stream");

    private final Function<String, String> environment;

    private ConfigLoader(Function<String, String> environment) {
        this.environment = environment;
    }

    /** A loader that reads {@code ${VAR}} from the process environment. */
    public static ConfigLoader withSystemEnvironment() {
        return new ConfigLoader(System::getenv);
    }

    /** A loader that reads {@code ${VAR}} from the given lookup (null means unset). */
    public static ConfigLoader withEnvironment(Function<String, String> environment) {
        return new ConfigLoader(Objects.requireNonNull(environment, "environment"));
    }

    /** Reads and validates a config file. */
    public GatewayConfig load(Path file) {
        Objects.requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read config file: " + e.getMessage()));
        }
        return parse(file.toString(), text);
    }

    /** Validates config text; {@code label} names the source in error lines. */
    public GatewayConfig parse(String label, String text) {
        Problems problems = new Problems(label);
        Optional<Node> root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(label).build();
            root = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            throw new ConfigException(List.of(label + ":" + line + ": YAML syntax: " + e.getProblem()));
        } catch (YamlEngineException e) {
            throw new ConfigException(List.of(label + ": YAML syntax: " + e.getMessage()));
        }
        if (root.isEmpty() || isNull(root.get())) {
            return GatewayConfig.defaults();
        }
        GatewayConfig config = new Reader(problems).root(root.get());
        problems.throwIfAny();
        return config;
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL);
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    /** Collects problems with their locations. */
    private static final class Problems {
        private final String label;
        private final List<String> lines = new ArrayList<>();

        Problems(String label) {
            this.label = label;
        }

        void add(Node at, String field, String message) {
            lines.add(label + ":" + line(at) + ": " + field + ": " + message);
        }

        int count() {
            return lines.size();
        }

        void throwIfAny() {
            if (!lines.isEmpty()) {
                throw new ConfigException(lines);
            }
        }
    }

    /** Walks the node tree; every method reports problems and returns a usable placeholder. */
    private final class Reader {
        private final Problems problems;

        Reader(Problems problems) {
            this.problems = problems;
        }

        GatewayConfig root(Node node) {
            Map<String, Node> fields = mapping(node, "config", Set.of("listen", "database", "redis", "max_body_size",
                    "keys", "channels", "failover"));
            Listen listen = Listen.DEFAULT;
            if (fields.get("listen") instanceof Node n) {
                String text = string(n, "listen");
                listen = Listen.parse(text).orElseGet(() -> {
                    problems.add(n, "listen", "'" + text + "' is not an address; write host:port, e.g. 0.0.0.0:3000");
                    return Listen.DEFAULT;
                });
            }
            String database = GatewayConfig.DEFAULT_DATABASE;
            if (fields.get("database") instanceof Node n) {
                database = string(n, "database");
                if (!database.startsWith("sqlite:") && !database.startsWith("postgresql://")
                        && !database.startsWith("postgres://")) {
                    problems.add(n, "database", "'" + database
                            + "' is not supported; use sqlite:PATH or postgresql://user:pass@host:5432/db");
                }
            }
            Optional<String> redis = Optional.empty();
            if (fields.get("redis") instanceof Node n) {
                String url = string(n, "redis");
                if (!url.startsWith("redis://") && !url.startsWith("rediss://")) {
                    problems.add(n, "redis", "'" + url + "' is not a redis:// URL");
                }
                redis = Optional.of(url);
            }
            long maxBody = GatewayConfig.DEFAULT_MAX_BODY_BYTES;
            if (fields.get("max_body_size") instanceof Node n) {
                maxBody = size(n, "max_body_size");
            }
            List<KeyConfig> keys = new ArrayList<>();
            if (fields.get("keys") instanceof Node n) {
                List<Node> items = sequence(n, "keys");
                Set<String> names = new HashSet<>();
                Set<String> secrets = new HashSet<>();
                for (int i = 0; i < items.size(); i++) {
                    KeyConfig key = key(items.get(i), "keys[" + i + "]");
                    if (key == null) {
                        continue;
                    }
                    if (!names.add(key.name())) {
                        problems.add(items.get(i), "keys[" + i + "].name", "duplicate key name '" + key.name() + "'");
                    }
                    if (!secrets.add(key.key())) {
                        problems.add(items.get(i), "keys[" + i + "].key", "the same key is listed twice");
                    }
                    keys.add(key);
                }
            }
            List<ChannelConfig> channels = new ArrayList<>();
            if (fields.get("channels") instanceof Node n) {
                List<Node> items = sequence(n, "channels");
                Set<String> names = new HashSet<>();
                for (int i = 0; i < items.size(); i++) {
                    ChannelConfig channel = channel(items.get(i), "channels[" + i + "]");
                    String name = channel != null ? channel.name() : rawName(items.get(i));
                    if (name != null && !names.add(name)) {
                        problems.add(items.get(i), "channels[" + i + "].name", "duplicate channel name '" + name + "'");
                    }
                    if (channel != null) {
                        channels.add(channel);
                    }
                }
            }
            FailoverConfig failover = fields.get("failover") instanceof Node n ? failover(n) : FailoverConfig.DEFAULT;
            return new GatewayConfig(listen, database, redis, maxBody, keys, channels, failover);
        }

        FailoverConfig failover(Node node) {
            Map<String, Node> fields = mapping(node, "failover", Set.of("max_attempts", "request_timeout", "cooldown",
                    "breaker", "key_probe_every"));
            FailoverConfig d = FailoverConfig.DEFAULT;
            FailoverConfig.BreakerConfig breaker = d.breaker();
            if (fields.get("breaker") instanceof Node n) {
                Map<String, Node> b = mapping(n, "failover.breaker", Set.of("consecutive_failures", "failure_rate",
                        "min_requests", "window", "open_for"));
                FailoverConfig.BreakerConfig db = d.breaker();
                breaker = new FailoverConfig.BreakerConfig(
                        b.get("consecutive_failures") instanceof Node v
                                ? integer(v, "failover.breaker.consecutive_failures", 1) : db.consecutiveFailures(),
                        b.get("failure_rate") instanceof Node v ? fraction(v, "failover.breaker.failure_rate")
                                : db.failureRate(),
                        b.get("min_requests") instanceof Node v ? integer(v, "failover.breaker.min_requests", 1)
                                : db.minRequests(),
                        b.get("window") instanceof Node v ? positive(v, "failover.breaker.window") : db.window(),
                        b.get("open_for") instanceof Node v ? positive(v, "failover.breaker.open_for") : db.openFor());
            }
            return new FailoverConfig(
                    fields.get("max_attempts") instanceof Node n ? Math.max(1, integer(n, "failover.max_attempts", 1))
                            : d.maxAttempts(),
                    fields.get("request_timeout") instanceof Node n ? positive(n, "failover.request_timeout")
                            : d.requestTimeout(),
                    fields.get("cooldown") instanceof Node n ? duration(n, "failover.cooldown") : d.cooldown(),
                    breaker,
                    fields.get("key_probe_every") instanceof Node n ? positive(n, "failover.key_probe_every")
                            : d.keyProbeEvery());
        }

        double fraction(Node node, String path) {
            String text = string(node, path);
            try {
                double value = Double.parseDouble(text.strip());
                if (value <= 0 || value > 1) {
                    problems.add(node, path, "must be between 0 (exclusive) and 1");
                }
                return value;
            } catch (NumberFormatException e) {
                problems.add(node, path, "'" + text + "' is not a number between 0 and 1");
                return 0.5;
            }
        }

        Duration positive(Node node, String path) {
            int before = problems.count();
            Duration value = duration(node, path);
            if (value.isZero() && problems.count() == before) {
                problems.add(node, path, "must be longer than zero");
                return Duration.ofSeconds(1);
            }
            return value;
        }

        /** The {@code name} of a list item that did not validate, for duplicate checks. */
        String rawName(Node item) {
            if (item instanceof MappingNode mapping) {
                for (NodeTuple tuple : mapping.getValue()) {
                    if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("name")
                            && tuple.getValueNode() instanceof ScalarNode value) {
                        return value.getValue();
                    }
                }
            }
            return null;
        }

        KeyConfig key(Node node, String path) {
            Map<String, Node> fields = mapping(node, path, Set.of("name", "key", "models"));
            String name = required(node, fields, "name", path);
            String key = required(node, fields, "key", path);
            if (key != null && key.length() < 8) {
                problems.add(fields.get("key"), path + ".key", "a gateway key must be at least 8 characters");
            }
            List<String> models = List.of("*");
            if (fields.get("models") instanceof Node n) {
                models = stringList(n, path + ".models");
            }
            return name == null || key == null ? null : new KeyConfig(name, key, models);
        }

        ChannelConfig channel(Node node, String path) {
            Map<String, Node> fields = mapping(node, path, Set.of("name", "type", "base_url", "api_key", "api_keys",
                    "key_selection", "models", "priority", "weight", "timeout", "health_check", "drop_params",
                    "defaults", "stream_options", "responses"));
            String name = required(node, fields, "name", path);
            String typeName = required(node, fields, "type", path);
            ChannelType type = null;
            if (typeName != null) {
                type = ChannelType.fromConfigName(typeName).orElse(null);
                if (type == null) {
                    problems.add(fields.get("type"), path + ".type",
                            "unknown type '" + typeName + "'; use openai, anthropic or gemini");
                }
            }
            URI baseUrl = null;
            String url = required(node, fields, "base_url", path);
            if (url != null) {
                baseUrl = url(fields.get("base_url"), path + ".base_url", url);
            }
            List<String> apiKeys = new ArrayList<>();
            int problemsBefore = problems.count();
            if (fields.get("api_key") instanceof Node n) {
                apiKeys.add(string(n, path + ".api_key"));
                if (fields.containsKey("api_keys")) {
                    problems.add(fields.get("api_keys"), path + ".api_keys", "give either api_key or api_keys, not both");
                }
            } else if (fields.get("api_keys") instanceof Node n) {
                apiKeys.addAll(stringList(n, path + ".api_keys"));
                if (apiKeys.isEmpty()) {
                    problems.add(n, path + ".api_keys", "the list is empty");
                }
            }
            for (String apiKey : apiKeys) {
                if (apiKey.isBlank() && problems.count() == problemsBefore) {
                    problems.add(fields.getOrDefault("api_key", fields.get("api_keys")), path + ".api_key",
                            "the provider key is empty (is its environment variable set to an empty value?)");
                }
            }
            Map<String, String> models = new LinkedHashMap<>();
            if (fields.get("models") instanceof Node n) {
                models = modelMap(n, path + ".models");
            } else {
                problems.add(node, path + ".models", "missing; list the public model names this channel serves");
            }
            int priority = fields.get("priority") instanceof Node n ? integer(n, path + ".priority", Integer.MIN_VALUE) : 0;
            int weight = fields.get("weight") instanceof Node n ? integer(n, path + ".weight", 1) : 1;
            Timeouts timeouts = fields.get("timeout") instanceof Node n ? timeouts(n, path + ".timeout") : Timeouts.DEFAULT;
            ChannelConfig.KeySelection selection = ChannelConfig.KeySelection.ROUND_ROBIN;
            if (fields.get("key_selection") instanceof Node n) {
                String value = string(n, path + ".key_selection");
                switch (value) {
                    case "round_robin" -> selection = ChannelConfig.KeySelection.ROUND_ROBIN;
                    case "random" -> selection = ChannelConfig.KeySelection.RANDOM;
                    default -> problems.add(n, path + ".key_selection",
                            "unknown value '" + value + "'; use round_robin or random");
                }
            }
            Optional<HealthCheck> healthCheck = Optional.empty();
            if (fields.get("health_check") instanceof Node n) {
                Map<String, Node> check = mapping(n, path + ".health_check", Set.of("model", "every"));
                String model = required(n, check, "model", path + ".health_check");
                Duration every = check.get("every") instanceof Node e ? positive(e, path + ".health_check.every")
                        : Duration.ofMinutes(1);
                if (model != null) {
                    healthCheck = Optional.of(new HealthCheck(model, every));
                }
            }
            ChannelQuirks quirks = quirks(fields, path, type);
            boolean responses = false;
            if (fields.get("responses") instanceof Node n) {
                String text = string(n, path + ".responses");
                if (!text.equals("true") && !text.equals("false")) {
                    problems.add(n, path + ".responses", "'" + text + "' is not true or false");
                } else if (type != null && type != ChannelType.OPENAI) {
                    problems.add(n, path + ".responses", "only openai channels can serve the Responses API");
                }
                responses = text.equals("true");
            }
            if (name == null || type == null || baseUrl == null) {
                return null;
            }
            return new ChannelConfig(name, type, baseUrl, apiKeys, models, priority, Math.max(weight, 1), timeouts,
                    selection, healthCheck, quirks, responses);
        }

        /** {@code drop_params}, {@code defaults} and {@code stream_options}: OpenAI parameter names for every type. */
        ChannelQuirks quirks(Map<String, Node> fields, String path, ChannelType type) {
            Set<String> drop = new LinkedHashSet<>();
            if (fields.get("drop_params") instanceof Node n) {
                List<String> names = stringList(n, path + ".drop_params");
                for (int i = 0; i < names.size(); i++) {
                    String param = names.get(i);
                    if (PROTECTED_PARAMS.contains(param) || param.isBlank()) {
                        problems.add(n, path + ".drop_params[" + i + "]", "'" + param + "' cannot be dropped");
                    } else if (!drop.add(param)) {
                        problems.add(n, path + ".drop_params[" + i + "]", "'" + param + "' is listed twice");
                    }
                }
            }
            Map<String, Object> defaults = new LinkedHashMap<>();
            if (fields.get("defaults") instanceof Node n) {
                if (n instanceof MappingNode mapping) {
                    for (NodeTuple tuple : mapping.getValue()) {
                        String param = string(tuple.getKeyNode(), path + ".defaults");
                        String where = path + ".defaults." + param;
                        if (PROTECTED_PARAMS.contains(param) || param.isBlank()) {
                            problems.add(tuple.getKeyNode(), where, "'" + param + "' cannot have a default");
                        } else if (defaults.containsKey(param)) {
                            problems.add(tuple.getKeyNode(), where, "given twice");
                        } else {
                            defaults.put(param, value(tuple.getValueNode(), where));
                        }
                    }
                } else {
                    problems.add(n, path + ".defaults",
                            "expected a mapping of parameter: value, e.g. {max_tokens: 4096}");
                }
            }
            boolean streamOptions = true;
            if (fields.get("stream_options") instanceof Node n) {
                String text = string(n, path + ".stream_options");
                if (!text.equals("true") && !text.equals("false")) {
                    problems.add(n, path + ".stream_options", "'" + text + "' is not true or false");
                } else if (type != null && type != ChannelType.OPENAI) {
                    problems.add(n, path + ".stream_options", "only openai channels send stream_options");
                }
                streamOptions = !text.equals("false");
            }
            return new ChannelQuirks(drop, defaults, streamOptions);
        }

        /** A YAML value as a plain Java value: plain scalars become numbers or booleans where they read as such. */
        Object value(Node node, String path) {
            return switch (node) {
                case ScalarNode scalar when scalar.getTag().equals(Tag.NULL) -> null;
                case ScalarNode scalar -> {
                    String text = string(scalar, path);
                    if (!scalar.isPlain()) {
                        yield text;
                    }
                    if (text.equals("true") || text.equals("false")) {
                        yield Boolean.valueOf(text);
                    }
                    try {
                        yield Long.valueOf(text);
                    } catch (NumberFormatException notLong) {
                        try {
                            yield Double.valueOf(text);
                        } catch (NumberFormatException notNumber) {
                            yield text;
                        }
                    }
                }
                case SequenceNode sequence -> {
                    List<Object> items = new ArrayList<>();
                    for (int i = 0; i < sequence.getValue().size(); i++) {
                        items.add(value(sequence.getValue().get(i), path + "[" + i + "]"));
                    }
                    yield Collections.unmodifiableList(items);
                }
                case MappingNode mapping -> {
                    Map<String, Object> entries = new LinkedHashMap<>();
                    for (NodeTuple tuple : mapping.getValue()) {
                        String key = string(tuple.getKeyNode(), path);
                        entries.put(key, value(tuple.getValueNode(), path + "." + key));
                    }
                    yield Collections.unmodifiableMap(entries);
                }
                default -> {
                    problems.add(node, path, "expected a value");
                    yield null;
                }
            };
        }

        Timeouts timeouts(Node node, String path) {
            Map<String, Node> fields = mapping(node, path, Set.of("connect", "first_byte", "idle", "total"));
            Timeouts d = Timeouts.DEFAULT;
            return new Timeouts(
                    fields.get("connect") instanceof Node n ? positive(n, path + ".connect") : d.connect(),
                    fields.get("first_byte") instanceof Node n ? positive(n, path + ".first_byte") : d.firstByte(),
                    fields.get("idle") instanceof Node n ? positive(n, path + ".idle") : d.idle(),
                    fields.get("total") instanceof Node n ? positive(n, path + ".total") : d.total());
        }

        Map<String, String> modelMap(Node node, String path) {
            Map<String, String> models = new LinkedHashMap<>();
            if (node instanceof SequenceNode) {
                for (String model : stringList(node, path)) {
                    if (models.put(model, model) != null) {
                        problems.add(node, path, "model '" + model + "' is listed twice");
                    }
                }
            } else if (node instanceof MappingNode mapping) {
                for (NodeTuple tuple : mapping.getValue()) {
                    String publicName = string(tuple.getKeyNode(), path);
                    String upstream = string(tuple.getValueNode(), path + "." + publicName);
                    if (models.put(publicName, upstream) != null) {
                        problems.add(tuple.getKeyNode(), path, "model '" + publicName + "' is listed twice");
                    }
                }
            } else {
                problems.add(node, path, "expected a list of model names or a map of public name: upstream name");
            }
            if (models.isEmpty() && (node instanceof SequenceNode || node instanceof MappingNode)) {
                problems.add(node, path, "the channel serves no model");
            }
            models.forEach((publicName, upstream) -> {
                if (publicName.isBlank() || upstream.isBlank()) {
                    problems.add(node, path, "model names must not be empty");
                }
            });
            return models;
        }

        URI url(Node node, String path, String text) {
            try {
                URI uri = new URI(text);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    problems.add(node, path, "'" + text + "' is not an http(s) URL with a host");
                    return null;
                }
                if (uri.getQuery() != null || uri.getFragment() != null) {
                    problems.add(node, path, "'" + text + "' must not have a query or fragment");
                    return null;
                }
                String clean = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
                return new URI(clean);
            } catch (URISyntaxException e) {
                problems.add(node, path, "'" + text + "' is not a valid URL: " + e.getReason());
                return null;
            }
        }

        Duration duration(Node node, String path) {
            String text = string(node, path);
            Matcher m = DURATION.matcher(text.strip());
            if (!m.matches()) {
                problems.add(node, path, "'" + text + "' is not a duration; write e.g. 500ms, 30s, 2m or 1h");
                return Duration.ZERO;
            }
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }

        long size(Node node, String path) {
            String text = string(node, path);
            Matcher m = SIZE.matcher(text.strip());
            if (!m.matches()) {
                problems.add(node, path, "'" + text + "' is not a size; write e.g. 32MiB, 512KiB or 1048576");
                return GatewayConfig.DEFAULT_MAX_BODY_BYTES;
            }
            long amount = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "B" : m.group(2);
            long factor = switch (unit) {
                case "KB" -> 1_000L;
                case "KiB" -> 1L << 10;
                case "MB" -> 1_000_000L;
                case "MiB" -> 1L << 20;
                case "GB" -> 1_000_000_000L;
                case "GiB" -> 1L << 30;
                default -> 1L;
            };
            return amount * factor;
        }

        int integer(Node node, String path, int min) {
            String text = string(node, path);
            try {
                int value = Integer.parseInt(text.strip());
                if (value < min) {
                    problems.add(node, path, "must be at least " + min);
                }
                return value;
            } catch (NumberFormatException e) {
                problems.add(node, path, "'" + text + "' is not a whole number");
                return min;
            }
        }

        String required(Node parent, Map<String, Node> fields, String field, String path) {
            Node node = fields.get(field);
            if (node == null) {
                problems.add(parent, path + "." + field, "missing");
                return null;
            }
            String value = string(node, path + "." + field);
            if (value.isBlank()) {
                problems.add(node, path + "." + field, "must not be empty");
                return null;
            }
            return value;
        }

        Map<String, Node> mapping(Node node, String path, Set<String> allowed) {
            Map<String, Node> fields = new LinkedHashMap<>();
            if (!(node instanceof MappingNode mapping)) {
                problems.add(node, path, "expected a mapping of field: value");
                return fields;
            }
            for (NodeTuple tuple : mapping.getValue()) {
                String name = tuple.getKeyNode() instanceof ScalarNode key ? key.getValue() : "?";
                String where = path.equals("config") ? name : path + "." + name;
                if (!allowed.contains(name)) {
                    problems.add(tuple.getKeyNode(), where, "unknown field; expected one of "
                            + allowed.stream().sorted().toList());
                } else if (fields.containsKey(name)) {
                    problems.add(tuple.getKeyNode(), where, "given twice");
                } else if (!isNull(tuple.getValueNode())) {
                    fields.put(name, tuple.getValueNode());
                }
            }
            return fields;
        }

        List<Node> sequence(Node node, String path) {
            if (node instanceof SequenceNode sequence) {
                return sequence.getValue();
            }
            problems.add(node, path, "expected a list");
            return List.of();
        }

        List<String> stringList(Node node, String path) {
            if (node instanceof ScalarNode) {
                return List.of(string(node, path));
            }
            List<String> values = new ArrayList<>();
            List<Node> items = sequence(node, path);
            for (int i = 0; i < items.size(); i++) {
                values.add(string(items.get(i), path + "[" + i + "]"));
            }
            return values;
        }

        /** A scalar with {@code ${VAR}} and {@code ${VAR:-default}} replaced from the environment. */
        String string(Node node, String path) {
            if (!(node instanceof ScalarNode scalar)) {
                problems.add(node, path, "expected a single value");
                return "";
            }
            String raw = scalar.getValue();
            Matcher m = ENV.matcher(raw);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value = environment.apply(m.group(1));
                if (value == null || (value.isEmpty() && m.group(2) != null)) {
                    value = m.group(2);
                }
                if (value == null) {
                    problems.add(node, path, "environment variable " + m.group(1)
                            + " is not set (write ${" + m.group(1) + ":-default} to give a fallback)");
                    value = "";
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            return out.toString();
        }
    }

}
