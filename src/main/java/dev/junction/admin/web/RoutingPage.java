package dev.junction.admin.web;

import static dev.junction.admin.web.Html.f;

import dev.junction.admin.ApiAnswer;
import dev.junction.admin.web.Dashboard.PageRoute;
import dev.junction.admin.web.Html.Raw;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Routing: per public model its pool and strategy, and the explain view of the routing API: which
 * channels would serve a request now, in what order, and why each other one is left out. Owners and
 * admins edit the model's rules here (strategy, fallbacks, affinity, complexity routing; through
 * {@code /api/routing/rules}) and the priority and weight of its admin API channels (through
 * {@code /api/channels}); what the config file declares is shown read-only.
 */
final class RoutingPage {

    private RoutingPage() {
    }

    static List<PageRoute> routes() {
        return List.of(new PageRoute("GET", "/routing", false, RoutingPage::show),
                new PageRoute("POST", "/routing/rules", false, RoutingPage::saveRules),
                new PageRoute("POST", "/routing/pool", false, RoutingPage::savePool));
    }

    /** The public model names the channels serve, and those with routing rules (complexity routers). */
    static TreeSet<String> publicModels(Req req) {
        TreeSet<String> models = new TreeSet<>();
        ApiAnswer rules = req.get("/api/routing/rules");
        if (rules.ok()) {
            for (JsonNode rule : UserPages.data(rules)) {
                if (rule.path("served").asBoolean()) {
                    models.add(rule.path("model").asString());
                }
            }
        }
        ApiAnswer channels = req.get("/api/channels");
        if (channels.ok()) {
            for (JsonNode channel : UserPages.data(channels)) {
                if (channel.path("enabled").asBoolean(true)) {
                    channel.path("models").propertyNames().forEach(models::add);
                }
            }
        }
        return models;
    }

    private static Answer show(Req req) {
        return show(req, null, null, 200);
    }

    private static Answer show(Req req, Fields ruleFields, Fields poolFields, int status) {
        Me me = req.me().orElseThrow();
        if (!me.seesAll()) {
            return Errors.page(403, "Your role (member) does not show routing.");
        }
        TreeSet<String> models = publicModels(req);
        String model = req.query("model").orElse(models.isEmpty() ? "" : models.first());
        List<String[]> options = new ArrayList<>();
        models.forEach(m -> options.add(new String[] {m, m}));
        if (!model.isEmpty() && !models.contains(model)) {
            options.add(new String[] {model, model});
        }
        java.util.Map<String, String> values = new java.util.HashMap<>();
        values.put("model", model);
        for (String flag : List.of("tools", "vision", "json_schema", "code", "reasoning")) {
            req.query(flag).filter("on"::equals).ifPresent(v -> values.put(flag, "on"));
        }
        req.query("prompt_tokens").ifPresent(v -> values.put("prompt_tokens", v));
        req.query("prompt").ifPresent(v -> values.put("prompt", v));
        values.put("_loaded", "1");
        Fields fields = Fields.of(Form.of(values));
        Raw explained = Html.EMPTY;
        if (!model.isEmpty()) {
            StringBuilder query = new StringBuilder("model=").append(Req.enc(model));
            for (String flag : List.of("tools", "vision", "json_schema", "code", "reasoning")) {
                if (values.containsKey(flag)) {
                    query.append('&').append(flag).append("=true");
                }
            }
            for (String number : List.of("prompt_tokens", "prompt")) {
                if (values.containsKey(number) && !values.get(number).isBlank()) {
                    query.append('&').append(number).append('=').append(Req.enc(values.get(number)));
                }
            }
            ApiAnswer explain = req.get("/api/routing/explain?" + query);
            if (!explain.ok()) {
                fields.error(explain, java.util.Set.of("model", "prompt_tokens"));
            } else {
                explained = explanation(explain.body());
            }
        }
        Raw editors = model.isEmpty() ? Html.EMPTY : RoutingEditors.of(req, me, model, ruleFields, poolFields);
        Raw content = f("""
                %s
                <form method="get" action="/routing" class="card filters" aria-label="Explain a request">
                  %s
                  %s%s%s%s%s%s%s%s
                  <div class="actions"><button type="submit">Explain</button></div>
                </form>
                %s
                %s
                """, Layout.notice(req.query("done").filter("saved"::equals).map(d -> "Saved: routing changed at once.")
                        .orElse("")), fields.alert(), models.isEmpty() ? fields.input("model", "Public model", "text", "required")
                : fields.select("model", "Public model", options, model),
                fields.checkbox("tools", "Uses tools", false), fields.checkbox("vision", "Has images", false),
                fields.checkbox("json_schema", "Asks for a JSON schema", false),
                fields.checkbox("code", "Has a code block", false), fields.checkbox("reasoning", "Asks for reasoning", false),
                fields.input("prompt_tokens", "Prompt tokens", "number", "min=\"0\""),
                fields.input("prompt", "Prompt text (for complexity routing)", "text", ""), explained, editors);
        return Answer.page(status, Layout.page(me, "Routing", "/routing", content));
    }

    private static Answer saveRules(Req req) {
        RoutingEditors.Saved saved = RoutingEditors.saveRules(req);
        return saved.ok() ? Answer.redirect("/routing?model=" + Req.enc(saved.model()) + "&done=saved")
                : show(withModel(req, saved.model()), saved.fields(), null, 422);
    }

    private static Answer savePool(Req req) {
        RoutingEditors.Saved saved = RoutingEditors.savePool(req);
        return saved.ok() ? Answer.redirect("/routing?model=" + Req.enc(saved.model()) + "&done=saved")
                : show(withModel(req, saved.model()), null, saved.fields(), 422);
    }

    private static Req withModel(Req req, String model) {
        return req.withQuery("model", model);
    }

    private static Raw explanation(JsonNode e) {
        List<String> fallbacks = new ArrayList<>();
        e.path("fallbacks").forEach(f -> fallbacks.add(f.asString()));
        int[] order = {0};
        Raw candidates = Html.join(iterable(e.path("candidates")).stream().map(c -> f("""
                <tr><td class="num">%s</td><td>%s</td><td>%s</td><td class="num">%s / %s</td><td class="num">%s</td>
                  <td class="num">%s</td><td class="num">%s</td><td class="num">%s</td><td>%s</td></tr>
                """, ++order[0], c.path("channel").asString(), c.path("upstream_model").asString(),
                c.path("priority").asInt(), c.path("weight").asInt(), c.path("in_flight").asLong(),
                c.path("ttft_ms").asLong() > 0 ? c.path("ttft_ms").asLong() + " ms" : "—",
                c.path("tokens_per_second").asDouble() > 0 ? c.path("tokens_per_second").asString() : "—",
                Math.round(c.path("quota_remaining").asDouble(1) * 100) + " %",
                c.has("input_price") ? "$" + c.path("input_price").asString() + " / $" + c.path("output_price").asString()
                        + " per M" : c.path("assumed_capable").asBoolean() ? "unknown model" : "—")));
        Raw excluded = Html.join(iterable(e.path("excluded")).stream().map(x -> f("""
                <tr><td>%s</td><td>%s</td><td><span class="badge %s">%s</span></td><td>%s</td></tr>
                """, x.path("channel").asString(), x.path("upstream_model").asString(),
                reasonClass(x.path("reason").asString()), x.path("reason").asString(), x.path("detail").asString(""))));
        return f("""
                <section aria-labelledby="pool">
                  <h2 id="pool">%s</h2>
                  %s
                  <dl class="facts">
                    <dt>Strategy</dt><dd>%s</dd>
                    <dt>Fallback models</dt><dd>%s</dd>
                    <dt>Session affinity</dt><dd>%s</dd>
                    <dt>Routing snapshot</dt><dd>%s</dd>
                  </dl>
                  <h2>Would serve now, in this order</h2>
                  <p class="hint">Within a priority the strategy picks by weight (or speed, price, quota); the next one is
                  tried when one fails.</p>
                  <div class="table-wrap"><table class="candidates">
                    <thead><tr><th class="num">#</th><th>Channel</th><th>Upstream model</th><th class="num">Priority / weight</th>
                      <th class="num">In flight</th><th class="num">First token</th><th class="num">Tokens/s</th>
                      <th class="num">Quota left</th><th>Price in / out</th></tr></thead>
                    <tbody>%s</tbody>
                  </table></div>
                  <h2>Left out</h2>
                  <div class="table-wrap"><table class="excluded">
                    <thead><tr><th>Channel</th><th>Upstream model</th><th>Why</th><th>Detail</th></tr></thead>
                    <tbody>%s</tbody>
                  </table></div>
                </section>
                """, e.path("routed_to").asString(e.path("model").asString()), complexity(e), e.path("strategy").asString(),
                fallbacks.isEmpty() ? "none" : String.join(", ", fallbacks),
                e.path("affinity").asBoolean() ? "on" : "off", e.path("snapshot").asString(),
                e.path("candidates").isEmpty() ? Html.raw("<tr><td colspan=\"9\">No channel can serve this request now.</td></tr>")
                        : candidates,
                e.path("excluded").isEmpty() ? Html.raw("<tr><td colspan=\"4\">None: every channel of the model is a candidate.</td></tr>")
                        : excluded);
    }

    /** For a complexity router: which model the classifier picks for the explained request, and why. */
    private static Raw complexity(JsonNode e) {
        JsonNode c = e.path("complexity");
        if (!c.isObject()) {
            return Html.EMPTY;
        }
        List<String> reasons = new ArrayList<>();
        c.path("reasons").forEach(r -> reasons.add(r.asString()));
        return f("""
                <p class="complexity card" data-complexity="%s"><strong>%s</strong> routes by complexity: this request
                  scores <strong>%s</strong> (hard from %s), so it is <strong>%s</strong> and goes to <strong>%s</strong>.
                  <span class="muted">%s</span></p>
                """, c.path("tier").asString(), e.path("model").asString(), c.path("score").asInt(),
                c.path("threshold").asInt(), c.path("tier").asString(), c.path("target").asString(),
                reasons.isEmpty() ? "No rule fired." : "Rules: " + String.join(", ", reasons) + ".");
    }

    private static String reasonClass(String reason) {
        String r = reason.toLowerCase(Locale.ROOT);
        return r.contains("cool") || r.contains("limit") ? "warn" : r.contains("breaker") || r.contains("disabled") ? "bad" : "";
    }

    static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }
}
