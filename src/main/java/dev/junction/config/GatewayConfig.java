package dev.junction.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole config file after interpolation and validation (DESIGN.md §3). Every field has a
 * default, so {@link #defaults()} is what {@code junction serve} runs with no file at all.
 *
 * @param listen address the gateway binds
 * @param database {@code sqlite:PATH} or a {@code postgresql://} URL
 * @param redis optional Redis URL for state shared between instances
 * @param maxBodyBytes largest request body accepted, in bytes
 * @param keys gateway keys clients authenticate with
 * @param channels upstream provider connections
 * @param failover attempt limits, cooldowns and circuit breakers
 * @param server client-facing read bounds, per-address connection cap and stop grace
 * @param admin the dashboard and admin API: owner seed password, trusted proxies, sign-in limits
 * @param metrics whether {@code /metrics} is served, and with per-key series or not
 * @param routing per public model: strategy, fallbacks, affinity
 * @param usage how long usage rows and rollups are kept
 * @param alerts alert rules, evaluation period and webhooks
 * @param fileSettings the runtime settings ({@link SettingsBinder#FIELDS}) the file gives, by dotted
 *     name: these are read-only in the admin API; the others may be set there
 */
public record GatewayConfig(
        Listen listen,
        String database,
        Optional<String> redis,
        long maxBodyBytes,
        List<KeyConfig> keys,
        List<ChannelConfig> channels,
        FailoverConfig failover,
        ServerSettings server,
        AdminConfig admin,
        MetricsConfig metrics,
        RoutingConfig routing,
        UsageConfig usage,
        AlertsConfig alerts,
        java.util.Set<String> fileSettings) {

    public static final String DEFAULT_DATABASE = "sqlite:./data/junction.db";
    public static final long DEFAULT_MAX_BODY_BYTES = 32L * 1024 * 1024;

    public GatewayConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(redis, "redis");
        keys = List.copyOf(keys);
        channels = List.copyOf(channels);
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(alerts, "alerts");
        fileSettings = java.util.Set.copyOf(fileSettings);
    }

    /** A config whose file gives no runtime settings (or gives them all the same way: tools, tests). */
    public GatewayConfig(Listen listen, String database, Optional<String> redis, long maxBodyBytes,
            List<KeyConfig> keys, List<ChannelConfig> channels, FailoverConfig failover, ServerSettings server,
            AdminConfig admin, MetricsConfig metrics, RoutingConfig routing, UsageConfig usage, AlertsConfig alerts) {
        this(listen, database, redis, maxBodyBytes, keys, channels, failover, server, admin, metrics, routing, usage,
                alerts, java.util.Set.of());
    }

    /** A config without an {@code alerts:} section. */
    public GatewayConfig(Listen listen, String database, Optional<String> redis, long maxBodyBytes,
            List<KeyConfig> keys, List<ChannelConfig> channels, FailoverConfig failover, ServerSettings server,
            AdminConfig admin, MetricsConfig metrics, RoutingConfig routing, UsageConfig usage) {
        this(listen, database, redis, maxBodyBytes, keys, channels, failover, server, admin, metrics, routing, usage,
                AlertsConfig.DEFAULT);
    }

    /** The configuration used when no file is given: port 3000, SQLite under ./data, no channels. */
    public static GatewayConfig defaults() {
        return new GatewayConfig(Listen.DEFAULT, DEFAULT_DATABASE, Optional.empty(), DEFAULT_MAX_BODY_BYTES,
                List.of(), List.of(), FailoverConfig.DEFAULT, ServerSettings.DEFAULT, AdminConfig.DEFAULT,
                MetricsConfig.DEFAULT, RoutingConfig.DEFAULT, UsageConfig.DEFAULT);
    }

    public GatewayConfig withListen(Listen newListen) {
        return new GatewayConfig(newListen, database, redis, maxBodyBytes, keys, channels, failover, server, admin,
                metrics, routing, usage, alerts, fileSettings);
    }
}
