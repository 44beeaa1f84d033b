package dev.junction.config;

import dev.junction.config.RoutingConfig.Complexity;
import dev.junction.config.RoutingConfig.ModelRouting;
import dev.junction.config.RoutingConfig.Strategy;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code routing:} section: public model name to {@code strategy}, {@code fallbacks},
 * {@code affinity}, {@code affinity_ttl} and {@code complexity}. The admin API binds one model's
 * rules with {@link #bindModel}, so its messages are the file's.
 */
public final class RoutingBinder {

    static final Set<String> FIELDS = Set.of("strategy", "fallbacks", "affinity", "affinity_ttl", "complexity");
    static final Set<String> COMPLEXITY_FIELDS = Set.of("simple", "hard", "threshold", "long_prompt",
            "deep_conversation");

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

    /** One public model's rules (the value under its name in {@code routing:}), as the file binds them. */
    public static Result<ModelRouting> bindModel(String model, ConfigNode node) {
        return model(model, node);
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
        Optional<Complexity> complexity = fields.read("complexity", n -> complexity(model, n));
        return binding.result(() -> new ModelRouting(strategy, fallbacks, affinity, ttl, complexity));
    }

    private static Result<Complexity> complexity(String model, ConfigNode node) {
        Binding binding = new Binding();
        Fields fields = binding.fields(node, COMPLEXITY_FIELDS);
        Optional<String> simple = fields.required("simple", "missing: the public model for simple requests",
                Values::nonEmpty);
        Optional<String> hard = fields.required("hard", "missing: the public model for hard requests",
                Values::nonEmpty);
        int threshold = fields.read("threshold", n -> Values.integer(n, 1), Complexity.DEFAULT_THRESHOLD);
        long longPrompt = fields.read("long_prompt", n -> Values.integer(n, 1).map(Integer::longValue),
                Complexity.DEFAULT_LONG_PROMPT);
        int deep = fields.read("deep_conversation", n -> Values.integer(n, 2), Complexity.DEFAULT_DEEP_CONVERSATION);
        for (String field : List.of("simple", "hard")) {
            Optional<String> value = field.equals("simple") ? simple : hard;
            if (value.isPresent() && value.get().equals(model)) {
                binding.add(fields.get(field).orElseThrow(), "a model cannot route to itself");
            }
        }
        if (simple.isPresent() && simple.equals(hard)) {
            binding.add(fields.get("hard").orElseThrow(), "the same model as simple; name two different models");
        }
        return binding.result(() -> new Complexity(simple.orElseThrow().strip(), hard.orElseThrow().strip(), threshold,
                longPrompt, deep));
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
