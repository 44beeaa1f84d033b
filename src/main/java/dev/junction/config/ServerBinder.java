package dev.junction.config;

import java.util.Set;

/** The server-level fields at the top of the file: {@code listen}, {@code database}, {@code redis}, {@code max_body_size}. */
final class ServerBinder {

    static final Set<String> FIELDS = Set.of("listen", "database", "redis", "max_body_size");

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
}
