package dev.junction.admin.web;

import static dev.junction.admin.web.Html.f;

import dev.junction.admin.ApiAnswer;
import dev.junction.admin.web.Dashboard.PageRoute;
import dev.junction.admin.web.Html.Raw;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Alerts: what is firing (with its tier and reach), what recovered lately, the tier table, the
 * rules, and the exceptions teams asked for, with approve and reject for owners and admins (never on
 * their own request) and a form to ask for one.
 */
final class AlertsPage {

    private static final Set<String> FIELDS = Set.of("team_id", "rule", "model", "kind", "threshold", "reason",
            "evidence.link", "evidence.baseline", "evidence", "days");
    private static final List<String[]> KINDS = List.of(new String[] {"silence", "Silence"},
            new String[] {"threshold", "Raise the threshold"});

    private AlertsPage() {
    }

    static List<PageRoute> routes() {
        List<PageRoute> routes = new ArrayList<>(WebhooksSection.routes());
        routes.addAll(List.of(
                new PageRoute("GET", "/alerts", false, req -> page(req, Fields.empty(), Fields.empty(), 200)),
                new PageRoute("POST", "/alerts/evaluate", false, AlertsPage::evaluate),
                new PageRoute("POST", "/alerts/exceptions", false, AlertsPage::ask),
                new PageRoute("POST", "/alerts/exceptions/{id}/approve", false, req -> decide(req, "approve")),
                new PageRoute("POST", "/alerts/exceptions/{id}/reject", false, req -> decide(req, "reject"))));
        return routes;
    }

    /** The page; {@code fields} are the exception form's, {@code webhook} the add-a-webhook form's. */
    static Answer page(Req req, Fields fields, Fields webhook, int status) {
        Me me = req.me().orElseThrow();
        ApiAnswer alerts = req.get("/api/alerts");
        ApiAnswer rules = req.get("/api/alerts/rules");
        ApiAnswer tiers = req.get("/api/alerts/tiers");
        ApiAnswer exceptions = req.get("/api/alerts/exceptions");
        for (ApiAnswer answer : List.of(alerts, rules, tiers, exceptions)) {
            if (!answer.ok()) {
                return Errors.api(me, "/alerts", answer);
            }
        }
        List<JsonNode> all = UserPages.data(alerts);
        List<JsonNode> firing = all.stream().filter(a -> a.path("state").asString().equals("firing")).toList();
        List<JsonNode> resolved = all.stream().filter(a -> !a.path("state").asString().equals("firing")).limit(20)
                .toList();
        Raw check = Html.when(me.manages(), f("""
                <form method="post" action="/alerts/evaluate" class="inline">%s<button type="submit">Check now</button></form>""",
                Layout.csrf(me)));
        Raw content = f("""
                %s
                <section aria-labelledby="firing">
                  <h2 id="firing">Firing</h2>
                  <p class="hint">Rules are checked every few minutes (and by Check now). An alert is notified once when
                  it fires, again only if it reaches a higher tier, and once more when it recovers; webhooks get the same.</p>
                  %s
                  %s
                </section>
                <section aria-labelledby="recent">
                  <h2 id="recent">Recovered lately</h2>
                  %s
                </section>
                <section aria-labelledby="exceptions">
                  <h2 id="exceptions">Exceptions</h2>
                  <p class="hint">A team may ask to silence one rule for one model, or to raise its threshold, with a
                  written reason and evidence, until a date. An owner or admin other than the one who asked decides.</p>
                  %s
                  %s
                </section>
                <section aria-labelledby="rules">
                  <h2 id="rules">Rules</h2>
                  %s
                </section>
                %s
                <section aria-labelledby="tiers">
                  <h2 id="tiers">Tiers</h2>
                  <p class="hint">Every rule follows this one table: an alert takes the highest tier that any one of
                  its reach's columns reaches (keys, users and teams whose traffic it is about, and that traffic's
                  spend in the rule's window).</p>
                  %s
                </section>
                """, Layout.notice(req.query("done").map(Map.of("checked", "Checked.", "asked",
                        "Asked; an owner or admin will decide.", "approved", "Approved.", "rejected",
                        "Rejected.", "webhook-added", "Webhook added.", "webhook-saved", "Webhook saved.",
                        "webhook-deleted", "Webhook deleted.", "webhook-tested",
                        "Test sent: the webhook answered 2xx.", "webhook-failed",
                        "Test sent, but the webhook did not answer 2xx (see its receiver).")::get).orElse("")),
                check, alertTable(firing, "firing", "Nothing is firing."), alertTable(resolved, "resolved",
                        "Nothing recovered lately."),
                exceptionTable(me, UserPages.data(exceptions)), askForm(req, me, fields, UserPages.data(rules)),
                ruleTable(UserPages.data(rules)), WebhooksSection.section(req, me, webhook),
                tierTable(UserPages.data(tiers)));
        return Answer.page(status, Layout.page(me, "Alerts", "/alerts", content));
    }

    private static Raw tier(String tier) {
        String css = switch (tier) {
            case "critical" -> "bad";
            case "warning" -> "warn";
            default -> "";
        };
        return f("<span class=\"badge tier %s\" data-tier=\"%s\">%s</span>", css, tier, tier);
    }

    private static Raw alertTable(List<JsonNode> alerts, String kind, String none) {
        Raw rows = Html.join(alerts.stream().map(a -> f("""
                <tr data-alert="%s"><td>%s</td><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>
                """, a.path("id").asLong(), tier(a.path("tier").asString()), a.path("rule").asString(),
                a.path("subject").asString(), a.path("summary").asString(), reach(a.path("reach")),
                Html.raw(Time.tag(kind.equals("firing") ? a.path("started_at").asString()
                        : a.path("resolved_at").asString())))));
        return f("""
                <div class="table-wrap"><table class="alerts %s">
                  <thead><tr><th>Tier</th><th>Rule</th><th>About</th><th>What</th><th>Reach</th><th>%s</th></tr></thead>
                  <tbody>%s</tbody>
                </table></div>
                """, kind, kind.equals("firing") ? "Since" : "Recovered",
                alerts.isEmpty() ? f("<tr><td colspan=\"6\">%s</td></tr>", none) : rows);
    }

    private static String reach(JsonNode r) {
        return String.format(Locale.ROOT, "%s, %s, %s, $%.2f", n(r.path("keys").asLong(), "key"),
                n(r.path("users").asLong(), "user"), n(r.path("teams").asLong(), "team"), r.path("spend_usd").asDouble());
    }

    private static String n(long count, String unit) {
        return count + " " + unit + (count == 1 ? "" : "s");
    }

    private static Raw exceptionTable(Me me, List<JsonNode> exceptions) {
        Raw rows = Html.join(exceptions.stream().map(e -> {
            String state = e.path("state").asString();
            boolean mine = e.path("requested_by").asLong() == me.id();
            Raw actions = !state.equals("pending") || !me.manages() ? Html.EMPTY : mine
                    ? Html.raw("<span class=\"hint\">Another owner or admin decides</span>") : f("""
                    <form method="post" action="/alerts/exceptions/%s/approve" class="inline">%s<button type="submit">Approve</button></form>
                    <form method="post" action="/alerts/exceptions/%s/reject" class="inline">%s<input id="note-%s" name="note" aria-label="Why reject" placeholder="Why reject" required><button type="submit" class="link danger">Reject</button></form>""",
                    e.path("id").asLong(), Layout.csrf(me), e.path("id").asLong(), Layout.csrf(me),
                    e.path("id").asLong());
            JsonNode evidence = e.path("evidence");
            Raw link = evidence.path("link").isString() ? f("<a href=\"%s\" rel=\"noopener noreferrer\">link</a> ",
                    evidence.path("link").asString()) : Html.EMPTY;
            Raw baseline = evidence.path("baseline").isObject()
                    ? f("<span class=\"muted\">%s</span>", evidence.path("baseline").path("summary").asString())
                    : Html.EMPTY;
            String what = e.path("kind").asString().equals("silence") ? "silence"
                    : "threshold " + e.path("threshold").asDouble();
            return f("""
                    <tr data-exception="%s"><td><span class="badge state-%s">%s</span></td><td>%s</td><td><code>%s</code> on %s</td><td>%s</td><td>%s</td><td>%s%s</td><td>%s</td><td>%s</td><td>%s</td></tr>
                    """, e.path("id").asLong(), state, state, e.path("team").asString(), e.path("rule").asString(),
                    e.path("model").asString(), what, e.path("reason").asString(), link, baseline,
                    e.path("requested_by_name").asString(), Html.raw(Time.tag(e.path("expires_at").asString())),
                    actions);
        }));
        return f("""
                <div class="table-wrap"><table class="exceptions">
                  <thead><tr><th>State</th><th>Team</th><th>Rule</th><th>Asks</th><th>Reason</th><th>Evidence</th><th>Asked by</th><th>Ends</th><th></th></tr></thead>
                  <tbody>%s</tbody>
                </table></div>
                """, exceptions.isEmpty() ? Html.raw("<tr><td colspan=\"9\">No exceptions.</td></tr>") : rows);
    }

    private static Raw askForm(Req req, Me me, Fields fields, List<JsonNode> rules) {
        if (me.role().equals("viewer")) {
            return Html.EMPTY;
        }
        List<String[]> teams = new ArrayList<>();
        ApiAnswer answer = req.get("/api/teams");
        if (answer.ok()) {
            UserPages.data(answer).forEach(t -> teams.add(new String[] {String.valueOf(t.path("id").asLong()),
                    t.path("name").asString()}));
        }
        List<String[]> perModel = new ArrayList<>();
        rules.stream().filter(r -> !List.of("budget", "channel_down", "key_disabled").contains(r.path("kind").asString()))
                .forEach(r -> perModel.add(new String[] {r.path("name").asString(), r.path("name").asString() + " ("
                        + r.path("kind").asString() + ")"}));
        if (teams.isEmpty() || perModel.isEmpty()) {
            return Html.raw("<p class=\"hint\">Asking for an exception needs a team of yours and a rule about models.</p>");
        }
        return f("""
                <details class="card"%s><summary>Ask for an exception</summary>
                  %s
                  <form method="post" action="/alerts/exceptions" class="grid-form">
                    %s%s%s%s%s%s%s%s%s%s
                    <div class="actions"><button type="submit">Ask</button></div>
                  </form>
                </details>
                """, Html.raw(fields.hasErrors() ? " open" : ""), fields.alert(), Layout.csrf(me),
                fields.select("team_id", "Team", teams, ""), fields.select("rule", "Rule", perModel, ""),
                fields.input("model", "Model", "text", "required"), fields.select("kind", "Exception", KINDS, "silence"),
                fields.input("threshold", "Raised threshold (for Raise the threshold)", "text", "inputmode=\"decimal\""),
                fields.textarea("reason", "Reason", "Why the rule should not fire for this model now.", "required"),
                fields.input("evidence.link", "Evidence link", "url", "placeholder=\"https://…\""),
                fields.checkbox("evidence.baseline", "Attach the model's current baseline comparison", false),
                fields.input("days", "Days until it ends (at most 90)", "number", "min=\"1\" max=\"90\""));
    }

    private static Raw ruleTable(List<JsonNode> rules) {
        Raw rows = Html.join(rules.stream().map(r -> f("""
                <tr><td><code>%s</code></td><td>%s</td><td class="num">%s <span class="muted">%s</span></td><td>%s</td><td>%s</td><td>%s</td></tr>
                """, r.path("name").asString(), r.path("kind").asString(), plain(r.path("threshold").asDouble()),
                r.path("unit").asString(), r.path("window").asString(),
                r.path("model").isString() ? r.path("model").asString() : "every model",
                r.path("source").asString().equals("file") ? Html.raw("<span class=\"badge\">from the config file</span>")
                        : r.path("enabled").asBoolean() ? Html.raw("on") : Html.raw("off"))));
        return f("""
                <div class="table-wrap"><table class="rules">
                  <thead><tr><th>Name</th><th>Kind</th><th>Threshold</th><th>Window</th><th>Model</th><th></th></tr></thead>
                  <tbody>%s</tbody>
                </table></div>
                """, rules.isEmpty() ? Html.raw("<tr><td colspan=\"6\">No rules: add them under alerts: in the "
                + "config file or with POST /api/alerts/rules.</td></tr>") : rows);
    }

    private static Raw tierTable(List<JsonNode> tiers) {
        Raw rows = Html.join(tiers.stream().map(t -> t.has("keys") ? f("""
                <tr><td>%s</td><td class="num">≥ %s</td><td class="num">≥ %s</td><td class="num">≥ %s</td><td class="num">≥ $%s</td></tr>
                """, tier(t.path("tier").asString()), t.path("keys").asLong(), t.path("users").asLong(),
                t.path("teams").asLong(), plain(t.path("spend_usd").asDouble()))
                : f("<tr><td>%s</td><td colspan=\"4\">below every warning line</td></tr>", tier(t.path("tier").asString()))));
        return f("""
                <div class="table-wrap"><table class="tiers">
                  <thead><tr><th>Tier</th><th class="num">Keys</th><th class="num">Users</th><th class="num">Teams</th><th class="num">Spend</th></tr></thead>
                  <tbody>%s</tbody>
                </table></div>
                """, rows);
    }

    private static String plain(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static Answer evaluate(Req req) {
        ApiAnswer answer = req.send("POST", "/api/alerts/evaluate", null);
        if (!answer.ok()) {
            return Errors.api(req.me().orElseThrow(), "/alerts", answer);
        }
        return Answer.redirect("/alerts?done=checked");
    }

    private static Answer ask(Req req) {
        Form form = req.form();
        Fields fields = Fields.of(form);
        ObjectNode body = AuthPages.json();
        try {
            body.put("team_id", Long.parseLong(form.get("team_id")));
        } catch (NumberFormatException e) {
            return page(req, fields.error("team_id", "Pick a team."), Fields.empty(), 422);
        }
        body.put("rule", form.get("rule"));
        body.put("model", form.get("model").strip());
        body.put("kind", form.get("kind"));
        form.text("threshold").ifPresent(t -> {
            try {
                body.put("threshold", Double.parseDouble(t));
            } catch (NumberFormatException e) {
                body.put("threshold", t);
            }
        });
        body.put("reason", form.get("reason"));
        ObjectNode evidence = body.putObject("evidence");
        form.text("evidence.link").ifPresent(l -> evidence.put("link", l));
        if (form.has("evidence.baseline")) {
            evidence.put("baseline", true);
        }
        if (evidence.isEmpty()) {
            body.remove("evidence");
        }
        form.text("days").ifPresent(d -> {
            try {
                body.put("days", Long.parseLong(d));
            } catch (NumberFormatException e) {
                body.put("days", d);
            }
        });
        ApiAnswer answer = req.send("POST", "/api/alerts/exceptions", body);
        if (answer.ok()) {
            return Answer.redirect("/alerts?done=asked");
        }
        return page(req, fields.error(answer, FIELDS), Fields.empty(), 422);
    }

    private static Answer decide(Req req, String how) {
        ObjectNode body = AuthPages.json();
        req.form().text("note").ifPresent(n -> body.put("note", n));
        ApiAnswer answer = req.send("POST", "/api/alerts/exceptions/" + Req.enc(req.param("id")) + "/" + how, body);
        if (!answer.ok()) {
            return Errors.api(req.me().orElseThrow(), "/alerts", answer);
        }
        return Answer.redirect("/alerts?done=" + (how.equals("approve") ? "approved" : "rejected"));
    }
}
