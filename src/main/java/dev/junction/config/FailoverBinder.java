package dev.junction.config;

import java.util.Set;

/** The {@code failover:} section and its {@code breaker:}. */
final class FailoverBinder {

    static final Set<String> FIELDS = Set.of("max_attempts", "request_timeout", "cooldown", "breaker",
            "key_probe_every", "max_retry_wait", "continue_streams", "hedge_after",
            "continue_same_channel");
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
                fields.read("continue_streams", Values::bool, d.continueStreams()),
                fields.read("hedge_after", FailoverBinder::hedge, d.hedge()),
                fields.read("continue_same_channel", n -> Values.integer(n, 0), d.continueSameChannel()));
        return binding.result(() -> failover);
    }

    /** {@code hedge_after}: a duration, {@code p95}, or {@code off}. */
    static Result<FailoverConfig.Hedge> hedge(ConfigNode node) {
        return Values.text(node).then(text -> switch (text.strip()) {
            case "p95" -> Result.ok(FailoverConfig.Hedge.P95);
            case "off" -> Result.ok(FailoverConfig.Hedge.OFF);
            default -> !text.isBlank() && Character.isDigit(text.strip().charAt(0))
                    ? Values.positiveDuration(node).then(after -> Result.ok(FailoverConfig.Hedge.after(after)))
                    : Result.problem(node, "'" + text + "' is neither a duration (e.g. 8s) nor p95 nor off");
        });
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
