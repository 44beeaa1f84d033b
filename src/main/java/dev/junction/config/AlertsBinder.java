package dev.junction.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@code alerts:} mapping: {@code every}, {@code rules}, {@code webhooks}. */
final class AlertsBinder {

    static final Set<String> FIELDS = Set.of("every", "rules", "webhooks");
    static final Set<String> RULE_FIELDS = Set.of("name", "kind", "threshold", "window", "model", "min_requests");
    static final Set<String> WEBHOOK_FIELDS = Set.of("name", "url", "format", "min_tier", "timeout", "retries",
            "backoff");

    private AlertsBinder() {
    }

    static Result<AlertsConfig> bind(ConfigNode node) {
        Binding binding = new Binding();
        Fields fields = binding.fields(node, FIELDS);
        Duration every = fields.read("every", Values::positiveDuration, AlertsConfig.DEFAULT.every());
        List<AlertsConfig.Rule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        fields.get("rules").ifPresent(list -> binding.take(Values.items(list)).orElse(List.of()).forEach(item ->
                binding.take(rule(item)).ifPresent(rule -> {
                    if (!names.add(rule.name())) {
                        binding.add(item, "a rule named '" + rule.name() + "' is given twice");
                    }
                    rules.add(rule);
                })));
        List<AlertsConfig.Webhook> webhooks = new ArrayList<>();
        fields.get("webhooks").ifPresent(list -> binding.take(Values.items(list)).orElse(List.of()).forEach(item ->
                binding.take(webhook(item)).ifPresent(webhooks::add)));
        return binding.result(() -> new AlertsConfig(every, rules, webhooks));
    }

    static Result<AlertsConfig.Rule> rule(ConfigNode node) {
        Binding binding = new Binding();
        Fields fields = binding.fields(node, RULE_FIELDS);
        Optional<String> name = fields.required("name");
        Optional<String> kind = fields.required("kind", n -> oneOf(n, AlertsConfig.KINDS));
        Optional<Double> threshold = fields.required("threshold", AlertsBinder::number);
        Duration window = fields.read("window", Values::positiveDuration, Duration.ofMinutes(15));
        Optional<String> model = fields.read("model", Values::nonEmpty);
        int minRequests = fields.read("min_requests", n -> Values.integer(n, 0), 10);
        return binding.result(() -> new AlertsConfig.Rule(name.orElseThrow(), kind.orElseThrow(),
                threshold.orElseThrow(), window, model, minRequests));
    }

    static Result<AlertsConfig.Webhook> webhook(ConfigNode node) {
        Binding binding = new Binding();
        Fields fields = binding.fields(node, WEBHOOK_FIELDS);
        Optional<String> name = fields.required("name");
        Optional<URI> url = fields.required("url", AlertsBinder::webhookUrl);
        String format = fields.read("format", n -> oneOf(n, List.of("json", "slack")), "json");
        String minTier = fields.read("min_tier", n -> oneOf(n, AlertsConfig.TIERS), "info");
        Duration timeout = fields.read("timeout", Values::positiveDuration, Duration.ofSeconds(5));
        int retries = fields.read("retries", n -> Values.integer(n, 0), 3);
        Duration backoff = fields.read("backoff", Values::positiveDuration, Duration.ofSeconds(1));
        return binding.result(() -> new AlertsConfig.Webhook(name.orElseThrow(), url.orElseThrow(), format, minTier,
                timeout, retries, backoff));
    }

    private static Result<String> oneOf(ConfigNode node, List<String> allowed) {
        return Values.text(node).then(text -> allowed.contains(text.strip()) ? Result.ok(text.strip())
                : Result.problem(node, "'" + text + "' is not one of " + allowed));
    }

    private static Result<Double> number(ConfigNode node) {
        return Values.text(node).then(text -> {
            try {
                double value = Double.parseDouble(text.strip());
                return value < 0 || Double.isNaN(value) || Double.isInfinite(value)
                        ? Result.problem(node, "must be a number of at least 0") : Result.ok(value);
            } catch (NumberFormatException e) {
                return Result.problem(node, "'" + text + "' is not a number");
            }
        });
    }

    /** An http(s) URL with a host; a query is allowed (some receivers take their token there). */
    private static Result<URI> webhookUrl(ConfigNode node) {
        return Values.nonEmpty(node).then(text -> {
            try {
                URI uri = new URI(text.strip());
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    // The URL is a secret: the problem does not repeat it.
                    return Result.problem(node, "is not an http(s) URL with a host");
                }
                return Result.ok(uri);
            } catch (URISyntaxException e) {
                return Result.problem(node, "is not a valid URL");
            }
        });
    }
}
