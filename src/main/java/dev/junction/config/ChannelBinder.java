package dev.junction.config;

import dev.junction.config.ChannelConfig.KeySelection;
import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A channel ({@code channels:} item), from the config file or an admin API body: the same rules
 * and messages for both. Each group of settings has its own rule or binder ({@link TimeoutsBinder},
 * {@link HealthCheckBinder}, {@link QuirksBinder}); a new group is a new binder and a field name here.
 */
public final class ChannelBinder {

    static final Set<String> FIELDS = fields();

    private ChannelBinder() {
    }

    private static Set<String> fields() {
        Set<String> fields = new HashSet<>(Set.of("name", "type", "base_url", "api_key", "api_keys", "key_selection",
                "models", "priority", "weight", "retries", "timeout", "health_check", "responses", "preset", "limits", "capabilities",
                "prices"));
        fields.addAll(QuirksBinder.FIELDS);
        return Set.copyOf(fields);
    }

    /** One channel, without presets; every problem in it is reported, with its path. */
    public static Result<ChannelConfig> bind(ConfigNode node) {
        return bind(node, ChannelPresets.NONE);
    }

    /** One channel; {@code preset:} names one of {@code presets}. Every problem is reported, with its path. */
    public static Result<ChannelConfig> bind(ConfigNode node, ChannelPresets presets) {
        Binding binding = new Binding();
        Fields fields = binding.fields(node, FIELDS);
        PresetFields preset = PresetFields.read(fields, presets);
        Optional<String> name = preset.or("name", ChannelPreset::name, () -> fields.required("name"));
        Optional<ChannelType> type = preset.or("type", ChannelPreset::type,
                () -> fields.required("type", ChannelBinder::type));
        Optional<URI> baseUrl = preset.or("base_url", ChannelPreset::baseUrl,
                () -> fields.required("base_url", Values::httpUrl));
        List<String> apiKeys = apiKeys(fields, binding);
        preset.requireKey(binding);
        boolean listModels = PresetFields.listModels(fields, type, binding);
        Map<String, String> models = listModels ? Map.of() : preset.models(() -> fields.required("models",
                "missing; list the public model names this channel serves", ChannelBinder::models).orElse(Map.of()));
        int priority = fields.read("priority", n -> Values.integer(n, Integer.MIN_VALUE), 0);
        int weight = fields.read("weight", n -> Values.integer(n, 1), 1);
        int retries = fields.read("retries", n -> Values.integer(n, 0), 0);
        Timeouts timeouts = fields.read("timeout", TimeoutsBinder::bind, Timeouts.DEFAULT);
        KeySelection selection = fields.read("key_selection", ChannelBinder::keySelection, KeySelection.ROUND_ROBIN);
        Optional<HealthCheck> healthCheck = fields.read("health_check", HealthCheckBinder::bind);
        ChannelQuirks quirks = preset.quirks(QuirksBinder.bind(fields, type));
        boolean responses = fields.read("responses", n -> responses(n, type), false);
        ChannelLimits limits = fields.read("limits", PoolingBinder::limits, ChannelLimits.NONE);
        Map<String, ModelCapabilities> capabilities = fields.read("capabilities", PoolingBinder::capabilities,
                Map.of());
        Prices prices = fields.read("prices", PricesBinder::bind, Prices.NONE);
        return binding.result(() -> ChannelConfig.builder(name.orElseThrow(), type.orElseThrow(), baseUrl.orElseThrow())
                .apiKeys(apiKeys)
                .keySelection(selection)
                .models(models)
                .priority(priority)
                .weight(weight)
                .retries(retries)
                .timeouts(timeouts)
                .healthCheck(healthCheck)
                .quirks(quirks)
                .responses(responses)
                .listModels(listModels)
                .limits(limits)
                .capabilities(capabilities)
                .prices(prices)
                .build());
    }

    /** The {@code channels:} list: every channel, and no name twice. */
    static Result<List<ChannelConfig>> bindAll(ConfigNode node, ChannelPresets presets) {
        return Values.items(node).then(items -> {
            Binding binding = new Binding();
            List<ChannelConfig> channels = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (ConfigNode item : items) {
                Optional<ChannelConfig> channel = binding.take(bind(item, presets));
                channel.ifPresent(channels::add);
                Optional<String> name = channel.map(ChannelConfig::name).or(() -> rawName(item));
                if (name.isPresent() && !names.add(name.get())) {
                    binding.add(Problem.atField(item, "name", "duplicate channel name '" + name.get() + "'"));
                }
            }
            return binding.result(() -> List.copyOf(channels));
        });
    }

    /** The {@code name} of a channel that did not bind, so a duplicate of it is still reported. */
    private static Optional<String> rawName(ConfigNode item) {
        if (item instanceof ConfigNode.Mapping mapping) {
            for (ConfigNode.Entry entry : mapping.entries()) {
                if (entry.name().equals("name") && entry.value() instanceof ConfigNode.Scalar value) {
                    return Optional.of(value.text());
                }
            }
        }
        return Optional.empty();
    }

    static Result<ChannelType> type(ConfigNode node) {
        return Values.nonEmpty(node).then(name -> ChannelType.fromConfigName(name).map(Result::ok)
                .orElseGet(() -> Result.problem(node, "unknown type '" + name + "'; use openai, anthropic or gemini")));
    }

    /** {@code api_key: k} or {@code api_keys: [k1, k2]}, never both; none at all is an upstream without auth. */
    private static List<String> apiKeys(Fields fields, Binding binding) {
        if (fields.has("api_key")) {
            if (fields.has("api_keys")) {
                binding.add(fields.get("api_keys").orElseThrow(), "give either api_key or api_keys, not both");
            }
            return fields.read("api_key", ChannelBinder::apiKey).map(List::of).orElse(List.of());
        }
        return fields.read("api_keys", ChannelBinder::apiKeyList, List.of());
    }

    static Result<String> apiKey(ConfigNode node) {
        return Values.text(node).then(key -> key.isBlank() ? Result.problem(node,
                "the provider key is empty (is its environment variable set to an empty value?)") : Result.ok(key));
    }

    static Result<List<String>> apiKeyList(ConfigNode node) {
        if (node instanceof ConfigNode.Scalar) {
            return apiKey(node).map(List::of);
        }
        return Values.items(node).then(items -> {
            if (items.isEmpty()) {
                return Result.problem(node, "the list is empty");
            }
            Binding binding = new Binding();
            List<String> keys = new ArrayList<>();
            for (ConfigNode item : items) {
                binding.take(apiKey(item)).ifPresent(keys::add);
            }
            return binding.result(() -> List.copyOf(keys));
        });
    }

    /** A plain list (same name upstream) or a map of public name: upstream name. */
    static Result<Map<String, String>> models(ConfigNode node) {
        Binding binding = new Binding();
        Map<String, String> models = new LinkedHashMap<>();
        switch (node) {
            case ConfigNode.Sequence sequence -> {
                for (ConfigNode item : sequence.items()) {
                    binding.take(Values.text(item)).ifPresent(model -> {
                        if (models.put(model, model) != null) {
                            binding.add(node, "model '" + model + "' is listed twice");
                        }
                    });
                }
            }
            case ConfigNode.Mapping mapping -> {
                for (ConfigNode.Entry entry : mapping.entries()) {
                    Optional<String> publicName = binding.take(Values.text(entry.key()));
                    Optional<String> upstream = binding.take(Values.text(entry.value()));
                    if (publicName.isPresent() && upstream.isPresent()
                            && models.put(publicName.get(), upstream.get()) != null) {
                        binding.add(new Problem(node.path(), entry.key().at().line(),
                                "model '" + publicName.get() + "' is listed twice"));
                    }
                }
            }
            case ConfigNode.Scalar scalar -> binding.add(scalar,
                    "expected a list of model names or a map of public name: upstream name");
        }
        if (models.isEmpty() && binding.clean()) {
            binding.add(node, "the channel serves no model");
        }
        models.forEach((publicName, upstream) -> {
            if (publicName.isBlank() || upstream.isBlank()) {
                binding.add(node, "model names must not be empty");
            }
        });
        return binding.result(() -> models);
    }

    static Result<KeySelection> keySelection(ConfigNode node) {
        return Values.text(node).then(value -> switch (value) {
            case "round_robin" -> Result.ok(KeySelection.ROUND_ROBIN);
            case "random" -> Result.ok(KeySelection.RANDOM);
            default -> Result.problem(node, "unknown value '" + value + "'; use round_robin or random");
        });
    }

    static Result<Boolean> responses(ConfigNode node, Optional<ChannelType> type) {
        return Values.bool(node).then(value -> type.isPresent() && type.get() != ChannelType.OPENAI
                ? Result.problem(node, "only openai channels can serve the Responses API") : Result.ok(value));
    }
}
