package dev.junction.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code alerts:} section: how often the rules are checked, the rules of the file (more are
 * made in the admin API) and where notifications go besides the dashboard.
 *
 * @param every how often every rule is evaluated (default 1 minute)
 * @param rules the file's rules, read-only in the dashboard
 * @param webhooks where firing and recovery notices are posted
 */
public record AlertsConfig(Duration every, List<Rule> rules, List<Webhook> webhooks) {

    /** The rule kinds, as written in {@code kind:}. */
    public static final List<String> KINDS = List.of("spend", "budget", "error_rate", "latency", "failover_rate",
            "channel_down", "key_disabled", "baseline_shift");
    /** The tiers, lowest first, as written in {@code min_tier:}. */
    public static final List<String> TIERS = List.of("info", "warning", "critical");
    /** Webhook body formats. */
    public static final Set<String> FORMATS = Set.of("json", "slack");

    public static final AlertsConfig DEFAULT = new AlertsConfig(Duration.ofMinutes(1), List.of(), List.of());

    public AlertsConfig {
        Objects.requireNonNull(every, "every");
        rules = List.copyOf(rules);
        webhooks = List.copyOf(webhooks);
    }

    /**
     * One rule: it fires for each subject whose measured value reaches {@code threshold}.
     *
     * @param kind one of {@link #KINDS}
     * @param threshold in the kind's unit (dollars, a fraction, milliseconds, a count)
     * @param window how far back the value is measured
     * @param model only this public model (empty: every model)
     * @param minRequests fewer requests in the window than this is too few to judge (rates, latency, baseline)
     */
    public record Rule(String name, String kind, double threshold, Duration window, Optional<String> model,
            long minRequests) {
        public Rule {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(model, "model");
        }
    }

    /**
     * A webhook: a URL (a secret: its query and path are never logged), a body format, the lowest
     * tier it is sent, a timeout per attempt and how many times a failed delivery is retried.
     */
    public record Webhook(String name, URI url, String format, String minTier, Duration timeout, int retries,
            Duration backoff) {
        public Webhook {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(minTier, "minTier");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(backoff, "backoff");
        }

        @Override
        public String toString() {
            return "Webhook[" + name + " " + url.getScheme() + "://" + url.getAuthority() + "/…]";
        }
    }
}
