package dev.junction.config;

import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code usage:} mapping: {@code keep_raw}, {@code keep_rollups} (e.g. {@code 30d}, {@code 400d}, {@code 12h}). */
final class UsageBinder {

    static final Set<String> FIELDS = Set.of("keep_raw", "keep_rollups");
    private static final Pattern DAYS = Pattern.compile("(\\d+)d");

    private UsageBinder() {
    }

    static Result<UsageConfig> bind(ConfigNode node) {
        Binding binding = new Binding();
        Fields fields = binding.fields(node, FIELDS);
        UsageConfig d = UsageConfig.DEFAULT;
        Duration raw = fields.read("keep_raw", UsageBinder::retention, d.keepRaw());
        Duration rollups = fields.read("keep_rollups", UsageBinder::retention, d.keepRollups());
        if (binding.clean() && rollups.compareTo(raw) < 0) {
            binding.add(fields.get("keep_rollups").orElse(node),
                    "keep_rollups must be at least keep_raw (rollups are what is left once raw rows are gone)");
        }
        return binding.result(() -> new UsageConfig(raw, rollups));
    }

    private static Result<Duration> days(ConfigNode node, String text, String count) {
        try {
            return Result.ok(Duration.ofDays(Long.parseLong(count)));
        } catch (NumberFormatException | ArithmeticException e) {
            return Result.problem(node, "'" + text + "' is too long a retention period");
        }
    }

    /** A retention period: {@code 30d}, or a duration such as {@code 12h}; longer than zero. */
    static Result<Duration> retention(ConfigNode node) {
        return Values.text(node).then(text -> {
            Matcher days = DAYS.matcher(text.strip());
            Result<Duration> parsed = days.matches() ? days(node, text, days.group(1))
                    : Values.duration(node).problems().isEmpty() ? Values.duration(node)
                    : Result.problem(node, "'" + text + "' is not a retention period; write e.g. 30d, 400d or 12h");
            return parsed.then(value -> value.isZero() ? Result.problem(node, "must be longer than zero")
                    : Result.ok(value));
        });
    }
}
