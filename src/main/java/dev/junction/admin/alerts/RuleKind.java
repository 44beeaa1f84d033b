package dev.junction.admin.alerts;

import java.util.Optional;

/**
 * What a rule measures, and in what unit its threshold is. Every rule fires when its measured
 * value reaches the threshold (value ≥ threshold).
 */
public enum RuleKind {
    /** Dollars spent in the window (gateway-wide, or on one model). */
    SPEND("spend", "USD in the window", true),
    /** A key's, user's or team's budget used, as a fraction of it (0.8 = 80 %). */
    BUDGET("budget", "fraction of the budget", false),
    /** Share of requests answered 5xx in the window, per model. */
    ERROR_RATE("error_rate", "fraction of requests", true),
    /** 95th-percentile latency in milliseconds in the window, per model. */
    LATENCY("latency", "p95 milliseconds", true),
    /** Share of requests that failed over to another channel in the window, per model. */
    FAILOVER_RATE("failover_rate", "fraction of requests", true),
    /** A channel whose health check fails or whose circuit is open (value 1). */
    CHANNEL_DOWN("channel_down", "1 when down", false),
    /** A channel with provider keys disabled after a 401/403 (value: how many). */
    KEY_DISABLED("key_disabled", "disabled keys", false),
    /** Cost per request since the last routing-config change against before it, as a relative change (0.2 = ±20 %). */
    BASELINE_SHIFT("baseline_shift", "relative change", true);

    private final String wire;
    private final String unit;
    private final boolean perModel;

    RuleKind(String wire, String unit, boolean perModel) {
        this.wire = wire;
        this.unit = unit;
        this.perModel = perModel;
    }

    public String wire() {
        return wire;
    }

    /** The threshold's unit, in words. */
    public String unit() {
        return unit;
    }

    /** Whether its findings are about one model (so an exception for a model can apply). */
    public boolean perModel() {
        return perModel;
    }

    public static Optional<RuleKind> parse(String wire) {
        for (RuleKind kind : values()) {
            if (kind.wire.equals(wire)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
