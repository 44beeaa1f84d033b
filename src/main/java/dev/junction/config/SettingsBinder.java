package dev.junction.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runtime settings ({@link RuntimeSettings}) as one mapping {@code {failover: …, usage: …}},
 * bound by the config file's own section binders, so the admin API's values get the file's rules
 * and messages. Each setting has a dotted name ({@code failover.max_attempts},
 * {@code failover.breaker.window}, {@code usage.keep_raw}): {@link #FIELDS} lists them with their
 * kind, {@link #declared} says which a config file gives, and {@link #values} writes settings back in
 * the file's syntax ({@code 30s}, {@code 30d}, {@code p95}).
 */
public final class SettingsBinder {

    static final Set<String> SECTIONS = Set.of("failover", "usage");

    /**
     * One setting.
     *
     * @param name dotted, as in the file ({@code failover.breaker.window})
     * @param kind {@code integer}, {@code duration}, {@code boolean}, {@code fraction},
     *     {@code retention} (a duration or days, {@code 30d}) or {@code hedge} (a duration, {@code p95}
     *     or {@code off})
     */
    public record Field(String name, String kind) {
    }

    /** Every runtime setting, in the order the dashboard shows them. */
    public static final List<Field> FIELDS = List.of(
            new Field("failover.max_attempts", "integer"),
            new Field("failover.request_timeout", "duration"),
            new Field("failover.cooldown", "duration"),
            new Field("failover.max_retry_wait", "duration"),
            new Field("failover.continue_streams", "boolean"),
            new Field("failover.continue_same_channel", "integer"),
            new Field("failover.hedge_after", "hedge"),
            new Field("failover.key_probe_every", "duration"),
            new Field("failover.breaker.consecutive_failures", "integer"),
            new Field("failover.breaker.failure_rate", "fraction"),
            new Field("failover.breaker.min_requests", "integer"),
            new Field("failover.breaker.window", "duration"),
            new Field("failover.breaker.open_for", "duration"),
            new Field("failover.breaker.probe_every", "duration"),
            new Field("failover.breaker.probe_max", "duration"),
            new Field("failover.breaker.half_open_requests", "integer"),
            new Field("usage.keep_raw", "retention"),
            new Field("usage.keep_rollups", "retention"));

    private SettingsBinder() {
    }

    /** Binds {@code {failover: …, usage: …}} (either may be absent: its defaults). */
    public static Result<RuntimeSettings> bind(ConfigNode node) {
        Binding binding = new Binding();
        Fields fields = binding.fields(node, SECTIONS);
        FailoverConfig failover = fields.read("failover", FailoverBinder::bind, FailoverConfig.DEFAULT);
        UsageConfig usage = fields.read("usage", UsageBinder::bind, UsageConfig.DEFAULT);
        return binding.result(() -> new RuntimeSettings(failover, usage));
    }

    /** The dotted names of the runtime settings the config file {@code root} gives (null values do not count). */
    static Set<String> declared(ConfigNode root) {
        Set<String> names = new LinkedHashSet<>();
        for (String section : List.of("failover", "usage")) {
            entries(root, section).forEach((name, value) -> {
                if (name.equals("breaker")) {
                    entries(value, null).forEach((sub, v) -> names.add(section + ".breaker." + sub));
                } else {
                    names.add(section + "." + name);
                }
            });
        }
        return Set.copyOf(names);
    }

    /** The non-null entries of {@code node} (or of its field {@code field}) when it is a mapping. */
    private static Map<String, ConfigNode> entries(ConfigNode node, String field) {
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        if (node instanceof ConfigNode.Mapping mapping) {
            for (ConfigNode.Entry entry : mapping.entries()) {
                if (field == null) {
                    if (!entry.value().isNull()) {
                        entries.put(entry.name(), entry.value());
                    }
                } else if (entry.name().equals(field)) {
                    return entries(entry.value(), null);
                }
            }
        }
        return entries;
    }

    /** Every setting's value in the file's syntax (an integer, a boolean, a number or text), by dotted name. */
    public static Map<String, Object> values(RuntimeSettings settings) {
        FailoverConfig f = settings.failover();
        FailoverConfig.BreakerConfig b = f.breaker();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("failover.max_attempts", f.maxAttempts());
        values.put("failover.request_timeout", duration(f.requestTimeout()));
        values.put("failover.cooldown", duration(f.cooldown()));
        values.put("failover.max_retry_wait", duration(f.maxRetryWait()));
        values.put("failover.continue_streams", f.continueStreams());
        values.put("failover.continue_same_channel", f.continueSameChannel());
        values.put("failover.hedge_after", f.hedge().p95() ? "p95" : f.hedge().after() == null ? "off"
                : duration(f.hedge().after()));
        values.put("failover.key_probe_every", duration(f.keyProbeEvery()));
        values.put("failover.breaker.consecutive_failures", b.consecutiveFailures());
        values.put("failover.breaker.failure_rate", b.failureRate());
        values.put("failover.breaker.min_requests", b.minRequests());
        values.put("failover.breaker.window", duration(b.window()));
        values.put("failover.breaker.open_for", duration(b.openFor()));
        values.put("failover.breaker.probe_every", duration(b.probeEvery()));
        values.put("failover.breaker.probe_max", duration(b.probeMax()));
        values.put("failover.breaker.half_open_requests", b.halfOpenRequests());
        values.put("usage.keep_raw", retention(settings.usage().keepRaw()));
        values.put("usage.keep_rollups", retention(settings.usage().keepRollups()));
        return values;
    }

    /** A duration as the file writes it, in the largest whole unit: {@code 2h}, {@code 90s}, {@code 250ms}. */
    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    private static String retention(Duration d) {
        return d.toMillis() % 86_400_000 == 0 ? d.toDays() + "d" : duration(d);
    }
}
