package dev.junction.config;

import java.util.Set;

/** The {@code metrics:} mapping: {@code enabled}, {@code per_key}. */
final class MetricsBinder {

    static final Set<String> FIELDS = Set.of("enabled", "per_key");

    private MetricsBinder() {
    }

    static Result<MetricsConfig> bind(ConfigNode node) {
        Binding binding = new Binding();
        Fields fields = binding.fields(node, FIELDS);
        MetricsConfig d = MetricsConfig.DEFAULT;
        boolean enabled = fields.read("enabled", Values::bool, d.enabled());
        boolean perKey = fields.read("per_key", Values::bool, d.perKey());
        return binding.result(() -> new MetricsConfig(enabled, perKey));
    }
}
