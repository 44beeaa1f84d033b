package dev.junction.admin.web;

import static dev.junction.admin.web.Html.f;

import dev.junction.admin.ApiAnswer;
import dev.junction.admin.web.Html.Raw;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Routing page's two editors for one public model: its rules (strategy, fallbacks, affinity,
 * complexity routing) saved through {@code PUT /api/routing/rules/{model}}, and its pool (each
 * channel's priority and weight) saved through {@code PATCH /api/channels/{id}}. Rules and channels
 * of the config file are shown read-only; viewers see both read-only.
 */
final class RoutingEditors {

    static final List<String[]> STRATEGIES = List.of(
            new String[] {"weighted", "weighted (random by weight within a priority)"},
            new String[] {"priority", "priority (strict order: priority, then weight)"},
            new String[] {"cheapest", "cheapest"}, new String[] {"fastest", "fastest"},
            new String[] {"least_busy", "least busy"}, new String[] {"quota_balanced", "quota balanced"});
    static final Set<String> RULE_FIELDS = Set.of("strategy", "fallbacks", "affinity", "affinity_ttl", "complexity",
            "complexity.simple", "complexity.hard", "complexity.threshold");

    /** How a save went: back to the page, or the form again with its errors. */
    record Saved(boolean ok, String model, Fields fields) {
    }

    private RoutingEditors() {
    }

    /** Both editors for {@code model}; {@code ruleFields}/{@code poolFields} carry a failed save's values and errors. */
    static Raw of(Req req, Me me, String model, Fields ruleFields, Fields poolFields) {
        return Html.join(List.of(rules(req, me, model, ruleFields), pool(req, me, model, poolFields)));
    }

    private static Raw rules(Req req, Me me, String model, Fields given) {
        ApiAnswer answer = req.get("/api/routing/rules/" + Req.enc(model));
        JsonNode rule = answer.ok() ? answer.body() : null;
        boolean readOnly = rule != null && rule.path("read_only").asBoolean();
        Fields fields = given;
        if (fields == null) {
            Map<String, String> values = new HashMap<>();
            values.put("strategy", rule == null ? "weighted" : rule.path("strategy").asString("weighted"));
            List<String> fallbacks = new ArrayList<>();
            if (rule != null) {
                rule.path("fallbacks").forEach(x -> fallbacks.add(x.asString()));
            }
            values.put("fallbacks", String.join(", ", fallbacks));
            if (rule != null && rule.path("affinity").asBoolean()) {
                values.put("affinity", "on");
            }
            values.put("affinity_ttl", rule == null ? "" : rule.path("affinity_ttl").asString(""));
            JsonNode c = rule == null ? null : rule.path("complexity");
            values.put("complexity.simple", c != null && c.isObject() ? c.path("simple").asString() : "");
            values.put("complexity.hard", c != null && c.isObject() ? c.path("hard").asString() : "");
            values.put("complexity.threshold", c != null && c.isObject() ? c.path("threshold").asString() : "");
            values.put("_loaded", "1");
            fields = Fields.of(Form.of(values));
        }
        fields.in("rules");
        if (readOnly || !me.manages()) {
            return f("""
                    <section aria-labelledby="rules"><h2 id="rules">Rules</h2>
                      <p class="hint">%s</p></section>
                    """, readOnly ? "This model's routing is declared in the config file (read-only): change it there and"
                    + " reload." : "Your role reads routing; owners and admins change it.");
        }
        return f("""
                <section aria-labelledby="rules">
                  <h2 id="rules">Rules</h2>
                  %s
                  <form method="post" action="/routing/rules" class="card grid-form" aria-label="Routing rules">
                    %s<input type="hidden" name="model" value="%s">
                    %s%s%s%s
                    <fieldset><legend>Complexity routing (optional): simple requests to one model, hard ones to another</legend>
                    %s%s%s</fieldset>
                    <div class="actions"><button type="submit">Save rules</button>
                      <span class="hint">Saving replaces the model's rules; routing changes at once.</span></div>
                  </form>
                </section>
                """, fields.alert(), Layout.csrf(me), model,
                fields.select("strategy", "Strategy", STRATEGIES, "weighted"),
                fields.input("fallbacks", "Fallback models (comma-separated)", "text", ""),
                fields.checkbox("affinity", "Session affinity", false),
                fields.input("affinity_ttl", "Affinity TTL (e.g. 1h)", "text", ""),
                fields.input("complexity.simple", "Model for simple requests", "text", ""),
                fields.input("complexity.hard", "Model for hard requests", "text", ""),
                fields.input("complexity.threshold", "Hard from score (default 3)", "number", "min=\"1\""));
    }

    private static Raw pool(Req req, Me me, String model, Fields given) {
        List<JsonNode> channels = channels(req, model);
        if (channels.isEmpty()) {
            return Html.EMPTY;
        }
        Map<String, String> values = new HashMap<>();
        for (JsonNode c : channels) {
            values.put("priority." + c.path("id").asLong(), c.path("priority").asString());
            values.put("weight." + c.path("id").asLong(), c.path("weight").asString());
        }
        Fields fields = given != null ? given : Fields.of(Form.of(values));
        fields.in("pool");
        boolean editable = me.manages() && channels.stream().anyMatch(c -> !c.path("read_only").asBoolean());
        Raw rows = Html.join(channels.stream().map(c -> {
            long id = c.path("id").asLong();
            String name = c.path("name").asString();
            boolean readOnly = c.path("read_only").asBoolean() || !me.manages();
            if (readOnly) {
                return f("""
                        <tr><td>%s%s</td><td class="num">%s</td><td class="num">%s</td></tr>
                        """, name, Html.raw(c.path("read_only").asBoolean()
                                ? " <span class=\"badge\">from the config file</span>" : ""),
                        c.path("priority").asInt(), c.path("weight").asInt());
            }
            return f("""
                    <tr><td>%s</td>
                      <td class="num"><input name="priority.%s" type="number" value="%s" aria-label="Priority of %s">%s</td>
                      <td class="num"><input name="weight.%s" type="number" min="1" value="%s" aria-label="Weight of %s">%s</td></tr>
                    """, name, id, fields.value("priority." + id), name, fields.errorFor("priority." + id),
                    id, fields.value("weight." + id), name, fields.errorFor("weight." + id));
        }));
        Raw table = f("""
                <div class="table-wrap"><table class="pool">
                  <thead><tr><th>Channel</th><th class="num">Priority (higher first)</th>
                    <th class="num">Weight (share within a priority)</th></tr></thead>
                  <tbody>%s</tbody>
                </table></div>
                """, rows);
        return f("""
                <section aria-labelledby="pool-edit">
                  <h2 id="pool-edit">Pool</h2>
                  %s
                  %s
                </section>
                """, fields.alert(), editable ? f("""
                <form method="post" action="/routing/pool" aria-label="Priorities and weights">
                  %s<input type="hidden" name="model" value="%s">
                  %s
                  <div class="actions"><button type="submit">Save weights</button></div>
                </form>
                """, Layout.csrf(me), model, table) : table);
    }

    /** The live channels serving {@code model}, as the channels API lists them. */
    private static List<JsonNode> channels(Req req, String model) {
        ApiAnswer answer = req.get("/api/channels");
        List<JsonNode> list = new ArrayList<>();
        if (answer.ok()) {
            for (JsonNode c : UserPages.data(answer)) {
                if (c.path("models").has(model) && c.path("enabled").asBoolean(true)) {
                    list.add(c);
                }
            }
        }
        return list;
    }

    static Saved saveRules(Req req) {
        Form form = req.form();
        String model = form.get("model").strip();
        Fields fields = Fields.of(form);
        ObjectNode body = AuthPages.json();
        body.put("strategy", form.get("strategy"));
        var fallbacks = body.putArray("fallbacks");
        for (String name : form.get("fallbacks").split(",")) {
            if (!name.isBlank()) {
                fallbacks.add(name.strip());
            }
        }
        body.put("affinity", form.has("affinity"));
        form.text("affinity_ttl").ifPresent(ttl -> body.put("affinity_ttl", ttl));
        if (form.text("complexity.simple").isPresent() || form.text("complexity.hard").isPresent()
                || form.text("complexity.threshold").isPresent()) {
            ObjectNode c = body.putObject("complexity");
            form.text("complexity.simple").ifPresent(v -> c.put("simple", v));
            form.text("complexity.hard").ifPresent(v -> c.put("hard", v));
            form.text("complexity.threshold").ifPresent(v -> {
                try {
                    c.put("threshold", Integer.parseInt(v));
                } catch (NumberFormatException e) {
                    c.put("threshold", v);
                }
            });
        }
        ApiAnswer answer = req.send("PUT", "/api/routing/rules/" + Req.enc(model), body);
        if (answer.ok()) {
            return new Saved(true, model, fields);
        }
        // A problem at /complexity/hard belongs next to the field complexity.hard.
        var problems = answer.body().path("error").path("problems");
        if (problems.isArray()) {
            for (JsonNode problem : problems) {
                String pointer = problem.path("param").asString("");
                String field = pointer.startsWith("/") ? pointer.substring(1).replace('/', '.') : pointer;
                String message = problem.path("message").asString("");
                if (message.startsWith(pointer + ": ")) {
                    message = message.substring(pointer.length() + 2);
                }
                fields.error(RULE_FIELDS.contains(field) ? field : "strategy", message);
            }
            return new Saved(false, model, fields);
        }
        return new Saved(false, model, fields.error(answer, RULE_FIELDS));
    }

    static Saved savePool(Req req) {
        Form form = req.form();
        String model = form.get("model").strip();
        Fields fields = Fields.of(form);
        boolean failed = false;
        for (JsonNode c : channels(req, model)) {
            if (c.path("read_only").asBoolean()) {
                continue;
            }
            long id = c.path("id").asLong();
            ObjectNode body = AuthPages.json();
            for (String field : List.of("priority", "weight")) {
                String value = form.get(field + "." + id).strip();
                if (value.isEmpty() || value.equals(c.path(field).asString())) {
                    continue;
                }
                try {
                    body.put(field, Integer.parseInt(value));
                } catch (NumberFormatException e) {
                    body.put(field, value);
                }
            }
            if (body.isEmpty()) {
                continue;
            }
            ApiAnswer answer = req.send("PATCH", "/api/channels/" + id, body);
            if (!answer.ok()) {
                failed = true;
                var problems = answer.body().path("error").path("problems");
                if (problems.isArray() && !problems.isEmpty()) {
                    for (JsonNode problem : problems) {
                        String pointer = problem.path("param").asString("");
                        String field = pointer.startsWith("/priority") ? "priority" : "weight";
                        String message = problem.path("message").asString("");
                        fields.error(field + "." + id, message.startsWith(pointer + ": ")
                                ? message.substring(pointer.length() + 2) : message);
                    }
                } else {
                    fields.error("weight." + id, answer.message());
                }
            }
        }
        return new Saved(!failed, model, fields);
    }
}
