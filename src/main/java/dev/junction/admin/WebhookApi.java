package dev.junction.admin;

import dev.junction.admin.alerts.AlertService;
import dev.junction.admin.alerts.Hook;
import dev.junction.admin.alerts.Notice;
import dev.junction.admin.alerts.Tier;
import dev.junction.admin.alerts.Webhooks;
import dev.junction.config.AlertsConfig;
import dev.junction.core.Clock;
import dev.junction.governance.Action;
import dev.junction.governance.Target;
import dev.junction.store.AlertStore.AlertRow;
import dev.junction.store.Conflict;
import dev.junction.store.WebhookStore;
import dev.junction.store.WebhookStore.WebhookRow;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/alerts/webhooks}: the alert webhooks. Everyone who reads settings (owner, admin,
 * viewer) lists them; owners and admins create, change, delete and test the admin API's (JSON or
 * Slack-compatible), whose URL must pass the {@link BaseUrlGuard} and whose URL and headers are
 * sealed in the database and never shown in full: the URL as its origin, a header as its name and
 * the last four characters of its value. The config file's webhooks are shown read-only. Every
 * write and test is audited, with the same masked view.
 */
final class WebhookApi {

    private static final Set<String> FIELDS = Set.of("name", "url", "headers", "format", "min_tier", "timeout_ms",
            "retries", "enabled");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}");
    /** Headers the sender sets itself or the HTTP client refuses. */
    private static final Set<String> RESERVED = Set.of("content-type", "content-length", "host", "connection",
            "expect", "upgrade", "user-agent", "transfer-encoding", "te", "trailer", "keep-alive");
    private static final int MAX_HEADERS = 10;

    private final AlertService alerts;
    private final WebhookStore store;
    private final Auditor audit;
    private final Clock clock;
    private final BaseUrlGuard guard;

    WebhookApi(AlertService alerts, Auditor audit, Clock clock, BaseUrlGuard guard) {
        this.alerts = alerts;
        this.store = alerts.webhookStore();
        this.audit = audit;
        this.clock = clock;
        this.guard = guard;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/api/alerts/webhooks", this::list),
                Route.of("POST", "/api/alerts/webhooks", this::create),
                Route.of("GET", "/api/alerts/webhooks/{name}", this::one),
                Route.of("PUT", "/api/alerts/webhooks/{name}", this::update),
                Route.of("DELETE", "/api/alerts/webhooks/{name}", this::delete),
                Route.of("POST", "/api/alerts/webhooks/{name}/test", this::test));
    }

    /** A webhook as the API shows it: no secret in full. */
    static ObjectNode view(Hook hook) {
        ObjectNode node = Json.object();
        node.put("name", hook.name());
        node.put("origin", hook.origin());
        node.put("url", hook.origin() + "/…");
        ObjectNode headers = node.putObject("headers");
        hook.headers().forEach((name, value) -> headers.put(name, masked(value)));
        node.put("format", hook.format());
        node.put("min_tier", hook.minTier().wire());
        node.put("timeout_ms", hook.timeout().toMillis());
        node.put("retries", hook.retries());
        node.put("enabled", hook.enabled());
        node.put("source", hook.source());
        node.put("read_only", hook.source().equals(Hook.FILE));
        return node;
    }

    /** "…" and the last four characters of a value of 16 or more, else "…" alone. */
    static String masked(String value) {
        return value.length() >= 16 ? "…" + value.substring(value.length() - 4) : "…";
    }

    private Reply list(Call call) {
        call.require(Action.READ, new Target.Whole(Target.Area.SETTINGS));
        ArrayNode array = Json.array();
        alerts.webhooks().hooks().forEach(h -> array.add(view(h)));
        ObjectNode node = Json.object();
        node.set("data", array);
        node.put("delivered", alerts.webhooks().delivered());
        node.put("failed", alerts.webhooks().failed());
        node.put("dropped", alerts.webhooks().dropped());
        return Reply.ok(node);
    }

    private Hook found(Call call) {
        String name = call.param("name");
        return alerts.webhooks().hooks().stream().filter(h -> h.name().equals(name)).findFirst()
                .orElseThrow(() -> ApiException.notFound("There is no such webhook."));
    }

    private Reply one(Call call) {
        call.require(Action.READ, new Target.Whole(Target.Area.SETTINGS));
        return Reply.ok(view(found(call)));
    }

    private Hook writable(Call call, Action action) {
        call.require(action, new Target.Whole(Target.Area.SETTINGS));
        Hook hook = found(call);
        if (hook.source().equals(Hook.FILE)) {
            throw ApiException.conflict("read_only", "This webhook comes from the config file: change it there "
                    + "(alerts: webhooks:).", null);
        }
        return hook;
    }

    private Reply create(Call call) {
        call.require(Action.CREATE, new Target.Whole(Target.Area.SETTINGS));
        Body body = call.body(FIELDS);
        String name = body.requiredText("name").strip();
        if (!NAME.matcher(name).matches()) {
            throw ApiException.invalid("name", "must be 1 to 64 of a-z, 0-9, '_', '.', '-', starting with a letter "
                    + "or digit");
        }
        if (alerts.webhooks().hooks().stream().anyMatch(h -> h.name().equals(name))) {
            throw ApiException.conflict("name_taken", "There is a webhook named " + name + " already.", "name");
        }
        URI url = url(body.requiredText("url"));
        WebhookRow row = row(call, name, url, headers(body).orElse(Map.of()), body, Optional.empty());
        try {
            store.add(row);
        } catch (Conflict e) {
            throw ApiException.conflict("name_taken", "There is a webhook named " + name + " already.", "name");
        }
        ObjectNode view = view(stored(name));
        audit.record(call, "alerts.webhook.create", "alert_webhook:" + name, null, view);
        return Reply.created(view);
    }

    private Reply update(Call call) {
        Hook before = writable(call, Action.UPDATE);
        Set<String> fields = new java.util.HashSet<>(FIELDS);
        fields.remove("name");
        Body body = call.body(fields);
        WebhookRow was = store.find(before.name()).orElseThrow(() -> ApiException.notFound("There is no such webhook."));
        URI url = body.text("url").map(this::url).orElse(was.url());
        Map<String, String> headers = headers(body).orElse(was.headers());
        WebhookRow row = row(call, before.name(), url, headers, body, Optional.of(was));
        store.update(row);
        ObjectNode after = view(stored(before.name()));
        audit.record(call, "alerts.webhook.update", "alert_webhook:" + before.name(), view(before), after);
        return Reply.ok(after);
    }

    private Reply delete(Call call) {
        Hook before = writable(call, Action.DELETE);
        if (store.delete(before.name())) {
            audit.record(call, "alerts.webhook.delete", "alert_webhook:" + before.name(), view(before), null);
        }
        return Reply.noContent();
    }

    /** Sends a made-up alert to the webhook now (also a file webhook: testing changes nothing). */
    private Reply test(Call call) {
        call.require(Action.UPDATE, new Target.Whole(Target.Area.SETTINGS));
        Hook hook = found(call);
        long now = clock.now().toEpochMilli();
        AlertRow sample = new AlertRow(0, "webhook-test", "test", "webhook:" + hook.name(), Optional.empty(),
                hook.minTier().wire(), 0, 0, "a test of webhook " + hook.name() + " from the Junction dashboard; "
                + "nothing fired", 0, 0, 0, 0, now, now, OptionalLong.empty(), Set.of());
        Webhooks.Attempt attempt;
        try {
            attempt = alerts.webhooks().test(hook, new Notice(Notice.Event.TEST, sample, clock.now()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.badRequest("interrupted", "The test was interrupted.");
        }
        ObjectNode node = Json.object();
        node.put("name", hook.name());
        node.put("origin", hook.origin());
        node.put("delivered", attempt.delivered());
        if (attempt.status() > 0) {
            node.put("status", attempt.status());
        } else {
            node.putNull("status");
        }
        if (attempt.delivered()) {
            node.putNull("problem");
        } else {
            node.put("problem", attempt.problem());
        }
        audit.record(call, "alerts.webhook.test", "alert_webhook:" + hook.name(), null, node);
        return Reply.ok(node);
    }

    private Hook stored(String name) {
        return Hook.of(store.find(name).orElseThrow());
    }

    private WebhookRow row(Call call, String name, URI url, Map<String, String> headers, Body body,
            Optional<WebhookRow> was) {
        String format = body.text("format").or(() -> was.map(WebhookRow::format)).orElse("json");
        if (!AlertsConfig.FORMATS.contains(format)) {
            throw ApiException.invalid("format", "must be json or slack");
        }
        String tier = body.text("min_tier").or(() -> was.map(WebhookRow::minTier)).orElse("info");
        if (Tier.parse(tier).isEmpty()) {
            throw ApiException.invalid("min_tier", "must be info, warning or critical");
        }
        long timeout = whole(body, "timeout_ms", 100, 60_000).orElse(was.map(WebhookRow::timeoutMillis).orElse(5_000L));
        int retries = (int) (long) whole(body, "retries", 0, 10).orElse((long) was.map(WebhookRow::retries).orElse(2));
        boolean enabled = body.bool("enabled").orElse(was.map(WebhookRow::enabled).orElse(true));
        return new WebhookRow(name, url, headers, format, tier, timeout, retries, enabled, call.caller().display(),
                clock.now().toEpochMilli());
    }

    private static Optional<Long> whole(Body body, String field, long min, long max) {
        JsonNode node = body.json().get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isIntegralNumber() || node.longValue() < min || node.longValue() > max) {
            throw ApiException.invalid(field, "must be a whole number from " + min + " to " + max);
        }
        return Optional.of(node.longValue());
    }

    /** An http(s) URL with a host, that the base-URL guard lets a webhook reach. */
    private URI url(String text) {
        URI url;
        try {
            url = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw ApiException.invalid("url", "must be an http(s) URL");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null || url.getHost().isEmpty()) {
            throw ApiException.invalid("url", "must be an http(s) URL with a host");
        }
        if (url.getRawFragment() != null) {
            throw ApiException.invalid("url", "must not have a fragment (#…)");
        }
        guard.problem(url).ifPresent(problem -> {
            throw ApiException.invalid("url", problem);
        });
        return url;
    }

    private static Optional<Map<String, String>> headers(Body body) {
        JsonNode node = body.json().get("headers");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw ApiException.invalid("headers", "must be an object of header names and values");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String name = e.getKey();
            if (!HEADER.matcher(name).matches() || RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
                throw ApiException.invalid("headers." + name, "is not a header a webhook may set");
            }
            JsonNode value = e.getValue();
            if (!value.isString() || value.stringValue().isBlank() || value.stringValue().length() > 4096
                    || value.stringValue().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw ApiException.invalid("headers." + name, "must be a text of 1 to 4096 printable characters");
            }
            headers.put(name, value.stringValue());
        }
        if (headers.size() > MAX_HEADERS) {
            throw ApiException.invalid("headers", "must be at most " + MAX_HEADERS);
        }
        return Optional.of(headers);
    }
}
