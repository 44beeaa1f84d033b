package dev.junction.admin.alerts;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One alert rule, from the config file ({@code source} {@code file}, read-only) or the admin API
 * ({@code database}).
 *
 * @param model only this public model; empty for every model
 * @param minRequests fewer requests than this in the window is too little to judge a rate, a latency
 *     or a baseline (spend and budget ignore it)
 */
public record Rule(String name, RuleKind kind, double threshold, Duration window, Optional<String> model,
        long minRequests, boolean enabled, String source) {

    public static final String FILE = "file";
    public static final String DATABASE = "database";

    public Rule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(source, "source");
    }
}
