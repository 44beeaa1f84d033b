package dev.junction.admin.web;

import static dev.junction.admin.web.Html.f;

import dev.junction.admin.ApiAnswer;
import dev.junction.admin.web.Dashboard.PageRoute;
import dev.junction.admin.web.Html.Raw;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Budgets & limits: every key, user and team with a limit (requests and tokens per minute,
 * concurrent requests) or a budget (dollars per day, week or month), with what it uses now and
 * which are past 80 %; set and remove them.
 */
final class BudgetsPage {

    private static final Set<String> FIELDS = Set.of("limits.rpm", "limits.tpm", "limits.concurrent", "budget.usd",
            "budget.period", "subject");
    private static final List<String[]> LEVELS = List.of(new String[] {"key", "Key"}, new String[] {"user", "User"},
            new String[] {"team", "Team"});
    private static final List<String[]> PERIODS = List.of(new String[] {"day", "per day"},
            new String[] {"week", "per week"}, new String[] {"month", "per month"});

    private BudgetsPage() {
    }

    static List<PageRoute> routes() {
        return List.of(
                new PageRoute("GET", "/budgets", false, req -> page(req, Fields.empty(), 200)),
                new PageRoute("POST", "/budgets", false, BudgetsPage::put),
                new PageRoute("POST", "/budgets/{level}/{id}/delete", false, BudgetsPage::delete));
    }

    private static Answer page(Req req, Fields fields, int status) {
        Me me = req.me().orElseThrow();
        ApiAnswer limits = req.get("/api/limits");
        if (!limits.ok()) {
            return Errors.api(me, "/budgets", limits);
        }
        Raw rows = Html.join(UserPages.data(limits).stream().map(q -> row(me, q)));
        Raw form = Html.when(me.manages(), f("""
                <section aria-labelledby="set">
                  <h2 id="set">Set limits or a budget</h2>
                  %s
                  <form method="post" action="/budgets" class="card grid-form">
                    %s%s%s%s%s%s%s%s
                    <div class="actions"><button type="submit">Save</button>
                      <span class="hint">An empty field means no limit; saving replaces what the subject had.</span></div>
                  </form>
                </section>
                """, fields.alert(), Layout.csrf(me), fields.select("subject", "Applies to", subjects(req), ""),
                fields.input("limits.rpm", "Requests per minute", "number", "min=\"1\""),
                fields.input("limits.tpm", "Tokens per minute", "number", "min=\"1\""),
                fields.input("limits.concurrent", "Concurrent requests", "number", "min=\"1\""),
                fields.input("budget.usd", "Budget in dollars", "text", "inputmode=\"decimal\" placeholder=\"20.00\""),
                fields.select("budget.period", "Budget period", PERIODS, "month"), Html.EMPTY));
        Raw content = f("""
                %s
                <p class="hint">Limits count per calendar minute; budgets are reserved when a request is admitted and
                settled at its real cost. A request over a limit gets 429 in its own API's shape; over a budget, 402/429
                with the reason. Past 80 %% shows here.</p>
                <div class="table-wrap"><table class="budgets">
                  <thead><tr><th>Applies to</th><th class="num">Requests / min</th><th class="num">Tokens / min</th>
                    <th class="num">Concurrent</th><th>Budget</th><th></th></tr></thead>
                  <tbody>%s</tbody>
                </table></div>
                %s
                """, Layout.notice(req.query("done").map(Map.of("saved", "Saved.", "removed", "Removed.")::get).orElse("")),
                UserPages.data(limits).isEmpty() ? Html.raw("<tr><td colspan=\"6\">No limits or budgets yet.</td></tr>")
                        : rows, form);
        return Answer.page(status, Layout.page(me, "Budgets & limits", "/budgets", content));
    }

    private static Raw row(Me me, JsonNode q) {
        JsonNode limits = q.path("limits");
        JsonNode usage = q.path("usage");
        List<String> near = new ArrayList<>();
        q.path("near_limit").forEach(n -> near.add(n.asString()));
        JsonNode budget = q.path("budget");
        Raw budgetCell = budget.isNull() || budget.isMissingNode() ? Html.raw("—") : f("""
                %s of %s %s<br><progress max="%s" value="%s" aria-label="budget spent">%s</progress>%s""",
                Num.usd(usage.path("spend_usd").asString("0")), Num.usd(budget.path("usd").asString("0")),
                "per " + budget.path("period").asString(), budget.path("usd").asString("0"),
                usage.path("spend_usd").asString("0"), usage.path("spend_usd").asString("0"),
                near.contains("budget") ? Html.raw(" <span class=\"badge warn\">past 80 %</span>") : Html.EMPTY);
        boolean file = q.path("source").asString().equals("file");
        Raw actions = file ? Html.raw("<span class=\"badge\">from the config file</span>")
                : !me.manages() ? Html.EMPTY : f("""
                <form method="post" action="/budgets/%s/%s/delete" class="inline" data-confirm="Remove every limit and the budget of %s %s?">%s<button type="submit" class="link danger">Remove</button></form>""",
                q.path("subject").asString(), q.path("id").asLong(), q.path("subject").asString(),
                q.path("name").asString(), Layout.csrf(me));
        return f("""
                <tr><td>%s <span class="muted">(%s)</span></td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td><td>%s</td><td>%s</td></tr>
                """, q.path("name").asString(), q.path("subject").asString(),
                used(usage.path("requests"), limits.path("rpm"), near.contains("rpm")),
                used(usage.path("tokens"), limits.path("tpm"), near.contains("tpm")),
                used(usage.path("in_flight"), limits.path("concurrent"), near.contains("concurrent")), budgetCell, actions);
    }

    private static Raw used(JsonNode used, JsonNode limit, boolean near) {
        if (!limit.isNumber()) {
            return Html.raw("—");
        }
        return f("%s / %s%s", Num.count(used.asLong()), Num.count(limit.asLong()),
                near ? Html.raw(" <span class=\"badge warn\">80 %+</span>") : Html.EMPTY);
    }

    /** Every key, user and team the caller can see, as {@code level:id} options. */
    private static List<String[]> subjects(Req req) {
        List<String[]> options = new ArrayList<>();
        ApiAnswer keys = req.get("/api/keys");
        if (keys.ok()) {
            UserPages.data(keys).stream().filter(k -> k.path("revoked_at").isNull()).forEach(k -> options.add(
                    new String[] {"key:" + k.path("id").asLong(), "Key " + k.path("name").asString()}));
        }
        ApiAnswer users = req.get("/api/users");
        if (users.ok()) {
            UserPages.data(users).forEach(u -> options.add(new String[] {"user:" + u.path("id").asLong(),
                    "User " + u.path("name").asString()}));
        }
        ApiAnswer teams = req.get("/api/teams");
        if (teams.ok()) {
            UserPages.data(teams).forEach(t -> options.add(new String[] {"team:" + t.path("id").asLong(),
                    "Team " + t.path("name").asString()}));
        }
        return options;
    }

    private static Answer put(Req req) {
        Form form = req.form();
        Fields fields = Fields.of(form);
        String[] subject = form.get("subject").split(":", 2);
        if (subject.length != 2 || LEVELS.stream().noneMatch(l -> l[0].equals(subject[0]))) {
            return page(req, fields.error("subject", "Pick a key, user or team."), 422);
        }
        ObjectNode body = AuthPages.json();
        ObjectNode limits = body.putObject("limits");
        for (String name : List.of("rpm", "tpm", "concurrent")) {
            form.text("limits." + name).ifPresent(v -> {
                try {
                    limits.put(name, Long.parseLong(v));
                } catch (NumberFormatException e) {
                    limits.put(name, v);
                }
            });
        }
        if (form.text("budget.usd").isPresent()) {
            ObjectNode budget = body.putObject("budget");
            String usd = form.get("budget.usd").strip().replace("$", "");
            try {
                budget.put("usd", new BigDecimal(usd));
            } catch (NumberFormatException e) {
                budget.put("usd", usd);
            }
            budget.put("period", form.get("budget.period"));
        }
        ApiAnswer answer = req.send("PUT", "/api/limits/" + subject[0] + "s/" + Req.enc(subject[1]), body);
        if (answer.ok()) {
            return Answer.redirect("/budgets?done=saved");
        }
        return page(req, fields.error(answer, FIELDS), 422);
    }

    private static Answer delete(Req req) {
        String level = req.param("level");
        if (LEVELS.stream().noneMatch(l -> l[0].equals(level))) {
            return Errors.page(404, "There is no such page.");
        }
        ApiAnswer answer = req.send("DELETE", "/api/limits/" + level + "s/" + Req.enc(req.param("id")), null);
        if (!answer.ok()) {
            return Errors.api(req.me().orElseThrow(), "/budgets", answer);
        }
        return Answer.redirect("/budgets?done=removed");
    }
}
