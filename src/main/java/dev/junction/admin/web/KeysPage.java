package dev.junction.admin.web;

import static dev.junction.admin.web.Html.f;

import dev.junction.admin.ApiAnswer;
import dev.junction.admin.web.Dashboard.PageRoute;
import dev.junction.admin.web.Html.Raw;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gateway keys: the list (file keys read-only), create (the secret shown once, with a copy button
 * and ready-to-paste client settings), rotate and revoke after confirming.
 */
final class KeysPage {

    private static final Set<String> FIELDS = Set.of("name", "models", "user_id", "team_id", "expires_at",
            "allowed_ips");

    private KeysPage() {
    }

    static List<PageRoute> routes() {
        return List.of(
                new PageRoute("GET", "/keys", false, KeysPage::list),
                new PageRoute("POST", "/keys", false, KeysPage::create),
                new PageRoute("POST", "/keys/{id}/rotate", false, KeysPage::rotate),
                new PageRoute("POST", "/keys/{id}/revoke", false, KeysPage::revoke));
    }

    private static Answer list(Req req) {
        return page(req, Fields.empty(), Html.EMPTY, 200);
    }

    private static Answer page(Req req, Fields fields, Raw created, int status) {
        Me me = req.me().orElseThrow();
        ApiAnswer keys = req.get("/api/keys");
        if (!keys.ok()) {
            return Errors.api(me, "/keys", keys);
        }
        Map<Long, String> users = new HashMap<>();
        users.put(me.id(), me.name());
        if (me.seesAll()) {
            ApiAnswer list = req.get("/api/users");
            if (list.ok()) {
                UserPages.data(list).forEach(u -> users.put(u.path("id").asLong(), u.path("name").asString()));
            }
        }
        Map<Long, String> teams = new HashMap<>();
        ApiAnswer teamList = req.get("/api/teams");
        if (teamList.ok()) {
            UserPages.data(teamList).forEach(t -> teams.put(t.path("id").asLong(), t.path("name").asString()));
        }
        boolean writes = !me.role().equals("viewer");
        Raw rows = Html.join(UserPages.data(keys).stream().map(k -> {
            boolean revoked = !k.path("revoked_at").isNull();
            boolean readOnly = k.path("read_only").asBoolean();
            List<String> models = new ArrayList<>();
            k.path("models").forEach(m -> models.add(m.asString()));
            Raw state = revoked ? Html.raw("<span class=\"badge bad\">revoked</span>")
                    : k.path("expired").asBoolean() ? Html.raw("<span class=\"badge warn\">expired</span>")
                    : Html.raw("<span class=\"badge good\">active</span>");
            Raw actions = readOnly ? Html.raw("<span class=\"badge\" title=\"Change it in the config file\">from the config file</span>")
                    : revoked || !writes ? Html.EMPTY : f("""
                    <form method="post" action="/keys/%s/rotate" class="inline" data-confirm="Rotate the key %s? The old secret stops working at once.">%s<button type="submit" class="link">Rotate</button></form>
                    <form method="post" action="/keys/%s/revoke" class="inline" data-confirm="Revoke the key %s? Clients using it get 401 at once.">%s<button type="submit" class="link danger">Revoke</button></form>
                    """, k.path("id").asLong(), k.path("name").asString(), Layout.csrf(me), k.path("id").asLong(),
                    k.path("name").asString(), Layout.csrf(me));
            return f("""
                    <tr><td>%s</td><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>
                    """, k.path("name").asString(), k.path("display").asString(),
                    k.path("user_id").isNull() ? "—" : users.getOrDefault(k.path("user_id").asLong(), "#" + k.path("user_id").asLong()),
                    k.path("team_id").isNull() ? "—" : teams.getOrDefault(k.path("team_id").asLong(), "#" + k.path("team_id").asLong()),
                    String.join(", ", models), Html.raw(Time.tag(k.path("expires_at").asString(""))), state, actions);
        }));
        Raw form = Html.when(writes, f("""
                <section aria-labelledby="new-key">
                  <h2 id="new-key">Create a key</h2>
                  %s
                  <form method="post" action="/keys" class="card grid-form">
                    %s%s%s%s%s%s%s
                    <div class="actions"><button type="submit">Create key</button></div>
                  </form>
                </section>
                """, fields.alert(), Layout.csrf(me),
                fields.input("name", "Name", "text", "required autocomplete=\"off\" maxlength=\"100\""),
                fields.input("models", "Models (comma-separated; * for all, globs like claude-*)", "text",
                        "placeholder=\"*\""),
                me.manages() ? fields.select("user_id", "Owner", options(users, false), Long.toString(me.id()))
                        : Html.EMPTY,
                fields.select("team_id", "Team (its limits and budget apply)", options(teams, true), ""),
                fields.input("expires_at", "Expires on (UTC, optional)", "date", ""),
                fields.input("allowed_ips", "Allowed addresses (optional, comma-separated IPs or CIDRs)", "text",
                        "placeholder=\"10.0.0.0/8, 192.168.1.7\"")));
        Raw content = f("""
                %s
                %s
                <p class="hint">A gateway key lets a client call the models (<code>/v1/…</code>). Its secret is shown once
                when it is made or rotated; only a hash is kept.</p>
                <div class="table-wrap"><table class="keys">
                  <thead><tr><th>Name</th><th>Key</th><th>Owner</th><th>Team</th><th>Models</th><th>Expires</th><th>State</th><th></th></tr></thead>
                  <tbody>%s</tbody>
                </table></div>
                %s
                """, Layout.notice(req.query("done").filter("revoked"::equals).map(d -> "Key revoked.").orElse("")),
                created, UserPages.data(keys).isEmpty() ? Html.raw("<tr><td colspan=\"8\">No keys yet.</td></tr>") : rows,
                form);
        return Answer.page(status, Layout.page(me, "Keys", "/keys", content));
    }

    private static List<String[]> options(Map<Long, String> names, boolean none) {
        List<String[]> options = new ArrayList<>();
        if (none) {
            options.add(new String[] {"", "None"});
        }
        names.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .forEach(e -> options.add(new String[] {Long.toString(e.getKey()), e.getValue()}));
        return options;
    }

    private static ArrayNode list(String text) {
        ArrayNode array = AuthPages.json().arrayNode();
        Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(array::add);
        return array;
    }

    private static Answer create(Req req) {
        Form form = req.form();
        Fields fields = Fields.of(form);
        ObjectNode body = AuthPages.json();
        body.put("name", form.get("name"));
        ArrayNode models = list(form.get("models"));
        if (!models.isEmpty()) {
            body.set("models", models);
        }
        form.text("user_id").ifPresent(id -> body.put("user_id", parseId(id)));
        form.text("team_id").ifPresent(id -> body.put("team_id", parseId(id)));
        if (form.text("expires_at").isPresent()) {
            try {
                body.put("expires_at", LocalDate.parse(form.get("expires_at").strip()).plusDays(1)
                        .atStartOfDay(ZoneOffset.UTC).toInstant().toString());
            } catch (DateTimeParseException e) {
                return page(req, fields.error("expires_at", "Give a date such as 2026-12-31."), Html.EMPTY, 422);
            }
        }
        ArrayNode ips = list(form.get("allowed_ips"));
        if (!ips.isEmpty()) {
            body.set("allowed_ips", ips);
        }
        ApiAnswer answer = req.send("POST", "/api/keys", body);
        if (!answer.ok()) {
            return page(req, fields.error(answer, FIELDS), Html.EMPTY, 422);
        }
        return page(req, Fields.empty(), shown(req, answer.body(), "created"), 201);
    }

    private static long parseId(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The secret, once, with the settings to paste into each client. */
    private static Raw shown(Req req, JsonNode key, String what) {
        String secret = key.path("key").asString();
        return f("""
                <div class="card secret" role="status">
                  <p><strong>Key %s %s.</strong> Copy the secret now: it is shown only this once.</p>
                  %s
                  <h2>Use it</h2>
                  %s
                </div>
                """, key.path("name").asString(), what, Secrets.copyable("new-key-secret", secret),
                ClientSnippets.all(Secrets.baseUrl(req), secret, model(req, key)));
    }

    /** A public model the key may use: the first exact one it lists, else the first a channel serves. */
    private static String model(Req req, JsonNode key) {
        for (JsonNode m : key.path("models")) {
            String name = m.asString();
            if (!name.contains("*") && !name.contains("?")) {
                return name;
            }
        }
        ApiAnswer channels = req.get("/api/channels");
        TreeSet<String> served = new TreeSet<>();
        if (channels.ok()) {
            for (JsonNode channel : UserPages.data(channels)) {
                channel.path("models").propertyNames().forEach(served::add);
            }
        }
        return served.isEmpty() ? "<model>" : served.first();
    }

    private static Answer rotate(Req req) {
        ApiAnswer answer = req.send("POST", "/api/keys/" + Req.enc(req.param("id")) + "/rotate", null);
        if (!answer.ok()) {
            return Errors.api(req.me().orElseThrow(), "/keys", answer);
        }
        return page(req, Fields.empty(), shown(req, answer.body(), "rotated"), 200);
    }

    private static Answer revoke(Req req) {
        ApiAnswer answer = req.send("DELETE", "/api/keys/" + Req.enc(req.param("id")), null);
        if (!answer.ok()) {
            return Errors.api(req.me().orElseThrow(), "/keys", answer);
        }
        return Answer.redirect("/keys?done=revoked");
    }
}
