package dev.junction.config;

import java.util.Set;

/**
 * The server-level fields at the top of the file: {@code listen}, {@code database}, {@code redis},
 * {@code max_body_size}, and the {@code server:} section of client-facing limits.
 */
final class ServerBinder {

    static final Set<String> FIELDS = Set.of("listen", "database", "redis", "max_body_size", "server");
    static final Set<String> SETTINGS_FIELDS = Set.of("header_timeout", "body_timeout", "body_min_rate",
            "max_connections_per_ip", "cap_loopback", "shutdown_grace");

    private ServerBinder() {
    }

    static Result<Listen> listen(ConfigNode node) {
        return Values.text(node).then(text -> Listen.parse(text).map(Result::ok).orElseGet(() -> Result.problem(node,
                "'" + text + "' is not an address; write host:port, e.g. 0.0.0.0:3000")));
    }

    static Result<String> database(ConfigNode node) {
        return Values.text(node).then(url -> url.startsWith("sqlite:") || url.startsWith("postgresql://")
                || url.startsWith("postgres://") ? Result.ok(url) : Result.problem(node, "'" + url
                        + "' is not supported; use sqlite:PATH or postgresql://user:pass@host:5432/db"));
    }

    static Result<String> redis(ConfigNode node) {
        return Values.text(node).then(url -> url.startsWith("redis://") || url.startsWith("rediss://")
                ? Result.ok(url) : Result.problem(node, "'" + url + "' is not a redis:// URL"));
    }

    static Result<Long> maxBodySize(ConfigNode node) {
        return Values.size(node);
    }

    static Result<ServerSettings> settings(ConfigNode node) {
        Binding binding = new Binding();
        Fields fields = binding.fields(node, SETTINGS_FIELDS);
        ServerSettings d = ServerSettings.DEFAULT;
        ServerSettings settings = new ServerSettings(
                fields.read("header_timeout", Values::positiveDuration, d.headerTimeout()),
                fields.read("body_timeout", Values::positiveDuration, d.bodyTimeout()),
                fields.read("body_min_rate", ServerBinder::positiveSize, d.bodyMinRate()),
                fields.read("max_connections_per_ip", n -> Values.integer(n, 0), d.maxConnectionsPerIp()),
                fields.read("cap_loopback", Values::bool, d.capLoopback()),
                fields.read("shutdown_grace", Values::duration, d.shutdownGrace()));
        return binding.result(() -> settings);
    }

    private static Result<Long> positiveSize(ConfigNode node) {
        return Values.size(node).then(size -> size > 0 ? Result.ok(size)
                : Result.problem(node, "must be more than 0 bytes per second"));
    }
}
