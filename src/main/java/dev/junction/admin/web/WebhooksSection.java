package dev.junction.admin.web;

import static dev.junction.admin.web.Html.f;

import dev.junction.admin.ApiAnswer;
import dev.junction.admin.web.Dashboard.PageRoute;
import dev.junction.admin.web.Html.Raw;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Alerts page's webhooks: the list (owners, admins and viewers; a URL as its origin, a header
 * as its name and last four characters), and for owners and admins a form to add one (JSON or
 * Slack, with an optional secret header), and per webhook of the API a Test button, a form to change
 * it (its URL or header kept when left empty) and Delete. The config file's are marked read-only;
 * they can be tested. Everything goes through {@code /api/alerts/webhooks}.
 */
final class WebhooksSection {

    static final Set<String> FIELDS = Set.of("name", "url", "format", "min_tier", "timeout_ms", "retries", "enabled",
            "headers");
    private static final List<String[]> FORMATS = List.of(new String[] {"json", "Generic JSON"},
            new String[] {"slack", "Slack-compatible"});
    private static final List<String[]> TIERS = List.of(new String[] {"info", "Info and up"},
            new String[] {"warning", "Warning and up"}, new String[] {"critical", "Critical only"});

    private WebhooksSection() {
    }

    static List<PageRoute> routes() {
        return List.of(
                new PageRoute("POST", "/alerts/webhooks", false, req -> save(req, null)),
                new PageRoute("POST", "/alerts/webhooks/{name}", false, req -> save(req, req.param("name"))),
                new PageRoute("POST", "/alerts/webhooks/{name}/test", false, WebhooksSection::test),
                new PageRoute("POST", "/alerts/webhooks/{name}/delete", false, WebhooksSection::delete));
    }

    /** The section, or nothing for a member (who does not read settings). */
    static Raw section(Req req, Me me, Fields fields) {
        if (!me.seesAll()) {
            return Html.EMPTY;
        }
        ApiAnswer answer = req.get("/api/alerts/webhooks");
        if (!answer.ok()) {
            return Layout.alert("The webhooks could not be read.");
        }
        List<JsonNode> hooks = UserPages.data(answer);
        Raw rows = Html.join(hooks.stream().map(h -> row(me, h)));
        return f("""
                <section aria-labelledby="webhooks">
                  <h2 id="webhooks">Webhooks</h2>
                  <p class="hint">Every notice (firing, a higher tier, recovered) is posted to each enabled webhook whose
                  lowest tier it reaches: a generic JSON body or a Slack-compatible one. URLs and headers are stored
                  sealed and shown only by origin and last characters. %s delivered, %s given up on since this
                  instance started.</p>
                  <div class="table-wrap"><table class="webhooks">
                    <thead><tr><th>Name</th><th>Sends to</th><th>Body</th><th>Tiers</th><th>Headers</th><th></th><th></th></tr></thead>
                    <tbody>%s</tbody>
                  </table></div>
                  %s
                </section>
                """, answer.body().path("delivered").asLong(), answer.body().path("failed").asLong(),
                hooks.isEmpty() ? Html.raw("<tr><td colspan=\"7\">No webhooks.</td></tr>") : rows,
                Html.when(me.manages(), addForm(me, fields)));
    }

    private static Raw row(Me me, JsonNode h) {
        String name = h.path("name").asString();
        boolean file = h.path("read_only").asBoolean();
        StringBuilder headers = new StringBuilder();
        h.path("headers").properties().forEach(e -> headers.append(headers.isEmpty() ? "" : ", ")
                .append(e.getKey()).append(": ").append(e.getValue().asString()));
        Raw state = file ? Html.raw("<span class=\"badge\">from the config file</span>")
                : Html.raw(h.path("enabled").asBoolean() ? "on" : "off");
        Raw actions = Html.when(me.manages(), f("""
                <form method="post" action="/alerts/webhooks/%s/test" class="inline">%s<button type="submit" class="link">Test</button></form>%s""",
                Req.enc(name), Layout.csrf(me), file ? Html.EMPTY : f("""
                <form method="post" action="/alerts/webhooks/%s/delete" class="inline">%s<button type="submit" class="link danger">Delete</button></form>
                %s""", Req.enc(name), Layout.csrf(me), editForm(me, h))));
        return f("""
                <tr data-webhook="%s"><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>
                """, name, name, h.path("url").asString(), h.path("format").asString(), h.path("min_tier").asString(),
                headers.isEmpty() ? "none" : headers.toString(), state, actions);
    }

    private static Raw editForm(Me me, JsonNode h) {
        String name = h.path("name").asString();
        Fields fields = Fields.empty().in("edit-" + name);
        return f("""
                <details><summary>Change</summary>
                  <form method="post" action="/alerts/webhooks/%s" class="grid-form">
                    %s%s%s%s%s%s%s
                    <div class="actions"><button type="submit">Save</button></div>
                  </form>
                </details>""", Req.enc(name), Layout.csrf(me),
                fields.input("url", "New URL (empty: keep the sealed one)", "url", "placeholder=\"https://…\""),
                fields.select("format", "Body", FORMATS, h.path("format").asString()),
                fields.select("min_tier", "Send", TIERS, h.path("min_tier").asString()),
                fields.input("header_name", "New header name (empty: keep the headers)", "text", ""),
                fields.input("header_value", "New header value", "password", "autocomplete=\"off\""),
                fields.checkbox("enabled", "Enabled", h.path("enabled").asBoolean()));
    }

    private static Raw addForm(Me me, Fields fields) {
        Fields add = fields.in("webhook");
        return f("""
                <details class="card"%s><summary>Add a webhook</summary>
                  %s
                  <form method="post" action="/alerts/webhooks" class="grid-form">
                    %s%s%s%s%s%s%s
                    <div class="actions"><button type="submit">Add webhook</button></div>
                  </form>
                </details>
                """, Html.raw(add.hasErrors() ? " open" : ""), add.alert(), Layout.csrf(me),
                add.input("name", "Name", "text", "required"),
                add.input("url", "URL", "url", "required placeholder=\"https://hooks.slack.com/services/…\""),
                add.select("format", "Body", FORMATS, "json"), add.select("min_tier", "Send", TIERS, "info"),
                add.input("header_name", "Header name (optional, e.g. Authorization)", "text", ""),
                add.input("header_value", "Header value", "password", "autocomplete=\"off\""));
    }

    private static Answer save(Req req, String name) {
        Form form = req.form();
        Fields fields = Fields.of(form);
        ObjectNode body = AuthPages.json();
        if (name == null) {
            body.put("name", form.get("name").strip());
        }
        form.text("url").ifPresent(u -> body.put("url", u.strip()));
        body.put("format", form.get("format"));
        body.put("min_tier", form.get("min_tier"));
        if (name != null) {
            body.put("enabled", form.has("enabled"));
        }
        var header = form.text("header_name").map(String::strip).filter(h -> !h.isEmpty());
        if (header.isPresent()) {
            body.putObject("headers").put(header.get(), form.text("header_value").orElse(""));
        }
        ApiAnswer answer = name == null ? req.send("POST", "/api/alerts/webhooks", body)
                : req.send("PUT", "/api/alerts/webhooks/" + Req.enc(name), body);
        if (answer.ok()) {
            return Answer.redirect("/alerts?done=" + (name == null ? "webhook-added" : "webhook-saved") + "#webhooks");
        }
        if (name != null) {
            return Errors.api(req.me().orElseThrow(), "/alerts", answer);
        }
        return AlertsPage.page(req, Fields.empty(), fields.error(answer, FIELDS), 422);
    }

    private static Answer test(Req req) {
        ApiAnswer answer = req.send("POST", "/api/alerts/webhooks/" + Req.enc(req.param("name")) + "/test", null);
        if (!answer.ok()) {
            return Errors.api(req.me().orElseThrow(), "/alerts", answer);
        }
        boolean delivered = answer.body().path("delivered").asBoolean();
        return Answer.redirect("/alerts?done=" + (delivered ? "webhook-tested" : "webhook-failed") + "#webhooks");
    }

    private static Answer delete(Req req) {
        ApiAnswer answer = req.send("DELETE", "/api/alerts/webhooks/" + Req.enc(req.param("name")), null);
        if (!answer.ok()) {
            return Errors.api(req.me().orElseThrow(), "/alerts", answer);
        }
        return Answer.redirect("/alerts?done=webhook-deleted#webhooks");
    }
}
