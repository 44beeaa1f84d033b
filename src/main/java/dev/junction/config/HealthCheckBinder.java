package dev.junction.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** A channel's {@code health_check:} mapping: the model to ask and how often. */
final class HealthCheckBinder {

    static final Set<String> FIELDS = Set.of("model", "every");
    static final Duration DEFAULT_EVERY = Duration.ofMinutes(1);

    private HealthCheckBinder() {
    }

    static Result<HealthCheck> bind(ConfigNode node) {
        Binding binding = new Binding();
        Fields fields = binding.fields(node, FIELDS);
        Optional<String> model = fields.required("model");
        Duration every = fields.read("every", Values::positiveDuration, DEFAULT_EVERY);
        return binding.result(() -> new HealthCheck(model.orElseThrow(), every));
    }
}
