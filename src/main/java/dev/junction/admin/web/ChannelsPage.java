package dev.junction.admin.web;

import static dev.junction.admin.web.Html.f;

import dev.junction.admin.ApiAnswer;
import dev.junction.admin.web.Dashboard.PageRoute;
import dev.junction.admin.web.Html.Raw;
import dev.junction.core.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Channels: each with its settings, masked provider keys and traffic over the last hour; add and
 * edit (type, base URL, keys, a model-mapping editor; the API's binder checks every field and each
 * problem shows next to its field); Test (one real request); enable, disable, delete. Channels of
 * the config file are read-only here.
 */
final class ChannelsPage {

    private static final Set<String> FIELDS = Set.of("name", "type", "base_url", "api_keys", "models", "priority",
            "weight", "retries", "key_selection", "responses");
    private static final List<String[]> TYPES = List.of(new String[] {"openai", "OpenAI (or OpenAI-compatible)"},
            new String[] {"anthropic", "Anthropic"}, new String[] {"gemini", "Gemini"});
    private static final List<String[]> SELECTIONS = List.of(new String[] {"round_robin", "Round robin"},
            new String[] {"random", "Random"});
    private static final Map<String, String> DONE = Map.of("created", "Channel added.", "saved", "Channel saved.",
            "deleted", "Channel deleted.", "enabled", "Channel enabled.", "disabled", "Channel disabled.");
    /** Empty model rows a form offers beyond the filled ones (app.js adds more on demand). */
    private static final int SPARE_ROWS = 2;

    private static final java.time.format.DateTimeFormatter CLOCK_TIME = java.time.format.DateTimeFormatter
            .ofPattern("HH:mm:ss").withZone(java.time.ZoneOffset.UTC);

    private final Clock clock;

    ChannelsPage(Clock clock) {
        this.clock = clock;
    }

    List<PageRoute> routes() {
        return List.of(
                new PageRoute("GET", "/channels", false, this::list),
                new PageRoute("GET", "/channels/new", false, req -> form(req, null, Fields.empty(), 200)),
                new PageRoute("POST", "/channels", false, this::create),
                new PageRoute("GET", "/channels/{id}", false, this::edit),
                new PageRoute("POST", "/channels/{id}", false, this::save),
                new PageRoute("POST", "/channels/{id}/test", false, this::test),
                new PageRoute("POST", "/channels/{id}/enable", false, req -> toggle(req, true)),
                new PageRoute("POST", "/channels/{id}/disable", false, req -> toggle(req, false)),
                new PageRoute("POST", "/channels/{id}/delete", false, this::delete));
    }

    private Answer list(Req req) {
        Me me = req.me().orElseThrow();
        ApiAnswer channels = req.get("/api/channels");
        if (!channels.ok()) {
            return Errors.api(me, "/channels", channels);
        }
        long now = clock.now().toEpochMilli();
        ApiAnswer hour = req.get("/api/usage/top?by=channel&limit=100&from=" + (now - Duration.ofHours(1).toMillis())
                + "&to=" + now);
        Map<String, JsonNode> traffic = new HashMap<>();
        long total = 0;
        if (hour.ok()) {
            for (JsonNode group : UserPages.data(hour)) {
                traffic.put(group.path("key").asString(""), group.path("totals"));
                total += group.path("totals").path("requests").asLong();
            }
        }
        long all = total;
        Raw rows = Html.join(UserPages.data(channels).stream().map(c -> row(me, c,
                traffic.get(Long.toString(c.path("id").asLong())), all)));
        Raw content = f("""
                %s
                <p class="hint">Channels are the upstream providers. Changes apply at once (a new routing version);
                requests in flight finish where they started. Traffic columns cover the last hour.</p>
                %s
                <div class="table-wrap"><table class="channels">
                  <thead><tr><th>Channel</th><th>Models</th><th class="num">Priority / weight</th><th>Provider keys</th>
                    <th>State</th><th>Limits</th><th class="num">Share (1 h)</th><th class="num">Errors (1 h)</th><th>Actions</th></tr></thead>
                  <tbody>%s</tbody>
                </table></div>
                """, Layout.notice(req.query("done").map(DONE::get).orElse("")),
                Html.when(me.manages(), Html.raw("<p><a class=\"button\" href=\"/channels/new\">Add channel</a></p>")),
                UserPages.data(channels).isEmpty() ? Html.raw("<tr><td colspan=\"9\">No channels yet.</td></tr>") : rows);
        return Answer.page(Layout.page(me, "Channels", "/channels", content));
    }

    private static Raw row(Me me, JsonNode c, JsonNode traffic, long total) {
        long id = c.path("id").asLong();
        boolean readOnly = c.path("read_only").asBoolean();
        boolean enabled = c.path("enabled").asBoolean(true);
        List<String> models = new ArrayList<>();
        c.path("models").properties().forEach(e -> models.add(e.getKey().equals(e.getValue().asString())
                ? e.getKey() : e.getKey() + " → " + e.getValue().asString()));
        if (c.path("models_auto").asBoolean()) {
            models.add("(listed by the provider)");
        }
        JsonNode live = c.path("live");
        List<String> keys = new ArrayList<>();
        if (live.path("keys").isArray() && !live.path("keys").isEmpty()) {
            live.path("keys").forEach(k -> keys.add(keyState(k)));
        } else {
            c.path("api_keys").forEach(k -> keys.add(Html.esc(k.asString())));
        }
        long requests = traffic == null ? 0 : traffic.path("requests").asLong();
        long errors = traffic == null ? 0 : traffic.path("server_errors").asLong() + traffic.path("client_errors").asLong();
        Raw state = c.has("problems") ? Html.raw("<span class=\"badge bad\">invalid settings</span>")
                : !enabled ? Html.raw("<span class=\"badge warn\">disabled</span>")
                : live.isObject() ? liveState(live)
                : Html.raw("<span class=\"badge\">not routed</span>");
        Raw actions;
        if (readOnly) {
            actions = f("<span class=\"badge\">from the config file</span> %s", testButton(me, id));
        } else if (me.manages()) {
            actions = f("""
                    <a href="/channels/%s">Edit</a> %s
                    <form method="post" action="/channels/%s/%s" class="inline">%s<button type="submit" class="link">%s</button></form>
                    <form method="post" action="/channels/%s/delete" class="inline" data-confirm="Delete the channel %s? Requests stop going to it at once.">%s<button type="submit" class="link danger">Delete</button></form>
                    """, id, testButton(me, id), id, enabled ? "disable" : "enable", Layout.csrf(me),
                    enabled ? "Disable" : "Enable", id, c.path("name").asString(), Layout.csrf(me));
        } else {
            actions = Html.EMPTY;
        }
        return f("""
                <tr id="channel-%s">
                  <td><strong>%s</strong><br><span class="muted">%s · %s</span></td>
                  <td>%s</td>
                  <td class="num">%s / %s</td>
                  <td class="keys">%s</td>
                  <td data-state="%s">%s</td>
                  <td class="limits">%s</td>
                  <td class="num">%s</td>
                  <td class="num">%s</td>
                  <td class="actions-cell">%s<div class="test-result" id="test-%s" aria-live="polite"></div></td>
                </tr>
                """, id, c.path("name").asString(), c.path("type").asString(), c.path("base_url").asString(),
                String.join(", ", models), c.path("priority").asInt(), c.path("weight").asInt(1),
                keys.isEmpty() ? Html.raw("—") : Html.raw(String.join("<br>", keys)),
                live.path("state").asString(enabled ? "" : "disabled"), state, limits(live),
                total == 0 ? "—" : Math.round(requests * 100.0 / total) + " % (" + requests + ")",
                requests == 0 ? "—" : Math.round(errors * 1000.0 / requests) / 10.0 + " %", actions, id);
    }

    /**
     * The channel's state now, from routing: healthy; cooling until 14:02:07 UTC (every key resting);
     * breaker open until …; at a limit until …; health check failing; every key disabled.
     */
    static Raw liveState(JsonNode live) {
        String until = clock(live.path("until").asString(""));
        String detail = live.path("detail").asString("");
        String about = detail.contains(": ") ? " (" + detail.substring(0, detail.indexOf(": ")) + ")" : "";
        return switch (live.path("state").asString("")) {
            case "healthy" -> Html.raw("<span class=\"badge good\">healthy</span>");
            case "cooling" -> f("<span class=\"badge warn\">cooling</span> until %s%s", until, about);
            case "breaker" -> f("<span class=\"badge bad\">breaker open</span> until %s%s", until, about);
            case "limit" -> f("<span class=\"badge warn\">%s</span> until %s", detail, until);
            case "unhealthy" -> Html.raw("<span class=\"badge bad\">health check failing</span>");
            case "keys_disabled" -> Html.raw("<span class=\"badge bad\">every key disabled</span>");
            default -> f("<span class=\"badge\">%s</span>", live.path("state").asString(""));
        };
    }

    /** A provider key with its state: {@code …abcd}, {@code …abcd cooling until …}, {@code …abcd disabled}. */
    private static String keyState(JsonNode k) {
        String key = "<code>" + Html.esc(k.path("key").asString("(no key)")) + "</code>";
        return switch (k.path("state").asString("")) {
            case "cooling" -> key + " <span class=\"badge warn\">cooling</span> until "
                    + clock(k.path("until").asString(""));
            case "disabled" -> key + " <span class=\"badge bad\" title=\"" + Html.esc(k.path("reason").asString(""))
                    + "\">disabled</span>";
            default -> key;
        };
    }

    /** Each limit with its use now, and the quota left when it is below all of it. */
    private static Raw limits(JsonNode live) {
        List<String> lines = new ArrayList<>();
        for (JsonNode u : live.path("limits")) {
            String limit = u.path("limit").asString();
            long used = u.path("used").asLong();
            long max = u.path("max").asLong();
            String label = switch (limit) {
                case "rpm" -> "requests/min";
                case "tpm" -> "tokens/min";
                case "concurrent" -> "in flight";
                case "tokens_per_day" -> "tokens/day";
                case "usd_per_day" -> "USD/day";
                case "usd_per_month" -> "USD/month";
                default -> limit;
            };
            String amounts = limit.startsWith("usd_")
                    ? Num.usd(java.math.BigDecimal.valueOf(used, 6).toPlainString()) + " / "
                            + Num.usd(java.math.BigDecimal.valueOf(max, 6).toPlainString())
                    : Num.count(used) + " / " + Num.count(max);
            lines.add(Html.esc(label) + " " + Html.esc(amounts) + " (" + Math.max(0, max - used) + " left)");
        }
        double left = live.path("quota_remaining").asDouble(1.0);
        if (left < 1.0) {
            lines.add("quota left " + Math.round(left * 100) + " %");
        }
        return lines.isEmpty() ? Html.raw("<span class=\"muted\">none</span>") : Html.raw(String.join("<br>", lines));
    }

    /** An ISO instant as {@code 14:02:07 UTC}. */
    private static String clock(String iso) {
        try {
            return CLOCK_TIME.format(java.time.Instant.parse(iso)) + " UTC";
        } catch (java.time.format.DateTimeParseException e) {
            return "?";
        }
    }

    private static Raw testButton(Me me, long id) {
        if (!me.manages()) {
            return Html.EMPTY;
        }
        return f("""
                <form method="post" action="/channels/%s/test" class="inline" hx-post="/channels/%s/test" hx-target="#test-%s" hx-swap="innerHTML">%s<button type="submit" class="link">Test</button></form>""",
                id, id, id, Layout.csrf(me));
    }

    private Answer test(Req req) {
        Me me = req.me().orElseThrow();
        String id = Req.enc(req.param("id"));
        ApiAnswer answer = req.send("POST", "/api/channels/" + id + "/test", AuthPages.json());
        Raw result;
        if (!answer.ok()) {
            result = f("<p class=\"alert\">%s</p>", answer.message());
        } else {
            JsonNode r = answer.body();
            result = r.path("ok").asBoolean()
                    ? f("<p class=\"notice\">OK in %s ms (%s → %s): “%s”</p>", r.path("latency_ms").asLong(),
                            r.path("model").asString(), r.path("upstream_model").asString(), r.path("answer").asString(""))
                    : f("<p class=\"alert\">Failed after %s ms%s: %s</p>", r.path("latency_ms").asLong(),
                            r.path("status").asInt() > 0 ? " (status " + r.path("status").asInt() + ")" : "",
                            r.path("error").asString(""));
        }
        if (req.htmx()) {
            return Answer.page(result.html());
        }
        return Answer.page(Layout.page(me, "Channel test", "/channels", f("%s<p><a href=\"/channels\">Back to the channels</a></p>", result)));
    }

    private Answer toggle(Req req, boolean on) {
        ObjectNode body = AuthPages.json();
        body.put("enabled", on);
        ApiAnswer answer = req.send("PATCH", "/api/channels/" + Req.enc(req.param("id")), body);
        if (!answer.ok()) {
            return Errors.api(req.me().orElseThrow(), "/channels", answer);
        }
        return Answer.redirect("/channels?done=" + (on ? "enabled" : "disabled"));
    }

    private Answer delete(Req req) {
        ApiAnswer answer = req.send("DELETE", "/api/channels/" + Req.enc(req.param("id")), null);
        if (!answer.ok()) {
            return Errors.api(req.me().orElseThrow(), "/channels", answer);
        }
        return Answer.redirect("/channels?done=deleted");
    }

    private Answer edit(Req req) {
        ApiAnswer channel = req.get("/api/channels/" + Req.enc(req.param("id")));
        if (!channel.ok()) {
            return Errors.api(req.me().orElseThrow(), "/channels", channel);
        }
        JsonNode c = channel.body();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("name", c.path("name").asString());
        values.put("type", c.path("type").asString());
        values.put("base_url", c.path("base_url").asString());
        values.put("priority", Integer.toString(c.path("priority").asInt()));
        values.put("weight", Integer.toString(c.path("weight").asInt(1)));
        values.put("retries", Integer.toString(c.path("retries").asInt()));
        values.put("key_selection", c.path("key_selection").asString("round_robin"));
        if (c.path("responses").asBoolean()) {
            values.put("responses", "on");
        }
        values.put("_loaded", "1");
        return form(req, c, Fields.of(Form.of(values)), 200);
    }

    /** The add or edit form; {@code channel} is null for a new one. */
    private Answer form(Req req, JsonNode channel, Fields fields, int status) {
        Me me = req.me().orElseThrow();
        if (channel != null && channel.path("read_only").asBoolean()) {
            return Errors.page(409, "This channel is declared in the config file: change it there and reload.");
        }
        List<String[]> rows = new ArrayList<>();
        List<String> publics = fields.form().all("model_public");
        List<String> upstreams = fields.form().all("model_upstream");
        if (fields.form().has("model_public")) {
            for (int i = 0; i < publics.size(); i++) {
                rows.add(new String[] {publics.get(i), i < upstreams.size() ? upstreams.get(i) : ""});
            }
        } else if (channel != null) {
            channel.path("models").properties().forEach(e -> rows.add(new String[] {e.getKey(),
                    e.getValue().asString().equals(e.getKey()) ? "" : e.getValue().asString()}));
        }
        rows.removeIf(r -> r[0].isBlank() && r[1].isBlank());
        for (int i = 0; i < SPARE_ROWS; i++) {
            rows.add(new String[] {"", ""});
        }
        int[] n = {0};
        Raw modelRows = Html.join(rows.stream().map(r -> {
            int i = ++n[0];
            return f("""
                    <tr><td><input name="model_public" value="%s" aria-label="Public model name %s" placeholder="gpt-4o-mini"></td>
                      <td><input name="model_upstream" value="%s" aria-label="Upstream model name %s" placeholder="same as the public name"></td></tr>
                    """, r[0], i, r[1], i);
        }));
        List<String> masked = new ArrayList<>();
        if (channel != null) {
            channel.path("api_keys").forEach(k -> masked.add(k.asString()));
        }
        String id = channel == null ? "" : Long.toString(channel.path("id").asLong());
        Raw content = f("""
                %s
                <form method="post" action="%s" class="card channel-form">
                  %s
                  <div class="grid-form">%s%s%s</div>
                  <fieldset class="field%s">
                    <legend>Models</legend>
                    <p class="hint">Each public model name clients ask for, and the provider's name for it when it differs.</p>
                    <table class="models-editor"><thead><tr><th>Public name</th><th>Upstream name</th></tr></thead>
                      <tbody id="model-rows">%s</tbody></table>
                    <button type="button" class="secondary" data-add-row="model-rows">Add a model</button>
                    %s
                  </fieldset>
                  <div class="field%s">
                    %s
                    %s
                  </div>
                  <div class="grid-form">%s%s%s%s%s</div>
                  <div class="actions"><button type="submit">%s</button> <a href="/channels">Cancel</a></div>
                </form>
                """, fields.alert(), channel == null ? "/channels" : "/channels/" + id, Layout.csrf(me),
                fields.input("name", "Name", "text", "required autocomplete=\"off\""),
                fields.select("type", "Type", TYPES, "openai"),
                fields.input("base_url", "Base URL", "url", "required placeholder=\"https://api.openai.com\""),
                Html.raw(fields.errorOf("models") != null ? " invalid" : ""), modelRows, fields.errorFor("models"),
                Html.raw(fields.errorOf("api_keys") != null ? " invalid" : ""),
                masked.isEmpty() ? Html.EMPTY : f("<p>Current keys: <code>%s</code> (shown only by their last four characters)</p>",
                        String.join(" ", masked)),
                fields.textarea("api_keys", masked.isEmpty() ? "Provider API keys" : "Replace the keys with",
                        masked.isEmpty() ? "One key per line; several keys take turns and rest one by one when rate-limited."
                                : "Leave empty to keep the current keys. One key per line.",
                        "autocomplete=\"off\" spellcheck=\"false\""),
                fields.input("priority", "Priority (higher first)", "number", ""),
                fields.input("weight", "Weight (share within a priority)", "number", "min=\"1\""),
                fields.input("retries", "Retries on this channel", "number", "min=\"0\""),
                fields.select("key_selection", "Key selection", SELECTIONS, "round_robin"),
                fields.checkbox("responses", "Serves OpenAI's Responses API (OpenAI type only)", false),
                channel == null ? "Add channel" : "Save");
        return Answer.page(status, Layout.page(me, channel == null ? "Add a channel" : "Channel " + channel.path("name").asString(),
                "/channels", content));
    }

    /** The API body of a submitted form. */
    private static ObjectNode body(Form form, boolean create) {
        ObjectNode body = AuthPages.json();
        body.put("name", form.get("name").strip());
        body.put("type", form.get("type"));
        body.put("base_url", form.get("base_url").strip());
        ObjectNode models = body.putObject("models");
        List<String> publics = form.all("model_public");
        List<String> upstreams = form.all("model_upstream");
        for (int i = 0; i < publics.size(); i++) {
            String name = publics.get(i).strip();
            String upstream = i < upstreams.size() ? upstreams.get(i).strip() : "";
            if (!name.isEmpty()) {
                models.put(name, upstream.isEmpty() ? name : upstream);
            }
        }
        if (models.isEmpty()) {
            body.remove("models");
        }
        ArrayNode keys = body.arrayNode();
        Arrays.stream(form.get("api_keys").split("\\R")).map(String::strip).filter(k -> !k.isEmpty()).forEach(keys::add);
        if (!keys.isEmpty()) {
            body.set("api_keys", keys);
        }
        number(form, body, "priority");
        number(form, body, "weight");
        number(form, body, "retries");
        body.put("key_selection", form.get("key_selection").isEmpty() ? "round_robin" : form.get("key_selection"));
        if (form.has("responses")) {
            body.put("responses", true);
        } else if (!create) {
            body.putNull("responses");
        }
        return body;
    }

    private static void number(Form form, ObjectNode body, String field) {
        form.text(field).ifPresent(text -> {
            try {
                body.put(field, Long.parseLong(text));
            } catch (NumberFormatException e) {
                body.put(field, text);
            }
        });
    }

    private Answer create(Req req) {
        Form form = req.form();
        ApiAnswer answer = req.send("POST", "/api/channels", body(form, true));
        if (answer.ok()) {
            return Answer.redirect("/channels?done=created");
        }
        return form(req, null, Fields.of(form).error(answer, FIELDS), 422);
    }

    private Answer save(Req req) {
        String id = Req.enc(req.param("id"));
        ApiAnswer before = req.get("/api/channels/" + id);
        if (!before.ok()) {
            return Errors.api(req.me().orElseThrow(), "/channels", before);
        }
        Form form = req.form();
        ApiAnswer answer = req.send("PATCH", "/api/channels/" + id, body(form, false));
        if (answer.ok()) {
            return Answer.redirect("/channels?done=saved");
        }
        return form(req, before.body(), Fields.of(form).error(answer, FIELDS), 422);
    }
}
