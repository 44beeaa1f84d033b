package dev.junction.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A gateway key ({@code keys:} item): name, secret, model allow-list, and the team, limits and
 * budget it is held to (DESIGN.md §3.1).
 */
final class KeyBinder {

    static final Set<String> FIELDS = Set.of("name", "key", "models", "team", "limits", "budget");
    static final Set<String> LIMIT_FIELDS = Set.of("rpm", "tpm", "concurrent");
    static final Set<String> BUDGET_FIELDS = Set.of("usd", "period");
    static final List<String> PERIODS = List.of("day", "week", "month");

    private KeyBinder() {
    }

    /** One key, from the file or an admin API body. */
    public static Result<KeyConfig> bind(ConfigNode node) {
        Binding binding = new Binding();
        Fields fields = binding.fields(node, FIELDS);
        Optional<String> name = fields.required("name");
        Optional<String> key = fields.required("key", KeyBinder::secret);
        List<String> models = fields.read("models", Values::textList, List.of("*"));
        Optional<String> team = fields.read("team", Values::nonEmpty);
        KeyConfig.Limits limits = fields.read("limits", KeyBinder::limits, KeyConfig.Limits.NONE);
        Optional<KeyConfig.Budget> budget = fields.read("budget", KeyBinder::budget);
        return binding.result(() -> new KeyConfig(name.orElseThrow(), key.orElseThrow(), models, team, limits,
                budget));
    }

    /** {@code limits: { rpm, tpm, concurrent }}: each a whole number of at least 1 when given. */
    static Result<KeyConfig.Limits> limits(ConfigNode node) {
        Binding binding = new Binding();
        Fields fields = binding.fields(node, LIMIT_FIELDS);
        long rpm = fields.read("rpm", KeyBinder::count, 0L);
        long tpm = fields.read("tpm", KeyBinder::count, 0L);
        long concurrent = fields.read("concurrent", KeyBinder::count, 0L);
        return binding.result(() -> new KeyConfig.Limits(rpm, tpm, concurrent));
    }

    private static Result<Long> count(ConfigNode node) {
        return Values.text(node).then(text -> {
            try {
                long value = Long.parseLong(text.strip());
                return value < 1 ? Result.problem(node, "must be at least 1 (leave it out for no limit)")
                        : Result.ok(value);
            } catch (NumberFormatException e) {
                return Result.problem(node, "'" + text + "' is not a whole number");
            }
        });
    }

    /** {@code budget: { usd, period }}: dollars (at most 6 decimals) per day, week or month. */
    static Result<KeyConfig.Budget> budget(ConfigNode node) {
        Binding binding = new Binding();
        Fields fields = binding.fields(node, BUDGET_FIELDS);
        Optional<BigDecimal> usd = fields.required("usd", KeyBinder::dollars);
        Optional<String> period = fields.required("period", KeyBinder::period);
        return binding.result(() -> new KeyConfig.Budget(usd.orElseThrow(), period.orElseThrow()));
    }

    static Result<BigDecimal> dollars(ConfigNode node) {
        return Values.text(node).then(text -> {
            try {
                BigDecimal usd = new BigDecimal(text.strip());
                if (usd.signum() < 0) {
                    return Result.problem(node, "a budget is never negative");
                }
                if (usd.stripTrailingZeros().scale() > 6) {
                    return Result.problem(node, "at most 6 decimal places (a millionth of a dollar)");
                }
                if (usd.compareTo(BigDecimal.valueOf(1_000_000_000L)) > 0) {
                    return Result.problem(node, "above the largest budget ($1,000,000,000)");
                }
                return Result.ok(usd);
            } catch (NumberFormatException e) {
                return Result.problem(node, "'" + text + "' is not an amount of dollars such as 20 or 0.50");
            }
        });
    }

    static Result<String> period(ConfigNode node) {
        return Values.text(node).then(text -> PERIODS.contains(text.strip()) ? Result.ok(text.strip())
                : Result.problem(node, "'" + text + "' is not a period; expected one of " + PERIODS));
    }

    static Result<String> secret(ConfigNode node) {
        return Values.nonEmpty(node).then(key -> key.length() < 8
                ? Result.problem(node, "a gateway key must be at least 8 characters") : Result.ok(key));
    }

    /** The {@code keys:} list: every key, and no name or secret twice. */
    static Result<List<KeyConfig>> bindAll(ConfigNode node) {
        return Values.items(node).then(items -> {
            Binding binding = new Binding();
            List<KeyConfig> keys = new ArrayList<>();
            Set<String> names = new HashSet<>();
            Set<String> secrets = new HashSet<>();
            for (ConfigNode item : items) {
                Optional<KeyConfig> key = binding.take(bind(item));
                if (key.isEmpty()) {
                    continue;
                }
                if (!names.add(key.get().name())) {
                    binding.add(Problem.atField(item, "name", "duplicate key name '" + key.get().name() + "'"));
                }
                if (!secrets.add(key.get().key())) {
                    binding.add(Problem.atField(item, "key", "the same key is listed twice"));
                }
                keys.add(key.get());
            }
            return binding.result(() -> List.copyOf(keys));
        });
    }
}
