package dev.junction.config;

import java.util.Objects;

/**
 * The settings that change while the gateway runs, from the config file or the admin API
 * ({@code /api/settings}): the {@code failover:} section (attempts, request timeout, cooldown,
 * breaker, same-channel retry wait, stream continuation, hedging) and the {@code usage:} retention.
 * The other sections ({@code listen}, {@code database}, {@code redis}, {@code server}, {@code admin},
 * {@code metrics}) take effect only on a restart.
 */
public record RuntimeSettings(FailoverConfig failover, UsageConfig usage) {

    public static final RuntimeSettings DEFAULT = new RuntimeSettings(FailoverConfig.DEFAULT, UsageConfig.DEFAULT);

    public RuntimeSettings {
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(usage, "usage");
    }

    /** The running file's settings. */
    public static RuntimeSettings of(GatewayConfig config) {
        return new RuntimeSettings(config.failover(), config.usage());
    }
}
