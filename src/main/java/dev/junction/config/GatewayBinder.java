package dev.junction.config;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The whole file: each top-level field is handed to the binder of its section, and the problems
 * of all of them are reported together. A new section is a binder, its field name below, and a
 * component of {@link GatewayConfig}.
 */
final class GatewayBinder {

    private static final Set<String> FIELDS = fields();

    private GatewayBinder() {
    }

    private static Set<String> fields() {
        Set<String> fields = new HashSet<>(ServerBinder.FIELDS);
        fields.addAll(Set.of("keys", "channels", "failover", "admin", "metrics", "routing", "usage", "alerts"));
        return Set.copyOf(fields);
    }

    static Result<GatewayConfig> bind(ConfigNode root, ChannelPresets presets) {
        Binding binding = new Binding();
        Fields fields = binding.fields(root, FIELDS);
        Listen listen = fields.read("listen", ServerBinder::listen, Listen.DEFAULT);
        String database = fields.read("database", ServerBinder::database, GatewayConfig.DEFAULT_DATABASE);
        Optional<String> redis = fields.read("redis", ServerBinder::redis);
        long maxBody = fields.read("max_body_size", ServerBinder::maxBodySize, GatewayConfig.DEFAULT_MAX_BODY_BYTES);
        List<KeyConfig> keys = fields.read("keys", KeyBinder::bindAll, List.of());
        List<ChannelConfig> channels = fields.read("channels", n -> ChannelBinder.bindAll(n, presets), List.of());
        FailoverConfig failover = fields.read("failover", FailoverBinder::bind, FailoverConfig.DEFAULT);
        ServerSettings server = fields.read("server", ServerBinder::settings, ServerSettings.DEFAULT);
        AdminConfig admin = fields.read("admin", AdminBinder::bind, AdminConfig.DEFAULT);
        MetricsConfig metrics = fields.read("metrics", MetricsBinder::bind, MetricsConfig.DEFAULT);
        RoutingConfig routing = fields.read("routing", RoutingBinder::bind, RoutingConfig.DEFAULT);
        UsageConfig usage = fields.read("usage", UsageBinder::bind, UsageConfig.DEFAULT);
        AlertsConfig alerts = fields.read("alerts", AlertsBinder::bind, AlertsConfig.DEFAULT);
        return binding.result(() -> new GatewayConfig(listen, database, redis, maxBody, keys, channels, failover,
                server, admin, metrics, routing, usage, alerts, SettingsBinder.declared(root)));
    }
}
