package dev.junction.config;

import java.util.Set;

/** The {@code failover:} section and its {@code breaker:}. */
final class FailoverBinder {

    static final Set<String> FIELDS = Set.of("max_attempts", "request_timeout", "cooldown", "breaker",
            "key_probe_every", "max_retry_wait", "continue_streams");
    static final Set<String> BREAKER_FIELDS = Set.of("consecutive_failures", "failure_rate", "min_requests", "window",
            "open_for", "probe_every", "probe_max", "half_open_requests");

    private FailoverBinder() {
    }

    static Result<FailoverConfig> bind(ConfigNode node) {
        Binding binding = new Binding();
        Fields fields = binding.fields(node, FIELDS);
        FailoverConfig d = FailoverConfig.DEFAULT;
        FailoverConfig.BreakerConfig breaker = fields.read("breaker", FailoverBinder::breaker, d.breaker());
        FailoverConfig failover = new FailoverConfig(
                fields.read("max_attempts", n -> Values.integer(n, 1), d.maxAttempts()),
                fields.read("request_timeout", Values::positiveDuration, d.requestTimeout()),
                fields.read("cooldown", Values::duration, d.cooldown()),
                breaker,
                fields.read("key_probe_every", Values::positiveDuration, d.keyProbeEvery()),
                fields.read("max_retry_wait", Values::duration, d.maxRetryWait()),
                fields.read("continue_streams", Values::bool, d.continueStreams()));
        return binding.result(() -> failover);
    }

    static Result<FailoverConfig.BreakerConfig> breaker(ConfigNode node) {
        Binding binding = new Binding();
        Fields fields = binding.fields(node, BREAKER_FIELDS);
        FailoverConfig.BreakerConfig d = FailoverConfig.BreakerConfig.DEFAULT;
        FailoverConfig.BreakerConfig breaker = new FailoverConfig.BreakerConfig(
                fields.read("consecutive_failures", n -> Values.integer(n, 1), d.consecutiveFailures()),
                fields.read("failure_rate", Values::fraction, d.failureRate()),
                fields.read("min_requests", n -> Values.integer(n, 1), d.minRequests()),
                fields.read("window", Values::positiveDuration, d.window()),
                fields.read("open_for", Values::positiveDuration, d.openFor()),
                fields.read("probe_every", Values::positiveDuration, d.probeEvery()),
                fields.read("probe_max", Values::positiveDuration, d.probeMax()),
                fields.read("half_open_requests", n -> Values.integer(n, 1), d.halfOpenRequests()));
        return binding.result(() -> breaker);
    }
}
