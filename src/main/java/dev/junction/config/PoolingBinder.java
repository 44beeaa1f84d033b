package dev.junction.config;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A channel's {@code limits:} and {@code capabilities:} (DESIGN.md §3.1). */
final class PoolingBinder {

    static final Set<String> LIMIT_FIELDS = Set.of("rpm", "tpm", "concurrent", "tokens_per_day", "usd_per_day",
            "usd_per_month");
    private static final Set<String> CAPABILITY_FIELDS = capabilityFields();
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private PoolingBinder() {
    }

    private static Set<String> capabilityFields() {
        Set<String> fields = new HashSet<>(ModelCapabilities.FLAG_FIELDS);
        fields.addAll(ModelCapabilities.LIMIT_FIELDS);
        return Set.copyOf(fields);
    }

    static Result<ChannelLimits> limits(ConfigNode node) {
        Binding binding = new Binding();
        Fields fields = binding.fields(node, LIMIT_FIELDS);
        ChannelLimits limits = new ChannelLimits(
                fields.read("rpm", PoolingBinder::count, 0L),
                fields.read("tpm", PoolingBinder::count, 0L),
                fields.read("concurrent", PoolingBinder::count, 0L),
                fields.read("tokens_per_day", PoolingBinder::count, 0L),
                fields.read("usd_per_day", PoolingBinder::usd, 0L),
                fields.read("usd_per_month", PoolingBinder::usd, 0L));
        return binding.result(() -> limits);
    }

    /** Upstream model name: its capabilities. */
    static Result<Map<String, ModelCapabilities>> capabilities(ConfigNode node) {
        Binding binding = new Binding();
        Map<String, ModelCapabilities> byModel = new LinkedHashMap<>();
        if (!(node instanceof ConfigNode.Mapping mapping)) {
            return Result.problem(node, "expected a mapping of upstream model name: { tools: true, ... }");
        }
        for (ConfigNode.Entry entry : mapping.entries()) {
            String model = entry.name();
            if (byModel.containsKey(model)) {
                binding.add(entry.key(), "model '" + model + "' is given twice");
                continue;
            }
            binding.take(model(entry.value())).ifPresent(capabilities -> byModel.put(model, capabilities));
        }
        return binding.result(() -> byModel);
    }

    private static Result<ModelCapabilities> model(ConfigNode node) {
        Binding binding = new Binding();
        Fields fields = binding.fields(node, CAPABILITY_FIELDS);
        Map<String, Boolean> flags = new LinkedHashMap<>();
        Map<String, Long> limits = new LinkedHashMap<>();
        for (String flag : ModelCapabilities.FLAG_FIELDS) {
            fields.read(flag, Values::bool).ifPresent(value -> flags.put(flag, value));
        }
        for (String limit : ModelCapabilities.LIMIT_FIELDS) {
            fields.read(limit, PoolingBinder::count).ifPresent(value -> limits.put(limit, value));
        }
        Long window = limits.get("context_window");
        Long output = limits.get("max_output");
        if (window != null && output != null && output > window) {
            binding.add(fields.get("max_output").orElseThrow(), "max_output " + output
                    + " is above context_window " + window);
        }
        return binding.result(() -> new ModelCapabilities(flags, limits));
    }

    /** A whole number of at least 1. */
    static Result<Long> count(ConfigNode node) {
        return Values.text(node).then(text -> {
            try {
                long value = Long.parseLong(text.strip().replace("_", ""));
                return value < 1 ? Result.problem(node, "must be at least 1") : Result.ok(value);
            } catch (NumberFormatException e) {
                return Result.problem(node, "'" + text + "' is not a whole number");
            }
        });
    }

    /** US dollars above zero, at most six decimals, as micro-dollars. */
    static Result<Long> usd(ConfigNode node) {
        return Values.text(node).then(text -> {
            try {
                BigDecimal value = new BigDecimal(text.strip());
                if (value.signum() <= 0) {
                    return Result.problem(node, "must be above 0 (US dollars)");
                }
                if (value.scale() > 6) {
                    return Result.problem(node, "at most 6 decimal places");
                }
                return Result.ok(value.multiply(MILLION).longValueExact());
            } catch (NumberFormatException | ArithmeticException e) {
                return Result.problem(node, "'" + text + "' is not an amount of US dollars");
            }
        });
    }

}
