package dev.junction.admin.web;

import static dev.junction.admin.web.Html.f;

import dev.junction.admin.ApiAnswer;
import dev.junction.admin.web.Dashboard.PageRoute;
import dev.junction.admin.web.Html.Raw;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Settings: your account (password) and admin API tokens ({@code jat-…}). */
final class SettingsPage {

    private static final Map<String, String> DONE = Map.of(
            "password", "Password changed. Your other sessions were signed out.",
            "revoked", "Token revoked.",
            "reloaded", "The config file was read again.",
            "settings", "Settings saved: the next request runs on them.");

    private SettingsPage() {
    }

    static List<PageRoute> routes() {
        return List.of(
                new PageRoute("GET", "/settings", false, SettingsPage::show),
                new PageRoute("POST", "/settings/password", false, SettingsPage::password),
                new PageRoute("POST", "/settings/tokens", false, SettingsPage::createToken),
                new PageRoute("POST", "/settings/tokens/{id}/revoke", false, SettingsPage::revoke),
                new PageRoute("POST", "/settings/reload", false, SettingsPage::reload),
                new PageRoute("POST", "/settings/gateway", false, SettingsPage::saveSettings));
    }

    private static Answer show(Req req) {
        return page(req, Fields.empty(), Fields.empty().in("token"), Html.EMPTY, 200);
    }

    private static Answer page(Req req, Fields passwordForm, Fields tokenForm, Raw created, int status) {
        return page(req, passwordForm, tokenForm, created, Html.EMPTY, status);
    }

    private static Answer page(Req req, Fields passwordForm, Fields tokenForm, Raw created, Raw reloadResult,
            int status) {
        return page(req, passwordForm, tokenForm, created, reloadResult, Fields.empty(), status);
    }

    private static Answer page(Req req, Fields passwordForm, Fields tokenForm, Raw created, Raw reloadResult,
            Fields settingsForm, int status) {
        Me me = req.me().orElseThrow();
        ApiAnswer tokens = req.get("/api/tokens");
        Map<Long, String> names = new HashMap<>();
        if (me.seesAll()) {
            ApiAnswer users = req.get("/api/users");
            if (users.ok()) {
                UserPages.data(users).forEach(u -> names.put(u.path("id").asLong(), u.path("name").asString()));
            }
        }
        names.put(me.id(), me.name());
        boolean writes = !me.role().equals("viewer");
        Raw rows = Html.join(UserPages.data(tokens).stream().map(t -> {
            boolean revoked = !t.path("revoked_at").isNull();
            return f("""
                    <tr>
                      <td>%s</td><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td>
                      <td>%s</td>
                    </tr>
                    """, t.path("name").asString(), t.path("display").asString(),
                    names.getOrDefault(t.path("user_id").asLong(), "#" + t.path("user_id").asLong()),
                    Html.raw(Time.tag(t.path("created_at").asString())),
                    Html.raw(Time.tag(t.path("last_used_at").asString(""))),
                    revoked ? Html.raw("<span class=\"badge bad\">revoked</span>") : !writes ? Html.raw("active")
                            : f("""
                            <form method="post" action="/settings/tokens/%s/revoke" class="inline" data-confirm="Revoke the token %s? Scripts using it stop working at once.">
                              %s<button type="submit" class="link danger">Revoke</button>
                            </form>""", t.path("id").asLong(), t.path("name").asString(), Layout.csrf(me)));
        }));
        Raw createForm = Html.when(writes, f("""
                <form method="post" action="/settings/tokens" class="card inline-form">
                  %s%s%s
                  <button type="submit">Create token</button>
                </form>
                """, tokenForm.alert(), Layout.csrf(me),
                tokenForm.input("name", "New token's name", "text", "required autocomplete=\"off\" maxlength=\"100\"")));
        Raw content = f("""
                %s
                <section aria-labelledby="account">
                  <h2 id="account">Your account</h2>
                  <p>Signed in as <strong>%s</strong> (%s).</p>
                  %s
                  <form method="post" action="/settings/password" class="card grid-form">
                    %s%s%s%s
                    <div class="actions"><button type="submit">Change password</button></div>
                  </form>
                </section>
                <section aria-labelledby="tokens">
                  <h2 id="tokens">Admin API tokens</h2>
                  <p class="hint">A token (<code>jat-…</code>) opens the admin API for scripts, acting with its user's
                  role. It never serves model traffic; gateway keys do that.</p>
                  %s
                  <div class="table-wrap"><table>
                    <thead><tr><th>Name</th><th>Token</th><th>User</th><th>Created</th><th>Last used</th><th></th></tr></thead>
                    <tbody>%s</tbody>
                  </table></div>
                  %s
                </section>
                %s
                %s
                """, Layout.notice(req.query("done").map(DONE::get).orElse("")), me.name(), me.role(),
                passwordForm.alert(), Layout.csrf(me),
                passwordForm.input("current_password", "Current password", "password",
                        "required autocomplete=\"current-password\""),
                passwordForm.input("password", "New password (at least 8 characters)", "password",
                        "required autocomplete=\"new-password\""),
                passwordForm.input("confirm", "New password again", "password", "required autocomplete=\"new-password\""),
                created,
                UserPages.data(tokens).isEmpty() ? Html.raw("<tr><td colspan=\"6\">No tokens yet.</td></tr>") : rows,
                createForm, me.seesAll() ? GatewaySettings.section(req, me, settingsForm) : Html.EMPTY,
                versions(req, me, reloadResult));
        return Answer.page(status, Layout.page(me, "Settings", "/settings", content));
    }

    /** The routing-config versions (who changed what, when) and the reload button; absent without the API. */
    private static Raw versions(Req req, Me me, Raw reloadResult) {
        if (!me.seesAll()) {
            return Html.EMPTY;
        }
        ApiAnswer versions = req.get("/api/versions?limit=20");
        if (!versions.ok()) {
            return Html.EMPTY;
        }
        Raw rows = Html.join(UserPages.data(versions).stream().map(v -> f("""
                <tr><td class="num">%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s
                  <details><summary>Diff</summary><pre>%s</pre></details></td></tr>
                """, v.path("version").asLong(), Html.raw(Time.tag(v.path("at").asString())), v.path("actor").asString(),
                v.path("source").asString(), v.path("summary").asString(""), v.path("diff").toPrettyString())));
        Raw reload = Html.when(me.manages(), f("""
                <form method="post" action="/settings/reload" data-confirm="Read the config file again? Channels and keys it declares change at once; an invalid file is refused and nothing changes.">
                  %s<button type="submit" class="secondary">Reload the config file</button>
                </form>
                """, Layout.csrf(me)));
        return f("""
                <section aria-labelledby="versions">
                  <h2 id="versions">Routing configuration</h2>
                  <p>Current version: <strong>%s</strong>. Every change of channels, keys, routing rules, settings or
                  the config file makes a new version; each request's usage record names the version it was routed
                  under.</p>
                  %s%s
                  <div class="table-wrap"><table class="versions">
                    <thead><tr><th class="num">Version</th><th>When</th><th>Who</th><th>Source</th><th>Change</th></tr></thead>
                    <tbody>%s</tbody>
                  </table></div>
                </section>
                """, versions.body().path("current").asLong(), reloadResult, reload, rows);
    }

    private static Answer reload(Req req) {
        ApiAnswer answer = req.send("POST", "/api/reload", null);
        if (answer.ok()) {
            return Answer.redirect("/settings?done=reloaded");
        }
        List<String> lines = new java.util.ArrayList<>();
        answer.body().path("error").path("problems").forEach(p -> lines.add(p.path("message").asString()));
        Raw result = f("<div class=\"alert\" role=\"alert\"><p>%s</p>%s</div>", answer.message(),
                lines.isEmpty() ? Html.EMPTY : f("<pre>%s</pre>", String.join("\n", lines)));
        return page(req, Fields.empty(), Fields.empty().in("token"), Html.EMPTY, result, 422);
    }

    private static Answer saveSettings(Req req) {
        Fields result = GatewaySettings.save(req);
        if (result == null) {
            return Answer.redirect("/settings?done=settings");
        }
        return page(req, Fields.empty(), Fields.empty().in("token"), Html.EMPTY, Html.EMPTY, result,
                result.hasErrors() ? 422 : 200);
    }

    private static Answer password(Req req) {
        Me me = req.me().orElseThrow();
        Form form = req.form();
        Fields fields = Fields.of(form);
        if (!form.get("password").equals(form.get("confirm"))) {
            return page(req, fields.error("confirm", "The two passwords differ."), Fields.empty().in("token"), Html.EMPTY, 422);
        }
        ObjectNode body = AuthPages.json();
        body.put("password", form.get("password"));
        body.put("current_password", form.get("current_password"));
        ApiAnswer answer = req.send("PATCH", "/api/users/" + me.id(), body);
        if (answer.ok()) {
            return Answer.redirect("/settings?done=password");
        }
        return page(req, fields.error(answer, Set.of("password", "current_password")), Fields.empty().in("token"), Html.EMPTY,
                422);
    }

    private static Answer createToken(Req req) {
        Form form = req.form();
        ObjectNode body = AuthPages.json();
        body.put("name", form.get("name"));
        ApiAnswer answer = req.send("POST", "/api/tokens", body);
        if (!answer.ok()) {
            return page(req, Fields.empty(), Fields.of(form).in("token").error(answer, Set.of("name")), Html.EMPTY, 422);
        }
        JsonNode token = answer.body();
        String base = Secrets.baseUrl(req);
        Raw created = f("""
                <div class="card secret" role="status">
                  <p><strong>Token %s created.</strong> Copy it now: it is shown only this once.</p>
                  %s
                  <p>Try it:</p>
                  %s
                </div>
                """, token.path("name").asString(), Secrets.copyable("new-token", token.path("token").asString()),
                Secrets.copyable("token-curl", "curl -H 'Authorization: Bearer " + token.path("token").asString()
                        + "' " + base + "/api/me"));
        return page(req, Fields.empty(), Fields.empty().in("token"), created, 201);
    }

    private static Answer revoke(Req req) {
        ApiAnswer answer = req.send("DELETE", "/api/tokens/" + Req.enc(req.param("id")), null);
        if (answer.ok()) {
            return Answer.redirect("/settings?done=revoked");
        }
        return Errors.api(req.me().orElseThrow(), "/settings", answer);
    }
}
