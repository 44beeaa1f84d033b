package dev.junction.admin.web;

import static dev.junction.admin.web.Html.f;

import dev.junction.admin.ApiAnswer;
import dev.junction.admin.web.Dashboard.PageRoute;
import dev.junction.admin.web.Html.Raw;
import dev.junction.core.Clock;
import dev.junction.core.EndReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Logs: every request with filters (time, key, user, model, channel, status, end reason), keyset
 * paging, a CSV export of the same filter, and one request's detail with every attempt.
 */
final class LogsPage {

    private static final List<String> FILTERS = List.of("key_id", "user_id", "model", "endpoint", "channel_id", "status",
            "end_reason");
    private static final int PAGE = 50;

    private final Clock clock;

    LogsPage(Clock clock) {
        this.clock = clock;
    }

    List<PageRoute> routes() {
        return List.of(
                new PageRoute("GET", "/logs", false, this::list),
                new PageRoute("GET", "/logs/{request_id}", false, this::detail));
    }

    private Answer list(Req req) {
        Me me = req.me().orElseThrow();
        Ranges range = Ranges.of(req, clock.now());
        Map<String, String> filters = new LinkedHashMap<>();
        for (String name : FILTERS) {
            req.query(name).ifPresent(v -> filters.put(name, v));
        }
        StringBuilder query = new StringBuilder(range.query());
        filters.forEach((name, value) -> query.append('&').append(name).append('=').append(Req.enc(value)));
        String cursor = req.query("cursor").orElse("");
        ApiAnswer rows = req.get("/api/usage/requests?limit=" + PAGE + "&" + query
                + (cursor.isEmpty() ? "" : "&cursor=" + Req.enc(cursor)));
        Fields form = Fields.of(Form.of(filters)).in("logs");
        if (!rows.ok()) {
            if (rows.status() == 403) {
                return Errors.api(me, "/logs", rows);
            }
            form.error(rows, java.util.Set.copyOf(FILTERS));
        }
        Raw table = Html.join(UserPages.data(rows).stream().map(r -> f("""
                <tr>
                  <td>%s</td><td>%s</td><td>%s</td><td>%s</td>
                  <td><span class="badge %s">%s</span></td><td>%s</td>
                  <td class="num">%s / %s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td>
                  <td class="num"><a href="/logs/%s">%s</a></td>
                </tr>
                """, Html.raw(Time.tag(r.path("at").asString())), r.path("key").asString("—"),
                modelCell(r), r.path("channel").asString("—"),
                r.path("status").asInt() < 400 ? "good" : r.path("status").asInt() < 500 ? "warn" : "bad",
                r.path("status").asInt(), r.path("end_reason").asString(),
                Num.compact(r.path("tokens").path("input").asLong()),
                Num.compact(r.path("tokens").path("output").asLong()),
                r.path("cost_usd").isNull() ? "—" : Num.usd(r.path("cost_usd").asString()),
                Num.ms(r.path("latency_ms")), Num.ms(r.path("ttft_ms")), Req.enc(r.path("request_id").asString()),
                r.path("attempt_count").asInt() + (r.path("attempt_count").asInt() == 1 ? " attempt" : " attempts"))));
        String here = "/logs?" + range.pageQuery() + filterQuery(filters);
        JsonNode next = rows.body().path("next_cursor");
        Raw pager = f("%s %s", cursor.isEmpty() ? Html.EMPTY : f("<a href=\"%s\">Newest</a>", here),
                next.isString() ? f("<a href=\"%s&amp;cursor=%s\" rel=\"next\">Older requests</a>", Html.raw(Html.esc(here)),
                        Req.enc(next.asString())) : Html.EMPTY);
        Raw content = f("""
                %s
                %s
                <form method="get" action="/logs" class="card filters" aria-label="Filters">
                  <input type="hidden" name="range" value="%s">
                  <input type="hidden" name="from" value="%s">
                  <input type="hidden" name="to" value="%s">
                  %s%s%s%s%s%s%s
                  <div class="actions"><button type="submit">Filter</button> <a href="/logs?%s">Clear</a>
                    <a class="export" href="/api/usage/export?%s" download>Export CSV</a></div>
                </form>
                <div class="table-wrap"><table class="logs">
                  <thead><tr><th>When</th><th>Key</th><th>Model</th><th>Channel</th><th>Status</th><th>End</th>
                    <th class="num">Tokens in / out</th><th class="num">Cost</th><th class="num">Latency</th>
                    <th class="num">First token</th><th class="num">Detail</th></tr></thead>
                  <tbody>%s</tbody>
                </table></div>
                <nav class="pager" aria-label="Pages">%s</nav>
                """, range.picker("/logs"), form.alert(), range.name(), range.fromDay(), range.toDay(),
                choice(req, form, range, "key_id", "Key", "key"),
                choice(req, form, range, "user_id", "User", "user"),
                choice(req, form, range, "model", "Model", "model"),
                form.select("endpoint", "Endpoint", ENDPOINTS, ""),
                choice(req, form, range, "channel_id", "Channel", "channel"),
                form.input("status", "Status", "number", "min=\"100\" max=\"599\""),
                form.select("end_reason", "End reason", endReasons(), ""), range.pageQuery(), query.toString(),
                UserPages.data(rows).isEmpty() ? Html.raw("<tr><td colspan=\"11\">No requests match.</td></tr>")
                        : table, pager);
        return Answer.page(Layout.page(me, "Logs", "/logs", content));
    }

    /** The endpoints a usage row can name, "Any" first. */
    private static final List<String[]> ENDPOINTS = endpoints();

    private static List<String[]> endpoints() {
        List<String[]> options = new ArrayList<>();
        options.add(new String[] {"", "Any"});
        for (String e : List.of("chat", "embeddings", "images/generations", "images/edits", "images/variations",
                "audio/speech", "audio/transcriptions", "audio/translations", "moderations", "rerank")) {
            options.add(new String[] {e, e});
        }
        return options;
    }

    private static String filterQuery(Map<String, String> filters) {
        StringBuilder out = new StringBuilder();
        filters.forEach((name, value) -> out.append('&').append(name).append('=').append(Req.enc(value)));
        return out.toString();
    }

    private static List<String[]> endReasons() {
        List<String[]> options = new ArrayList<>();
        options.add(new String[] {"", "Any"});
        Arrays.stream(EndReason.values()).map(EndReason::recordName).forEach(r -> options.add(new String[] {r, r}));
        return options;
    }

    /**
     * A select of what had traffic in the range (the stats API's top list gives ids and names), so
     * one picks a key or channel by name; "Any" first.
     */
    private static Raw choice(Req req, Fields form, Ranges range, String field, String label, String by) {
        ApiAnswer top = req.get("/api/usage/top?by=" + by + "&limit=100&" + range.query());
        List<String[]> options = new ArrayList<>();
        options.add(new String[] {"", "Any"});
        if (top.ok()) {
            for (JsonNode group : UserPages.data(top)) {
                if (group.path("key").isString() && !group.path("key").asString().equals("other")) {
                    options.add(new String[] {group.path("key").asString(), group.path("name").asString()});
                }
            }
        }
        String current = form.value(field);
        if (!current.isEmpty() && options.stream().noneMatch(o -> o[0].equals(current))) {
            options.add(new String[] {current, current});
        }
        return form.select(field, label, options, "");
    }

    private Answer detail(Req req) {
        Me me = req.me().orElseThrow();
        ApiAnswer row = req.get("/api/usage/requests/" + Req.enc(req.param("request_id")));
        if (!row.ok()) {
            return Errors.api(me, "/logs", row);
        }
        JsonNode r = row.body();
        Raw attempts = Html.join(streamOf(r.path("attempts")).map(a -> f("""
                <tr><td class="num">%s</td><td>%s</td><td><code>%s</code></td><td><span class="badge %s">%s</span></td><td>%s</td><td class="num">%s</td></tr>
                """, a.index, a.node.path("channel").asString("—"),
                a.node.path("key").asString("").isEmpty() ? "—" : "…" + a.node.path("key").asString(),
                a.node.path("status").asInt() > 0 && a.node.path("status").asInt() < 400 ? "good" : "bad",
                a.node.path("status").asInt() == 0 ? "—" : Integer.toString(a.node.path("status").asInt()),
                a.node.path("outcome").asString(""), Num.ms(a.node.path("ms")))));
        JsonNode tokens = r.path("tokens");
        Raw content = f("""
                <dl class="facts">
                  <dt>Request id</dt><dd><code>%s</code></dd>
                  <dt>When</dt><dd>%s</dd>
                  <dt>Key</dt><dd>%s</dd>
                  <dt>Client API</dt><dd>%s%s</dd>
                  <dt>Model</dt><dd>%s → %s</dd>
                  <dt>Served by</dt><dd>%s</dd>
                  <dt>Status</dt><dd>%s (%s)</dd>
                  <dt>Endpoint</dt><dd data-fact="endpoint">%s</dd>
                  <dt>Billed by</dt><dd data-fact="units">%s</dd>
                  <dt>Tokens</dt><dd>%s in, %s out, %s cached, %s reasoning (%s)</dd>
                  <dt>Cost</dt><dd>%s</dd>
                  <dt>Latency</dt><dd>%s, first token after %s</dd>
                  <dt>Routing version</dt><dd>%s</dd>
                  <dt>Client address</dt><dd>%s</dd>
                </dl>
                <h2>Attempts</h2>
                <div class="table-wrap"><table class="attempts">
                  <thead><tr><th class="num">#</th><th>Channel</th><th>Key</th><th>Status</th><th>Outcome</th><th class="num">Time</th></tr></thead>
                  <tbody>%s</tbody>
                </table></div>
                <p><a href="/logs">All requests</a></p>
                """, r.path("request_id").asString(), Html.raw(Time.tag(r.path("at").asString())),
                r.path("key").asString("—"), r.path("client_api").asString("—"),
                r.path("stream").asBoolean() ? ", streamed" : "", r.path("model").asString("—"),
                r.path("upstream_model").asString("—"), r.path("channel").asString("—"), r.path("status").asInt(),
                r.path("end_reason").asString(), r.path("endpoint").asString("—"), units(r.path("units")),
                Num.count(tokens.path("input").asLong()),
                Num.count(tokens.path("output").asLong()), Num.count(tokens.path("cached_read").asLong()),
                Num.count(tokens.path("reasoning").asLong()), r.path("token_source").asString("reported"),
                r.path("cost_usd").isNull() ? "unknown (no price)" : Num.usd(r.path("cost_usd").asString()),
                Num.ms(r.path("latency_ms")), Num.ms(r.path("ttft_ms")),
                r.path("config_version").isNull() ? "—" : r.path("config_version").asString(),
                r.path("client_ip").asString("—"),
                r.path("attempts").isEmpty() ? Html.raw("<tr><td colspan=\"6\">No channel was tried.</td></tr>")
                        : attempts);
        return Answer.page(Layout.page(me, "Request", "/logs", content));
    }

    /** The model, with the endpoint beside it when it is not chat. */
    private static Raw modelCell(JsonNode r) {
        String endpoint = r.path("endpoint").asString("");
        return endpoint.isEmpty() || endpoint.equals("chat") ? f("%s", r.path("model").asString("—"))
                : f("%s <span class=\"muted\">%s</span>", r.path("model").asString("—"), endpoint);
    }

    /** What a row is billed by, e.g. {@code 2 images (1024x1024 hd)} or {@code 95 s of audio, estimated}. */
    static String units(JsonNode units) {
        if (!units.path("unit").isString()) {
            return "—";
        }
        String detail = units.path("detail").asString("");
        return Num.units(units.path("count").asLong(), units.path("unit").asString())
                + (detail.isEmpty() ? "" : " (" + detail + ")")
                + (units.path("estimated").asBoolean() ? ", estimated from the upload" : "");
    }

    private record Indexed(int index, JsonNode node) {
    }

    private static java.util.stream.Stream<Indexed> streamOf(JsonNode array) {
        List<Indexed> out = new ArrayList<>();
        int i = 1;
        for (JsonNode node : array) {
            out.add(new Indexed(i++, node));
        }
        return out.stream();
    }

}
