package dev.junction.catalog;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * Reads and validates the catalog data file. Every problem is collected with its line and the entry
 * it is in ({@code providers.openai.models.gpt-4o.price.cached_input}), then thrown together as a
 * {@link CatalogException}; nothing half-valid is returned.
 */
final class CatalogLoader {

    private static final Set<String> ROOT_FIELDS = Set.of("format", "fx", "providers", "presets");
    private static final Set<String> PROVIDER_FIELDS = Set.of("sources", "checked", "how", "models");
    private static final Set<String> MODEL_FIELDS = Set.of("kind", "aliases", "context_window", "max_output",
            "supports", "price", "note");
    private static final Set<String> PRICE_FIELDS = Set.of("currency", "input", "output", "cached_input",
            "cache_write", "above", "per_image", "per_1m_characters", "per_minute", "per_1k_searches");
    private static final Set<String> RATE_FIELDS = Set.of("input", "output", "cached_input", "cache_write");
    private static final Set<String> PRESET_FIELDS = Set.of("aliases", "type", "base_url", "key_required",
            "list_models", "models", "uncatalogued", "drop_params", "defaults", "stream_options", "note");
    private static final List<String> FLAGS = List.of("tools", "vision", "json_schema", "reasoning", "prefill");

    private final String label;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, BigDecimal> fx = new HashMap<>();

    private CatalogLoader(String label) {
        this.label = label;
    }

    /** Parses and validates catalog text; {@code label} names the source in problem lines. */
    static Catalog parse(String label, String text) {
        return new CatalogLoader(label).read(text);
    }

    private Catalog read(String text) {
        Optional<Node> root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(label).build()).composeString(text);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            throw new CatalogException(List.of(label + ":" + line + ": YAML syntax: " + e.getProblem()));
        } catch (YamlEngineException e) {
            throw new CatalogException(List.of(label + ": YAML syntax: " + e.getMessage()));
        }
        if (root.isEmpty()) {
            throw new CatalogException(List.of(label + ": empty catalog"));
        }
        Map<String, Node> fields = mapping(root.get(), "catalog", ROOT_FIELDS);
        if (fields.get("format") instanceof Node format && !"1".equals(scalar(format, "format"))) {
            problem(format, "format", "only format 1 is understood");
        }
        if (fields.get("fx") instanceof Node fxNode) {
            mapping(fxNode, "fx", null).forEach((currency, rate) -> {
                BigDecimal value = decimal(rate, "fx." + currency);
                if (value != null && value.signum() <= 0) {
                    problem(rate, "fx." + currency, "an exchange rate must be positive");
                } else if (value != null) {
                    fx.put(currency, value);
                }
            });
        }
        List<ModelInfo> models = new ArrayList<>();
        List<Source> sources = new ArrayList<>();
        Map<String, String> owners = new HashMap<>();
        Node providers = required(root.get(), fields, "providers", "catalog");
        if (providers != null) {
            mapping(providers, "providers", null).forEach((provider, node) ->
                    provider(provider, node, models, sources, owners));
        }
        throwIfAny();
        Catalog catalog = new Catalog(models, List.of(), sources);
        List<Preset> presets = new ArrayList<>();
        if (fields.get("presets") instanceof Node presetsNode) {
            Set<String> names = new LinkedHashSet<>();
            mapping(presetsNode, "presets", null).forEach((name, node) -> {
                Preset preset = preset(name, node, catalog);
                if (preset == null) {
                    return;
                }
                for (String each : preset.allNames()) {
                    if (!names.add(ModelNames.key(each))) {
                        problem(node, "presets." + name, "the name '" + each + "' is used by another preset");
                    }
                }
                presets.add(preset);
            });
        }
        throwIfAny();
        return new Catalog(models, presets, sources);
    }

    private void provider(String provider, Node node, List<ModelInfo> models, List<Source> sources,
            Map<String, String> owners) {
        String path = "providers." + provider;
        Map<String, Node> fields = mapping(node, path, PROVIDER_FIELDS);
        List<String> urls = new ArrayList<>();
        Node sourcesNode = required(node, fields, "sources", path);
        if (sourcesNode != null) {
            for (String url : strings(sourcesNode, path + ".sources")) {
                if (uri(sourcesNode, path + ".sources", url) != null) {
                    urls.add(url);
                }
            }
            if (urls.isEmpty()) {
                problem(sourcesNode, path + ".sources", "name at least one page the numbers came from");
            }
        }
        LocalDate checked = null;
        Node checkedNode = required(node, fields, "checked", path);
        if (checkedNode != null) {
            try {
                checked = LocalDate.parse(scalar(checkedNode, path + ".checked"));
            } catch (DateTimeParseException e) {
                problem(checkedNode, path + ".checked", "expected a date like 2026-12-03");
            }
        }
        Node how = required(node, fields, "how", path);
        String howText = how == null ? "" : scalar(how, path + ".how");
        if (checked != null && !howText.isBlank()) {
            sources.add(new Source(provider, urls, checked, howText));
        }
        Node modelsNode = required(node, fields, "models", path);
        if (modelsNode == null) {
            return;
        }
        mapping(modelsNode, path + ".models", null).forEach((id, modelNode) -> {
            String where = path + ".models." + id;
            ModelInfo model = model(provider, id, modelNode, where);
            if (model == null) {
                return;
            }
            List<String> names = new ArrayList<>();
            names.add(id);
            names.addAll(model.aliases());
            for (String name : names) {
                String previous = owners.putIfAbsent(ModelNames.key(name), where);
                if (previous != null) {
                    problem(modelNode, where, "the name '" + name + "' is already used by " + previous);
                }
            }
            models.add(model);
        });
    }

    private ModelInfo model(String provider, String id, Node node, String path) {
        Map<String, Node> fields = mapping(node, path, MODEL_FIELDS);
        int before = problems.size();
        ModelInfo.Kind kind = ModelInfo.Kind.CHAT;
        if (fields.get("kind") instanceof Node kindNode) {
            switch (scalar(kindNode, path + ".kind")) {
                case "chat" -> kind = ModelInfo.Kind.CHAT;
                case "embedding" -> kind = ModelInfo.Kind.EMBEDDING;
                default -> {
                    String name = scalar(kindNode, path + ".kind");
                    ModelInfo.Kind media = ModelInfo.Kind.parse(name).orElse(null);
                    if (media == null) {
                        problem(kindNode, path + ".kind", "expected one of " + ModelInfo.Kind.names());
                    } else {
                        kind = media;
                    }
                }
            }
        }
        boolean media = kind.billedByUnits();
        List<String> aliases = fields.get("aliases") instanceof Node a ? strings(a, path + ".aliases") : List.of();
        // A media model (images, speech, transcription, rerank, moderation) needs no token limits.
        long context = media && fields.get("context_window") == null ? Capabilities.NO_LIMIT
                : count(required(node, fields, "context_window", path), path + ".context_window");
        long maxOutput = media && fields.get("max_output") == null ? 0
                : count(required(node, fields, "max_output", path), path + ".max_output");
        if (fields.get("context_window") != null && context <= 0) {
            problem(fields.get("context_window"), path + ".context_window", "must be positive");
        }
        if (fields.get("max_output") != null) {
            if (kind == ModelInfo.Kind.CHAT && maxOutput <= 0) {
                problem(fields.get("max_output"), path + ".max_output", "a chat model must be able to answer");
            } else if (maxOutput > context && context > 0) {
                problem(fields.get("max_output"), path + ".max_output",
                        maxOutput + " is above context_window " + context);
            }
        }
        Set<String> flags = new LinkedHashSet<>();
        Node supports = media && fields.get("supports") == null ? null : required(node, fields, "supports", path);
        if (supports != null) {
            for (String flag : strings(supports, path + ".supports")) {
                if (!FLAGS.contains(flag)) {
                    problem(supports, path + ".supports", "'" + flag + "' is not one of " + String.join(", ", FLAGS));
                } else if (!flags.add(flag)) {
                    problem(supports, path + ".supports", "'" + flag + "' is listed twice");
                }
            }
        }
        Node priceNode = required(node, fields, "price", path);
        Price price = priceNode == null ? null : price(priceNode, path + ".price");
        String note = fields.get("note") instanceof Node n ? scalar(n, path + ".note") : "";
        if (problems.size() > before || price == null) {
            return null;
        }
        Capabilities capabilities = new Capabilities(context, maxOutput, flags.contains("tools"),
                flags.contains("vision"), flags.contains("json_schema"), flags.contains("reasoning"),
                flags.contains("prefill"));
        return new ModelInfo(id, provider, kind, capabilities, Optional.of(price), aliases, Set.of(), Set.of(), note);
    }

    private Price price(Node node, String path) {
        int before = problems.size();
        Map<String, Node> fields = mapping(node, path, PRICE_FIELDS);
        BigDecimal perUsd = BigDecimal.ONE;
        if (fields.get("currency") instanceof Node currencyNode) {
            String currency = scalar(currencyNode, path + ".currency");
            if (!currency.equals("USD")) {
                perUsd = fx.get(currency);
                if (perUsd == null) {
                    problem(currencyNode, path + ".currency", "no exchange rate for " + currency + " under fx");
                    return null;
                }
            }
        }
        UnitPrices units = units(fields, path, perUsd);
        boolean anyRate = fields.keySet().stream().anyMatch(RATE_FIELDS::contains);
        // A model billed per unit may leave its token rates out (they are then 0).
        Rates base = units != null && !units.isEmpty() && !anyRate ? Rates.FREE : rates(node, fields, path, perUsd);
        List<Price.Tier> tiers = new ArrayList<>();
        if (fields.get("above") instanceof Node above) {
            long previous = 0;
            for (Map.Entry<String, Node> tier : mapping(above, path + ".above", null).entrySet()) {
                String where = path + ".above." + tier.getKey();
                long threshold;
                try {
                    threshold = Long.parseLong(tier.getKey().replace("_", ""));
                } catch (NumberFormatException e) {
                    problem(tier.getValue(), where, "a tier is named by its prompt-token threshold");
                    continue;
                }
                // A tier at or above the window is allowed: it applies once a channel raises context_window
                // (Claude Sonnet 4.x above 200k with the 1M-context beta).
                if (threshold <= previous) {
                    problem(tier.getValue(), where, "tier thresholds must be positive and increase");
                }
                previous = threshold;
                Rates rates = rates(tier.getValue(), mapping(tier.getValue(), where, RATE_FIELDS), where, perUsd);
                if (rates != null && threshold > 0) {
                    tiers.add(new Price.Tier(threshold, rates));
                }
            }
        }
        if (base == null || units == null || problems.size() > before) {
            return null;
        }
        return Price.tiered(base, tiers).withUnits(units);
    }

    /** The unit prices of a price mapping; null after a problem. */
    private UnitPrices units(Map<String, Node> fields, String path, BigDecimal perUsd) {
        int before = problems.size();
        Map<String, Long> perImage = new LinkedHashMap<>();
        if (fields.get("per_image") instanceof Node images) {
            if (images instanceof ScalarNode) {
                perImage.put("*", unitMicros(images, path + ".per_image", perUsd));
            } else {
                mapping(images, path + ".per_image", null).forEach((variant, value) ->
                        perImage.put(variant, unitMicros(value, path + ".per_image." + variant, perUsd)));
            }
        }
        long characters = fields.get("per_1m_characters") instanceof Node c
                ? unitMicros(c, path + ".per_1m_characters", perUsd) : -1;
        long minute = fields.get("per_minute") instanceof Node m ? unitMicros(m, path + ".per_minute", perUsd) : -1;
        long searches = fields.get("per_1k_searches") instanceof Node k
                ? unitMicros(k, path + ".per_1k_searches", perUsd) : -1;
        return problems.size() > before ? null : new UnitPrices(perImage, characters, minute, searches);
    }

    private long unitMicros(Node value, String path, BigDecimal perUsd) {
        BigDecimal amount = decimal(value, path);
        if (amount == null) {
            return 0;
        }
        if (amount.signum() < 0) {
            problem(value, path, "a price is never negative");
            return 0;
        }
        BigDecimal usd = perUsd.equals(BigDecimal.ONE) ? amount : amount.divide(perUsd, 6, RoundingMode.HALF_UP);
        try {
            return Rates.micros(usd);
        } catch (IllegalArgumentException e) {
            problem(value, path, e.getMessage());
            return 0;
        }
    }

    private Rates rates(Node node, Map<String, Node> fields, String path, BigDecimal perUsd) {
        long[] values = new long[4];
        String[] names = {"input", "output", "cached_input", "cache_write"};
        boolean ok = true;
        for (int i = 0; i < names.length; i++) {
            Node value = required(node, fields, names[i], path);
            BigDecimal amount = value == null ? null : decimal(value, path + "." + names[i]);
            if (amount == null) {
                ok = false;
                continue;
            }
            if (amount.signum() < 0) {
                problem(value, path + "." + names[i], "a price is never negative");
                ok = false;
                continue;
            }
            BigDecimal usd = perUsd.equals(BigDecimal.ONE) ? amount : amount.divide(perUsd, 6, RoundingMode.HALF_UP);
            try {
                values[i] = Rates.micros(usd);
            } catch (IllegalArgumentException e) {
                problem(value, path + "." + names[i], e.getMessage());
                ok = false;
            }
        }
        if (!ok) {
            return null;
        }
        if (values[2] > values[0]) {
            problem(fields.get("cached_input"), path + ".cached_input",
                    Rates.usd(values[2]) + " is above input " + Rates.usd(values[0]));
            return null;
        }
        return new Rates(values[0], values[1], values[2], values[3]);
    }

    private Preset preset(String name, Node node, Catalog catalog) {
        String path = "presets." + name;
        int before = problems.size();
        Map<String, Node> fields = mapping(node, path, PRESET_FIELDS);
        List<String> aliases = fields.get("aliases") instanceof Node a ? strings(a, path + ".aliases") : List.of();
        ChannelType type = null;
        Node typeNode = required(node, fields, "type", path);
        if (typeNode != null) {
            String typeName = scalar(typeNode, path + ".type");
            type = ChannelType.fromConfigName(typeName).orElse(null);
            if (type == null) {
                problem(typeNode, path + ".type", "'" + typeName + "' is not a channel type (openai, anthropic, gemini)");
            }
        }
        URI baseUrl = null;
        Node urlNode = required(node, fields, "base_url", path);
        if (urlNode != null) {
            baseUrl = uri(urlNode, path + ".base_url", scalar(urlNode, path + ".base_url"));
            if (baseUrl != null && baseUrl.toString().endsWith("/")) {
                problem(urlNode, path + ".base_url", "no trailing slash: the gateway appends the path");
            }
        }
        boolean keyRequired = !(fields.get("key_required") instanceof Node k) || bool(k, path + ".key_required");
        boolean listModels = fields.get("list_models") instanceof Node l && bool(l, path + ".list_models");
        List<String> models = fields.get("models") instanceof Node m ? strings(m, path + ".models") : List.of();
        for (String model : models) {
            if (catalog.model(model).isEmpty()) {
                problem(fields.get("models"), path + ".models", "'" + model
                        + "' is not in the catalog; describe it under providers or list it under uncatalogued");
            }
        }
        List<String> uncatalogued = fields.get("uncatalogued") instanceof Node u
                ? strings(u, path + ".uncatalogued") : List.of();
        for (String model : uncatalogued) {
            if (catalog.model(model).isPresent()) {
                problem(fields.get("uncatalogued"), path + ".uncatalogued", "'" + model
                        + "' is in the catalog; list it under models");
            }
        }
        if (models.isEmpty() && uncatalogued.isEmpty() && !listModels) {
            problem(node, path, "a preset lists its models, or sets list_models: true");
        }
        Set<String> drop = new LinkedHashSet<>(
                fields.get("drop_params") instanceof Node d ? strings(d, path + ".drop_params") : List.of());
        Map<String, Object> defaults = new LinkedHashMap<>();
        if (fields.get("defaults") instanceof Node d) {
            mapping(d, path + ".defaults", null).forEach((param, value) ->
                    defaults.put(param, plain(value, path + ".defaults." + param)));
        }
        boolean streamOptions = !(fields.get("stream_options") instanceof Node s) || bool(s, path + ".stream_options");
        String note = fields.get("note") instanceof Node n ? scalar(n, path + ".note") : "";
        if (problems.size() > before || type == null || baseUrl == null) {
            return null;
        }
        return new Preset(name, aliases, type, baseUrl, keyRequired, listModels, models, uncatalogued,
                new ChannelQuirks(drop, defaults, streamOptions), note);
    }

    // ---- node helpers ----

    private Map<String, Node> mapping(Node node, String path, Set<String> allowed) {
        Map<String, Node> fields = new LinkedHashMap<>();
        if (!(node instanceof MappingNode mapping)) {
            problem(node, path, "expected a mapping");
            return fields;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            String name = tuple.getKeyNode() instanceof ScalarNode key ? key.getValue() : "?";
            if (allowed != null && !allowed.contains(name)) {
                problem(tuple.getKeyNode(), path + "." + name, "unknown field; expected one of "
                        + String.join(", ", allowed.stream().sorted().toList()));
            } else if (fields.put(name, tuple.getValueNode()) != null) {
                problem(tuple.getKeyNode(), path + "." + name, "given twice");
            }
        }
        return fields;
    }

    private Node required(Node parent, Map<String, Node> fields, String name, String path) {
        Node node = fields.get(name);
        if (node == null) {
            problem(parent, path + "." + name, "required");
        }
        return node;
    }

    private String scalar(Node node, String path) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        problem(node, path, "expected a single value");
        return "";
    }

    private List<String> strings(Node node, String path) {
        if (!(node instanceof SequenceNode sequence)) {
            problem(node, path, "expected a list");
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            values.add(scalar(item, path));
        }
        return values;
    }

    private long count(Node node, String path) {
        if (node == null) {
            return 0;
        }
        String text = scalar(node, path).replace("_", "");
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            problem(node, path, "'" + text + "' is not a whole number of tokens");
            return 0;
        }
    }

    private BigDecimal decimal(Node node, String path) {
        String text = scalar(node, path);
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            problem(node, path, "'" + text + "' is not a number");
            return null;
        }
    }

    private boolean bool(Node node, String path) {
        String text = scalar(node, path);
        if (!text.equals("true") && !text.equals("false")) {
            problem(node, path, "'" + text + "' is not true or false");
        }
        return Boolean.parseBoolean(text);
    }

    private URI uri(Node node, String path, String text) {
        try {
            URI uri = new URI(text);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                problem(node, path, "'" + text + "' is not an http(s) URL with a host");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            problem(node, path, "'" + text + "' is not a URL: " + e.getReason());
            return null;
        }
    }

    /** A YAML value as a plain Java value, as {@link ChannelQuirks#defaults()} holds them. */
    private Object plain(Node node, String path) {
        return switch (node) {
            case ScalarNode s when s.getTag().equals(Tag.NULL) -> null;
            case ScalarNode s when s.getTag().equals(Tag.BOOL) -> Boolean.parseBoolean(s.getValue());
            case ScalarNode s when s.getTag().equals(Tag.INT) -> Long.parseLong(s.getValue());
            case ScalarNode s when s.getTag().equals(Tag.FLOAT) -> Double.parseDouble(s.getValue());
            case ScalarNode s -> s.getValue();
            case SequenceNode seq -> seq.getValue().stream().map(item -> plain(item, path)).toList();
            case MappingNode map -> {
                Map<String, Object> values = new LinkedHashMap<>();
                mapping(map, path, null).forEach((key, value) -> values.put(key, plain(value, path + "." + key)));
                yield values;
            }
            default -> {
                problem(node, path, "unsupported value");
                yield null;
            }
        };
    }

    private void problem(Node at, String path, String message) {
        int line = at == null ? 0 : at.getStartMark().map(m -> m.getLine() + 1).orElse(0);
        problems.add(label + ":" + line + ": " + path + ": " + message);
    }

    private void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
    }
}
