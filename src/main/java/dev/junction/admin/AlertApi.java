package dev.junction.admin;

import dev.junction.admin.alerts.AlertService;
import dev.junction.admin.alerts.Baselines;
import dev.junction.admin.alerts.Payloads;
import dev.junction.admin.alerts.Rule;
import dev.junction.admin.alerts.RuleKind;
import dev.junction.admin.alerts.TierTable;
import dev.junction.config.AlertsConfig;
import dev.junction.core.Clock;
import dev.junction.governance.Action;
import dev.junction.governance.Principal;
import dev.junction.governance.Role;
import dev.junction.governance.Target;
import dev.junction.store.AlertStore;
import dev.junction.store.AlertStore.AlertRow;
import dev.junction.store.AlertStore.ExceptionRow;
import dev.junction.store.Conflict;
import dev.junction.store.TeamStore;
import dev.junction.store.UserStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/alerts}: the alerts (firing and resolved), the tier table, the rules (the file's
 * read-only, the API's editable by owners and admins), and exceptions (the webhooks are {@link WebhookApi}'s):
 * a team member asks for a silence or a raised threshold for one rule on one model with a written
 * reason and evidence (a link, or the current baseline comparison attached by the gateway) until a
 * date; an owner or admin other than the requester approves or rejects it. Every write is audited.
 */
final class AlertApi {

    private static final Set<String> RULE_FIELDS = Set.of("name", "kind", "threshold", "window", "model",
            "min_requests", "enabled");
    private static final Set<String> EXCEPTION_FIELDS = Set.of("team_id", "rule", "model", "kind", "threshold",
            "reason", "evidence", "expires_at", "days");
    private static final Set<String> EVIDENCE_FIELDS = Set.of("link", "baseline");
    private static final Set<String> DECISION_FIELDS = Set.of("note");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    private static final Pattern WINDOW = Pattern.compile("(\\d+)(s|m|h|d)");
    private static final int MIN_REASON = 10;
    private static final Duration LONGEST_EXCEPTION = Duration.ofDays(90);

    private final AlertService alerts;
    private final AlertStore store;
    private final UserStore users;
    private final TeamStore teams;
    private final Auditor audit;
    private final Clock clock;

    AlertApi(AlertService alerts, UserStore users, TeamStore teams, Auditor audit, Clock clock) {
        this.alerts = alerts;
        this.store = alerts.store();
        this.users = users;
        this.teams = teams;
        this.audit = audit;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/api/alerts", this::list),
                Route.of("POST", "/api/alerts/evaluate", this::evaluate),
                Route.of("GET", "/api/alerts/tiers", this::tiers),
                Route.of("GET", "/api/alerts/rules", this::rules),
                Route.of("POST", "/api/alerts/rules", this::createRule),
                Route.of("PUT", "/api/alerts/rules/{name}", this::updateRule),
                Route.of("DELETE", "/api/alerts/rules/{name}", this::deleteRule),
                Route.of("GET", "/api/alerts/exceptions", this::exceptions),
                Route.of("POST", "/api/alerts/exceptions", this::requestException),
                Route.of("GET", "/api/alerts/exceptions/{id}", this::exception),
                Route.of("POST", "/api/alerts/exceptions/{id}/approve", call -> decide(call, true)),
                Route.of("POST", "/api/alerts/exceptions/{id}/reject", call -> decide(call, false)));
    }

    private static ObjectNode data(ArrayNode array) {
        ObjectNode node = Json.object();
        node.set("data", array);
        return node;
    }

    // Alerts

    /**
     * The teams whose alerts and exceptions the caller reads, or empty when they read all: a member
     * reads the alerts whose reach touches a team of theirs and their teams' exceptions; owners,
     * admins and viewers (who read everything, DESIGN.md §6) read all.
     */
    private static Optional<Set<Long>> scope(Call call) {
        Principal who = call.principal();
        return who.role() == Role.MEMBER ? Optional.of(who.teams()) : Optional.empty();
    }

    private Reply list(Call call) {
        Optional<Set<Long>> teams = scope(call);
        String state = call.query("state").orElse("all");
        if (!Set.of("firing", "resolved", "all").contains(state)) {
            throw ApiException.invalid("state", "must be firing, resolved or all");
        }
        List<AlertRow> rows = teams.isPresent() ? store.recentOf(teams.get(), state.equals("firing"), 200)
                : state.equals("firing") ? store.open() : store.recent(200);
        if (state.equals("resolved")) {
            rows = rows.stream().filter(a -> !a.open()).toList();
        }
        ArrayNode array = Json.array();
        rows.forEach(a -> array.add(view(a)));
        ObjectNode node = data(array);
        node.put("scope", teams.isPresent() ? "teams" : "all");
        return Reply.ok(node);
    }

    static ObjectNode view(AlertRow a) {
        return Payloads.alert(a);
    }

    private Reply evaluate(Call call) {
        call.require(Action.UPDATE, new Target.Whole(Target.Area.SETTINGS));
        AlertService.Evaluation done = alerts.evaluate();
        ObjectNode node = Json.object();
        node.put("findings", done.findings());
        ArrayNode fired = node.putArray("fired");
        done.fired().forEach(a -> fired.add(view(a)));
        ArrayNode escalated = node.putArray("escalated");
        done.escalated().forEach(a -> escalated.add(view(a)));
        ArrayNode recovered = node.putArray("recovered");
        done.recovered().forEach(a -> recovered.add(view(a)));
        ArrayNode failed = node.putArray("failed_rules");
        done.failedRules().forEach(failed::add);
        return Reply.ok(node);
    }

    private Reply tiers(Call call) {
        call.caller();
        ArrayNode array = Json.array();
        for (TierTable.Row row : alerts.table().rows()) {
            ObjectNode r = array.addObject();
            r.put("tier", row.tier().wire());
            r.put("keys", row.line().keys());
            r.put("users", row.line().users());
            r.put("teams", row.line().teams());
            r.put("spend_usd", row.line().spendMicros() / 1e6);
        }
        ObjectNode info = array.addObject();
        info.put("tier", "info");
        info.put("below", "every warning line");
        ObjectNode node = data(array);
        node.put("rule", "An alert takes the highest tier any one of its reach's columns (keys, users, teams, "
                + "spend in the rule's window) reaches.");
        return Reply.ok(node);
    }

    // Rules

    private static ObjectNode view(Rule rule) {
        ObjectNode node = Json.object();
        node.put("name", rule.name());
        node.put("kind", rule.kind().wire());
        node.put("unit", rule.kind().unit());
        node.put("threshold", rule.threshold());
        node.put("window", windowText(rule.window()));
        putOptional(node, "model", rule.model());
        node.put("min_requests", rule.minRequests());
        node.put("enabled", rule.enabled());
        node.put("source", rule.source());
        return node;
    }

    private static String windowText(Duration d) {
        long s = d.toSeconds();
        return s % 86_400 == 0 ? s / 86_400 + "d" : s % 3_600 == 0 ? s / 3_600 + "h" : s % 60 == 0 ? s / 60 + "m"
                : s + "s";
    }

    private Reply rules(Call call) {
        call.caller();
        ArrayNode array = Json.array();
        alerts.rules().forEach(r -> array.add(view(r)));
        ObjectNode node = data(array);
        ArrayNode kinds = node.putArray("kinds");
        for (RuleKind kind : RuleKind.values()) {
            ObjectNode k = kinds.addObject();
            k.put("kind", kind.wire());
            k.put("unit", kind.unit());
            k.put("per_model", kind.perModel());
        }
        return Reply.ok(node);
    }

    private AlertStore.RuleRow ruleRow(Call call, String name, Body body) {
        String kindText = body.requiredText("kind");
        RuleKind kind = RuleKind.parse(kindText).orElseThrow(() -> ApiException.invalid("kind", "must be one of "
                + AlertsConfig.KINDS));
        double threshold = number(body.json().get("threshold"), "threshold");
        Duration window = body.text("window").map(AlertApi::window).orElse(Duration.ofMinutes(15));
        Optional<String> model = body.text("model").map(String::strip).filter(m -> !m.isEmpty());
        long min = 10;
        JsonNode minNode = body.json().get("min_requests");
        if (minNode != null && !minNode.isNull()) {
            if (!minNode.isIntegralNumber() || minNode.longValue() < 0) {
                throw ApiException.invalid("min_requests", "must be a whole number of at least 0");
            }
            min = minNode.longValue();
        }
        boolean enabled = body.bool("enabled").orElse(true);
        return new AlertStore.RuleRow(name, kind.wire(), threshold, window.toMillis(), model, min, enabled,
                call.caller().display(), clock.now().toEpochMilli());
    }

    private static double number(JsonNode value, String field) {
        if (value == null || !value.isNumber() || Double.isNaN(value.doubleValue()) || value.doubleValue() < 0
                || Double.isInfinite(value.doubleValue())) {
            throw ApiException.invalid(field, "must be a number of at least 0");
        }
        return value.doubleValue();
    }

    private static Duration window(String text) {
        var m = WINDOW.matcher(text.strip());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw ApiException.invalid("window", "must be a duration such as 30s, 10m, 1h or 7d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private Reply createRule(Call call) {
        call.require(Action.CREATE, new Target.Whole(Target.Area.SETTINGS));
        Body body = call.body(RULE_FIELDS);
        String name = body.requiredText("name").strip();
        if (!NAME.matcher(name).matches()) {
            throw ApiException.invalid("name", "must be 1 to 64 of a-z, 0-9, '_', '.', '-', starting with a letter "
                    + "or digit");
        }
        if (alerts.rule(name).isPresent()) {
            throw ApiException.conflict("name_taken", "There is a rule named " + name + " already.", "name");
        }
        AlertStore.RuleRow row = ruleRow(call, name, body);
        try {
            store.addRule(row);
        } catch (Conflict e) {
            throw ApiException.conflict("name_taken", "There is a rule named " + name + " already.", "name");
        }
        Rule rule = alerts.rule(name).orElseThrow();
        audit.record(call, "alerts.rule.create", "alert_rule:" + name, null, view(rule));
        return Reply.created(view(rule));
    }

    private Rule writableRule(Call call, Action action) {
        call.require(action, new Target.Whole(Target.Area.SETTINGS));
        Rule rule = alerts.rule(call.param("name")).orElseThrow(() -> ApiException.notFound("There is no such rule."));
        if (rule.source().equals(Rule.FILE)) {
            throw ApiException.conflict("read_only", "This rule comes from the config file: change it there "
                    + "(alerts: rules:).", null);
        }
        return rule;
    }

    private Reply updateRule(Call call) {
        Rule before = writableRule(call, Action.UPDATE);
        Set<String> fields = new java.util.HashSet<>(RULE_FIELDS);
        fields.remove("name");
        AlertStore.RuleRow row = ruleRow(call, before.name(), call.body(fields));
        store.updateRule(row);
        Rule after = alerts.rule(before.name()).orElseThrow();
        audit.record(call, "alerts.rule.update", "alert_rule:" + before.name(), view(before), view(after));
        return Reply.ok(view(after));
    }

    private Reply deleteRule(Call call) {
        Rule before = writableRule(call, Action.DELETE);
        if (store.deleteRule(before.name())) {
            audit.record(call, "alerts.rule.delete", "alert_rule:" + before.name(), view(before), null);
        }
        return Reply.noContent();
    }

    // Exceptions

    /** The state now: a pending or approved exception past its time reads as expired before the sweep marks it. */
    private String state(ExceptionRow e) {
        boolean live = e.state().equals("pending") || e.state().equals("approved");
        return live && e.expiresMillis() <= clock.now().toEpochMilli() ? "expired" : e.state();
    }

    private ObjectNode view(ExceptionRow e) {
        ObjectNode node = Json.object();
        node.put("id", e.id());
        node.put("team_id", e.teamId());
        node.put("team", teams.find(e.teamId()).map(TeamStore.Team::name).orElse(""));
        node.put("rule", e.rule());
        node.put("model", e.model());
        node.put("kind", e.kind());
        if (e.threshold().isPresent()) {
            node.put("threshold", e.threshold().get());
        } else {
            node.putNull("threshold");
        }
        node.put("reason", e.reason());
        ObjectNode evidence = node.putObject("evidence");
        putOptional(evidence, "link", e.evidenceLink());
        if (e.evidenceBaseline().isPresent()) {
            evidence.set("baseline", Json.parse(e.evidenceBaseline().get()));
        } else {
            evidence.putNull("baseline");
        }
        node.put("state", state(e));
        node.put("requested_by", e.requestedBy());
        node.put("requested_by_name", users.find(e.requestedBy()).map(UserStore.User::name).orElse(""));
        node.put("requested_at", Json.time(e.requestedMillis()));
        if (e.decidedBy().isPresent()) {
            node.put("decided_by", e.decidedBy().getAsLong());
            node.put("decided_by_name", users.find(e.decidedBy().getAsLong()).map(UserStore.User::name).orElse(""));
        } else {
            node.putNull("decided_by");
            node.putNull("decided_by_name");
        }
        Json.putTime(node, "decided_at", e.decidedMillis());
        putOptional(node, "decision_note", e.decisionNote());
        node.put("expires_at", Json.time(e.expiresMillis()));
        return node;
    }

    private Reply exceptions(Call call) {
        Optional<Set<Long>> teams = scope(call);
        ArrayNode array = Json.array();
        store.exceptions().stream().filter(e -> teams.map(t -> t.contains(e.teamId())).orElse(true))
                .forEach(e -> array.add(view(e)));
        return Reply.ok(data(array));
    }

    /** The exception of the path, if the caller may read it (a member: one of their teams'). */
    private ExceptionRow found(Call call) {
        Optional<Set<Long>> teams = scope(call);
        return store.exception(call.id("id")).filter(e -> teams.map(t -> t.contains(e.teamId())).orElse(true))
                .orElseThrow(() -> ApiException.notFound("There is no such exception."));
    }

    private Reply exception(Call call) {
        call.caller();
        return Reply.ok(view(found(call)));
    }

    private static boolean manager(Call call) {
        Role role = call.principal().role();
        return role == Role.OWNER || role == Role.ADMIN;
    }

    private Reply requestException(Call call) {
        Body body = call.body(EXCEPTION_FIELDS);
        long teamId = body.id("team_id").orElseThrow(() -> ApiException.invalid("team_id", "is required"));
        TeamStore.Team team = teams.find(teamId).orElseThrow(() -> ApiException.invalid("team_id",
                "is not a team"));
        if (!manager(call) && !team.members().contains(call.principal().userId())) {
            throw ApiException.forbidden("forbidden", "Only a member of team " + team.name()
                    + " (or an owner or admin) may ask for its exceptions.");
        }
        if (call.principal().role() == Role.VIEWER) {
            throw ApiException.forbidden("forbidden", "Your role (viewer) does not allow this.");
        }
        String ruleName = body.requiredText("rule");
        Rule rule = alerts.rule(ruleName).orElseThrow(() -> ApiException.invalid("rule", "is not a rule"));
        if (!rule.kind().perModel()) {
            throw ApiException.invalid("rule", "is a " + rule.kind().wire() + " rule, which is not about one model; "
                    + "exceptions are for one model of a spend, error_rate, latency, failover_rate or baseline_shift rule");
        }
        String model = body.requiredText("model").strip();
        if (rule.model().isPresent() && !rule.model().get().equals(model)) {
            throw ApiException.invalid("model", "is not the model of rule " + rule.name() + " ("
                    + rule.model().get() + ")");
        }
        String kind = body.requiredText("kind");
        Optional<Double> threshold = Optional.empty();
        if (kind.equals("threshold")) {
            double custom = number(body.json().get("threshold"), "threshold");
            if (custom <= rule.threshold()) {
                throw ApiException.invalid("threshold", "must be above the rule's threshold (" + rule.threshold()
                        + "): an exception only quiets a rule; to make it stricter, change the rule");
            }
            threshold = Optional.of(custom);
        } else if (!kind.equals("silence")) {
            throw ApiException.invalid("kind", "must be silence or threshold");
        } else if (body.has("threshold") && !body.json().get("threshold").isNull()) {
            throw ApiException.invalid("threshold", "is only for an exception of kind threshold");
        }
        String reason = body.requiredText("reason").strip();
        if (reason.length() < MIN_REASON) {
            throw ApiException.invalid("reason", "must say why in at least " + MIN_REASON + " characters");
        }
        JsonNode evidence = body.object("evidence").orElseThrow(() -> ApiException.invalid("evidence",
                "is required: a link ({\"link\": \"https://…\"}) and/or the baseline comparison ({\"baseline\": true})"));
        for (String name : evidence.propertyNames()) {
            if (!EVIDENCE_FIELDS.contains(name)) {
                throw ApiException.invalid("evidence." + name, "is not a field here; expected link or baseline");
            }
        }
        Optional<String> link = Optional.empty();
        JsonNode linkNode = evidence.get("link");
        if (linkNode != null && !linkNode.isNull()) {
            link = Optional.of(link(linkNode));
        }
        Optional<String> baseline = Optional.empty();
        JsonNode baselineNode = evidence.get("baseline");
        if (baselineNode != null && !baselineNode.isNull()) {
            if (!baselineNode.isBoolean()) {
                throw ApiException.invalid("evidence.baseline", "must be true to attach the model's current "
                        + "baseline comparison");
            }
            if (baselineNode.booleanValue()) {
                baseline = Optional.of(Json.text(comparison(model)));
            }
        }
        if (link.isEmpty() && baseline.isEmpty()) {
            throw ApiException.invalid("evidence", "must hold a link or the baseline comparison");
        }
        long now = clock.now().toEpochMilli();
        long expires = expiry(body, now);
        ExceptionRow row = new ExceptionRow(0, teamId, rule.name(), model, kind, threshold, reason, link, baseline,
                "pending", call.principal().userId(), now, OptionalLong.empty(), OptionalLong.empty(),
                Optional.empty(), expires);
        long id = store.addException(row);
        ObjectNode view = view(store.exception(id).orElseThrow());
        audit.record(call, "alerts.exception.request", "alert_exception:" + id, null, view);
        return Reply.created(view);
    }

    private static String link(JsonNode node) {
        if (!node.isString()) {
            throw ApiException.invalid("evidence.link", "must be an http(s) URL");
        }
        try {
            URI uri = new URI(node.stringValue().strip());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri.toString();
            }
        } catch (URISyntaxException e) {
            // Reported below.
        }
        throw ApiException.invalid("evidence.link", "must be an http(s) URL");
    }

    private ObjectNode comparison(String model) {
        Baselines.Comparison c = alerts.baselines().compare(clock.now()).stream()
                .filter(x -> x.model().equals(model)).findFirst()
                .orElseThrow(() -> ApiException.invalid("evidence.baseline", "there is no baseline comparison for "
                        + model + " yet (it needs traffic under the current and the previous routing-config version)"));
        ObjectNode node = Json.object();
        node.put("model", c.model());
        node.put("metric", c.metric());
        node.put("previous_version", c.previousVersion());
        node.put("current_version", c.currentVersion());
        node.put("changed_at", c.changedAt().toString());
        node.put("before", c.before());
        node.put("after", c.after());
        node.put("samples_before", c.samplesBefore());
        node.put("samples_after", c.samplesAfter());
        node.put("relative_change", Double.isInfinite(c.relativeChange()) ? 1e9 : c.relativeChange());
        node.put("margin", c.margin());
        node.put("significant", c.significant());
        node.put("summary", c.describe());
        return node;
    }

    private static long expiry(Body body, long now) {
        long expires;
        Optional<String> at = body.text("expires_at");
        JsonNode days = body.json().get("days");
        if (at.isPresent()) {
            try {
                expires = Instant.parse(at.get().strip()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw ApiException.invalid("expires_at", "must be a time such as 2026-12-31T00:00:00Z");
            }
        } else if (days != null && !days.isNull()) {
            if (!days.isIntegralNumber() || days.longValue() < 1) {
                throw ApiException.invalid("days", "must be a whole number of at least 1");
            }
            expires = now + Duration.ofDays(Math.min(days.longValue(), 10_000)).toMillis();
        } else {
            throw ApiException.invalid("expires_at", "is required (or days): every exception ends");
        }
        if (expires <= now) {
            throw ApiException.invalid("expires_at", "must be in the future");
        }
        if (expires - now > LONGEST_EXCEPTION.toMillis()) {
            throw ApiException.invalid("expires_at", "must be at most 90 days away");
        }
        return expires;
    }

    private Reply decide(Call call, boolean approve) {
        if (!manager(call)) {
            throw ApiException.forbidden("forbidden", "Only an owner or an admin decides on exceptions.");
        }
        ExceptionRow e = found(call);
        if (e.requestedBy() == call.principal().userId()) {
            throw ApiException.forbidden("own_request", "You asked for this exception; another owner or admin "
                    + "must decide on it. No one silences an alert alone.");
        }
        String now = state(e);
        if (!now.equals("pending")) {
            throw ApiException.conflict("not_pending", "This exception is " + now + "; only a pending one can be "
                    + (approve ? "approved." : "rejected."), null);
        }
        Body body = call.body(DECISION_FIELDS);
        Optional<String> note = body.text("note").map(String::strip).filter(n -> !n.isEmpty());
        if (!approve && note.isEmpty()) {
            throw ApiException.invalid("note", "is required when rejecting: say why");
        }
        ObjectNode before = view(e);
        if (!store.decide(e.id(), "pending", approve ? "approved" : "rejected", call.principal().userId(),
                clock.now().toEpochMilli(), note)) {
            throw ApiException.conflict("not_pending", "Someone decided on this exception just now.", null);
        }
        ObjectNode after = view(store.exception(e.id()).orElseThrow());
        audit.record(call, approve ? "alerts.exception.approve" : "alerts.exception.reject",
                "alert_exception:" + e.id(), before, after);
        return Reply.ok(after);
    }

    private static void putOptional(ObjectNode node, String field, Optional<String> value) {
        if (value.isPresent()) {
            node.put(field, value.get());
        } else {
            node.putNull(field);
        }
    }
}
