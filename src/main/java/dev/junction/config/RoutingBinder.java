package dev.junction.config;

import dev.junction.config.RoutingConfig.ModelRouting;
import dev.junction.config.RoutingConfig.Strategy;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The {@code routing:} section: public model name to {@code strategy}, {@code fallbacks}, {@code affinity}. */
final class RoutingBinder {

    static final Set<String> FIELDS = Set.of("strategy", "fallbacks", "affinity", "affinity_ttl");

    private RoutingBinder() {
    }

    static Result<RoutingConfig> bind(ConfigNode node) {
        if (!(node instanceof ConfigNode.Mapping mapping)) {
            return Result.problem(node, "expected a mapping of public model name: { strategy: ..., fallbacks: [...] }");
        }
        Binding binding = new Binding();
        Map<String, ModelRouting> models = new LinkedHashMap<>();
        for (ConfigNode.Entry entry : mapping.entries()) {
            String model = entry.name();
            if (models.containsKey(model)) {
                binding.add(entry.key(), "model '" + model + "' is given twice");
                continue;
            }
            binding.take(model(model, entry.value())).ifPresent(routing -> models.put(model, routing));
        }
        return binding.result(() -> new RoutingConfig(models));
    }

    private static Result<ModelRouting> model(String model, ConfigNode node) {
        Binding binding = new Binding();
        Fields fields = binding.fields(node, FIELDS);
        ModelRouting d = ModelRouting.DEFAULT;
        Strategy strategy = fields.read("strategy", RoutingBinder::strategy, d.strategy());
        List<String> fallbacks = fields.read("fallbacks", Values::textList, d.fallbacks());
        if (fallbacks.contains(model)) {
            binding.add(fields.get("fallbacks").orElseThrow(), "a model cannot fall back to itself");
        }
        if (fallbacks.size() != fallbacks.stream().distinct().count()) {
            binding.add(fields.get("fallbacks").orElseThrow(), "a model is listed twice");
        }
        boolean affinity = fields.read("affinity", Values::bool, d.affinity());
        Duration ttl = fields.read("affinity_ttl", Values::positiveDuration, d.affinityTtl());
        return binding.result(() -> new ModelRouting(strategy, fallbacks, affinity, ttl));
    }

    static Result<Strategy> strategy(ConfigNode node) {
        return Values.text(node).then(text -> {
            for (Strategy strategy : Strategy.values()) {
                if (strategy.configName().equals(text.strip().toLowerCase(Locale.ROOT))) {
                    return Result.ok(strategy);
                }
            }
            return Result.problem(node, "unknown strategy '" + text + "'; use one of "
                    + Arrays.stream(Strategy.values()).map(Strategy::configName).toList());
        });
    }
}
