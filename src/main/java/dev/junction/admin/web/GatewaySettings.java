package dev.junction.admin.web;

import static dev.junction.admin.web.Html.f;

import dev.junction.admin.ApiAnswer;
import dev.junction.admin.web.Html.Raw;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Settings page's "Gateway settings" form over {@code /api/settings}: every runtime setting
 * ({@code failover:}, {@code usage:}) with its value and default; those the config file gives are
 * shown read-only, marked so. Saving sends only what changed (an emptied field returns to its
 * default); the API's problems appear next to their fields.
 */
final class GatewaySettings {

    private static final Map<String, String> LABELS = labels();

    private GatewaySettings() {
    }

    private static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("failover.max_attempts", "Most attempts per request");
        labels.put("failover.request_timeout", "Request timeout (all attempts)");
        labels.put("failover.cooldown", "Rest of a rate-limited key without Retry-After");
        labels.put("failover.max_retry_wait", "Longest wait before a same-channel retry");
        labels.put("failover.continue_streams", "Continue a broken stream on the next channel");
        labels.put("failover.continue_same_channel", "Continuations by the channel whose stream broke");
        labels.put("failover.hedge_after", "Hedge a late stream after (a duration, p95 or off)");
        labels.put("failover.key_probe_every", "Try a rejected provider key again every");
        labels.put("failover.breaker.consecutive_failures", "Breaker: failures in a row");
        labels.put("failover.breaker.failure_rate", "Breaker: failure rate");
        labels.put("failover.breaker.min_requests", "Breaker: least requests for the rate");
        labels.put("failover.breaker.window", "Breaker: window");
        labels.put("failover.breaker.open_for", "Breaker: open for");
        labels.put("failover.breaker.probe_every", "Breaker: first probe after");
        labels.put("failover.breaker.probe_max", "Breaker: longest probe interval");
        labels.put("failover.breaker.half_open_requests", "Breaker: requests while half-open");
        labels.put("usage.keep_raw", "Keep usage rows for");
        labels.put("usage.keep_rollups", "Keep hourly and daily rollups for");
        return labels;
    }

    /** The section, or nothing when the caller may not read settings. */
    static Raw section(Req req, Me me, Fields form) {
        ApiAnswer settings = req.get("/api/settings");
        if (!settings.ok()) {
            return Html.EMPTY;
        }
        boolean writes = me.manages();
        Map<String, String> current = new LinkedHashMap<>();
        settings.body().path("data").forEach(s -> current.put(s.path("name").asString(), text(s.path("value"))));
        Fields fields = form.form() == Form.EMPTY ? Fields.of(Form.of(current)).in("settings") : form;
        List<Raw> rows = new ArrayList<>();
        for (JsonNode s : settings.body().path("data")) {
            String name = s.path("name").asString();
            boolean readOnly = s.path("read_only").asBoolean() || !writes;
            String source = s.path("source").asString();
            String hint = switch (source) {
                case "file" -> "from the config file";
                case "admin" -> "set here by " + s.path("updated_by").asString("") + "; default " + text(s.path("default"));
                default -> "default";
            };
            rows.add(f("""
                    <div class="setting" data-setting="%s" data-source="%s">
                      %s
                      <p class="hint"><code>%s</code> · %s</p>
                    </div>
                    """, name, source, fields.input(name, LABELS.getOrDefault(name, name), "text",
                    readOnly ? "readonly aria-readonly=\"true\"" : "autocomplete=\"off\""), name, hint));
        }
        Raw save = Html.when(writes, Html.raw("<div class=\"actions\"><button type=\"submit\">Save settings</button></div>"));
        return f("""
                <section aria-labelledby="gateway-settings">
                  <h2 id="gateway-settings">Gateway settings</h2>
                  <p class="hint">Failover, breaker and usage retention. A change applies to the next request (one
                  already running keeps what it started with), on every instance, and makes a new routing-config
                  version. Settings the config file gives are read-only here: change them in the file and reload.
                  Empty a field to return it to its default.</p>
                  <form method="post" action="/settings/gateway" class="card grid-form">
                    %s%s%s%s
                  </form>
                </section>
                """, fields.alert(), Layout.csrf(me), Html.join(rows), save);
    }

    /** {@code POST /settings/gateway}: the changed fields to {@code PATCH /api/settings}. */
    static Fields save(Req req) {
        Form form = req.form();
        ApiAnswer settings = req.get("/api/settings");
        ObjectNode body = AuthPages.json();
        for (JsonNode s : settings.body().path("data")) {
            String name = s.path("name").asString();
            if (s.path("read_only").asBoolean() || !form.has(name)) {
                continue;
            }
            String value = form.get(name).strip();
            if (value.equals(text(s.path("value"))) && !value.isEmpty()) {
                continue;
            }
            ObjectNode at = body;
            String[] parts = name.split("\\.");
            for (int i = 0; i < parts.length - 1; i++) {
                at = at.get(parts[i]) instanceof ObjectNode o ? o : at.putObject(parts[i]);
            }
            if (value.isEmpty()) {
                at.putNull(parts[parts.length - 1]);
            } else {
                at.put(parts[parts.length - 1], value);
            }
        }
        Fields fields = Fields.of(form).in("settings");
        if (body.isEmpty()) {
            return fields;
        }
        ApiAnswer answer = req.send("PATCH", "/api/settings", body);
        if (answer.ok()) {
            return null;
        }
        JsonNode problems = answer.body().path("error").path("problems");
        List<String> general = new ArrayList<>();
        if (problems.isArray() && !problems.isEmpty()) {
            for (JsonNode problem : problems) {
                String pointer = problem.path("param").asString("");
                String name = pointer.startsWith("/") ? pointer.substring(1).replace('/', '.') : pointer;
                String message = problem.path("message").asString("");
                if (message.startsWith(pointer + ": ")) {
                    message = message.substring(pointer.length() + 2);
                }
                if (LABELS.containsKey(name)) {
                    fields.error(name, message);
                } else {
                    general.add(problem.path("message").asString(""));
                }
            }
        } else if (answer.param().isPresent() && LABELS.containsKey(answer.param().get())) {
            fields.error(answer.param().get(), answer.message());
        } else {
            general.add(answer.message());
        }
        if (!general.isEmpty()) {
            fields.general(String.join(" ", general));
        }
        return fields;
    }

    private static String text(JsonNode value) {
        return value.isNull() || value.isMissingNode() ? "" : value.asString();
    }
}
