package dev.junction.admin.web;

import static dev.junction.admin.web.Html.f;

import dev.junction.admin.ApiAnswer;
import dev.junction.admin.web.Dashboard.PageRoute;
import dev.junction.admin.web.Html.Raw;
import dev.junction.core.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The overview: requests, success rate, tokens, cost, latency and time to first token over a range;
 * requests and cost over time; consumption by endpoint (with each one's units), model, channel, key
 * and user. Everything comes from
 * the stats API, which reads the rollups (never a scan of the raw rows).
 */
final class OverviewPage {

    private static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAYS = DateTimeFormatter.ofPattern("MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_HOURS = DateTimeFormatter.ofPattern("MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);
    private static final List<String[]> BREAKDOWNS = List.of(new String[] {"model", "Models"},
            new String[] {"channel", "Channels"}, new String[] {"key", "Keys"}, new String[] {"user", "Users"});

    private final Clock clock;

    OverviewPage(Clock clock) {
        this.clock = clock;
    }

    List<PageRoute> routes() {
        return List.of(new PageRoute("GET", "/", false, this::show));
    }

    private Answer show(Req req) {
        Me me = req.me().orElseThrow();
        Ranges range = Ranges.of(req, clock.now());
        // Every read of the page at once: the public models first (the channels' states are
        // explained per model), then the stats, each a few rollup reads of its own.
        StatsReads stats = StatsReads.of(range);
        List<String> reads = new java.util.ArrayList<>(me.seesAll() ? List.of("/api/routing/rules", "/api/channels")
                : List.of());
        reads.addAll(List.of(stats.summary(), stats.series(), stats.versions(), stats.endpoints(),
                stats.endpointTotals(), stats.endpointSeries(), stats.tokensByModel()));
        BREAKDOWNS.forEach(b -> reads.add(breakdownQuery(range, b[0])));
        reads.add("/api/limits");
        req.prefetch(reads.toArray(String[]::new));
        java.util.SortedSet<String> models = me.seesAll() ? RoutingPage.publicModels(req) : new java.util.TreeSet<>();
        req.prefetch(models.stream().map(OverviewPage::explainQuery).toArray(String[]::new));
        ApiAnswer summary = req.get(stats.summary());
        if (!summary.ok()) {
            return Errors.api(me, "/", summary);
        }
        ApiAnswer series = req.get(stats.series());
        // The version timeline: routing-config versions made in the range, as markers on the chart
        // (left out for a caller who may not read versions).
        ApiAnswer versions = req.get(stats.versions());
        List<JsonNode> marks = versions.ok() ? UserPages.data(versions).reversed() : List.of();
        JsonNode totals = summary.body().path("totals");
        Raw breakdowns = Html.join(java.util.stream.Stream.concat(java.util.stream.Stream.of(endpoints(req, stats)),
                BREAKDOWNS.stream().map(b -> breakdown(req, range, b[0], b[1]))));
        Raw content = f("""
                %s
                %s
                <section class="split">
                  <div class="card">
                    <h2>Requests and cost over time <span class="muted">(UTC, per %s)</span></h2>
                    <div class="chart"><canvas role="img" aria-label="Requests and cost over time" data-chart="%s"></canvas></div>
                    %s
                  </div>
                  %s
                </section>
                %s
                <section aria-labelledby="consumption">
                  <h2 id="consumption">Consumption</h2>
                  <div class="split consumption">%s</div>
                </section>
                <p class="hint">Usage is counted as requests finish. <a href="/logs?%s">See each request in Logs</a>.</p>
                """, range.picker("/"), cards(totals), summary.body().path("bucket").asString(),
                series.ok() ? chart(series.body(), marks, range.from().toEpochMilli(), range.to().toEpochMilli())
                        : "{}", timeline(marks), modelShare(req, stats), now(req, me, models), breakdowns,
                range.pageQuery());
        return Answer.page(Layout.page(me, "Overview", "/", content));
    }

    private static Raw cards(JsonNode t) {
        long requests = t.path("requests").asLong();
        JsonNode tokens = t.path("tokens");
        return f("""
                <div class="cards stats" aria-label="Totals">
                  <div class="card"><div class="stat-label">Requests</div><div class="stat" data-stat="requests">%s</div>
                    <div class="muted">%s failed over to another channel</div></div>
                  <div class="card"><div class="stat-label">Success rate</div><div class="stat" data-stat="success">%s</div>
                    <div class="muted">%s client errors, %s server errors</div></div>
                  <div class="card"><div class="stat-label">Tokens</div><div class="stat" data-stat="tokens">%s</div>
                    <div class="muted">%s in, %s out, %s cached</div></div>
                  <div class="card"><div class="stat-label">Cost</div><div class="stat" data-stat="cost">%s</div>
                    <div class="muted">%s</div></div>
                  <div class="card"><div class="stat-label">Latency p50 / p95</div><div class="stat" data-stat="latency">%s / %s</div>
                    <div class="muted">whole request</div></div>
                  <div class="card"><div class="stat-label">Time to first token p50 / p95</div><div class="stat" data-stat="ttft">%s / %s</div>
                    <div class="muted">streams only</div></div>
                </div>
                """, Num.count(requests), Num.count(t.path("failovers").asLong()), Num.percent(t.path("success_rate")),
                Num.count(t.path("client_errors").asLong()), Num.count(t.path("server_errors").asLong()),
                Num.compact(tokens.path("input").asLong() + tokens.path("output").asLong()),
                Num.compact(tokens.path("input").asLong()), Num.compact(tokens.path("output").asLong()),
                Num.compact(tokens.path("cached_read").asLong()), Num.usd(t.path("cost").path("usd").asString("0")),
                t.path("cost").path("unknown_requests").asLong() > 0
                        ? t.path("cost").path("unknown_requests").asLong() + " requests without a known price"
                        : "at the channels' prices",
                Num.ms(t.path("latency_ms").path("p50")), Num.ms(t.path("latency_ms").path("p95")),
                Num.ms(t.path("ttft_ms").path("p50")), Num.ms(t.path("ttft_ms").path("p95")));
    }

    /** The versions of the range as a list under the chart: what each marker is. */
    static Raw timeline(List<JsonNode> versions) {
        if (versions.isEmpty()) {
            return Html.EMPTY;
        }
        return f("""
                <ol class="timeline plain" data-timeline aria-label="Routing-config versions in this range">%s</ol>
                """, Html.join(versions.stream().map(v -> f("""
                <li><a href="/baselines?version=%s">v%s</a> %s <span class="muted">%s: %s</span></li>
                """, v.path("version").asLong(), v.path("version").asLong(), Html.raw(Time.tag(v.path("at").asString())),
                v.path("actor").asString(), v.path("summary").asString()))));
    }

    /** The chart spec without version markers. */
    static String chart(JsonNode series) {
        return chart(series, List.of(), -1, -1);
    }

    /**
     * The chart spec app.js draws: requests (left axis) and cost in dollars (right axis) per bucket,
     * every bucket of [{@code from}, {@code to}) (empty ones as 0, so time runs evenly), and a
     * marker at the bucket of each routing-config version in {@code versions}.
     */
    static String chart(JsonNode series, List<JsonNode> versions, long from, long to) {
        String bucket = series.path("bucket").asString("hour");
        DateTimeFormatter format = bucket.equals("day") ? DAYS : bucket.equals("minute") ? MINUTES : DAY_HOURS;
        long width = bucket.equals("day") ? 86_400_000L : bucket.equals("minute") ? 60_000L : 3_600_000L;
        if (from >= 0 && to > from && (to - from) / width <= 2000) {
            return dense(series, versions, format, width, from, to);
        }
        ObjectNode spec = JsonNodeFactory.instance.objectNode();
        spec.put("type", "bar");
        ArrayNode labels = spec.putArray("labels");
        ArrayNode seriesArray = spec.putArray("series");
        ObjectNode requests = seriesArray.addObject();
        requests.put("label", "Requests");
        ArrayNode requestData = requests.putArray("data");
        ObjectNode cost = seriesArray.addObject();
        cost.put("label", "Cost ($)");
        cost.put("axis", "y2");
        cost.put("kind", "line");
        ArrayNode costData = cost.putArray("data");
        for (JsonNode point : series.path("data")) {
            labels.add(format.format(Instant.parse(point.path("t").asString())));
            requestData.add(point.path("totals").path("requests").asLong());
            costData.add(Double.parseDouble(point.path("totals").path("cost").path("usd").asString("0")));
        }
        return spec.toString();
    }

    private static String dense(JsonNode series, List<JsonNode> versions, DateTimeFormatter format, long width,
            long from, long to) {
        java.util.Map<Long, JsonNode> byBucket = new java.util.HashMap<>();
        for (JsonNode point : series.path("data")) {
            byBucket.put(Instant.parse(point.path("t").asString()).toEpochMilli(), point.path("totals"));
        }
        long start = Math.floorDiv(from, width) * width;
        ObjectNode spec = JsonNodeFactory.instance.objectNode();
        spec.put("type", "bar");
        ArrayNode labels = spec.putArray("labels");
        ArrayNode seriesArray = spec.putArray("series");
        ObjectNode requests = seriesArray.addObject();
        requests.put("label", "Requests");
        ArrayNode requestData = requests.putArray("data");
        ObjectNode cost = seriesArray.addObject();
        cost.put("label", "Cost ($)");
        cost.put("axis", "y2");
        cost.put("kind", "line");
        ArrayNode costData = cost.putArray("data");
        for (long t = start; t < to; t += width) {
            labels.add(format.format(Instant.ofEpochMilli(t)));
            JsonNode totals = byBucket.get(t);
            requestData.add(totals == null ? 0 : totals.path("requests").asLong());
            costData.add(totals == null ? 0 : Double.parseDouble(totals.path("cost").path("usd").asString("0")));
        }
        ArrayNode markers = spec.putArray("markers");
        for (JsonNode v : versions) {
            long at = Instant.parse(v.path("at").asString()).toEpochMilli();
            if (at >= start && at < to) {
                ObjectNode marker = markers.addObject();
                marker.put("index", (at - start) / width);
                marker.put("label", "v" + v.path("version").asLong());
            }
        }
        return spec.toString();
    }

    /**
     * Right now: channels left out of routing (cooling, breaker open, at a limit, disabled), from the
     * routing API's explain of every public model; and spend against budgets, from the limits API.
     * A part whose API this gateway does not have, or the caller may not read, is left out.
     *
     * @param models the public models ({@link RoutingPage#publicModels}), for a caller who sees everything
     */
    private static Raw now(Req req, Me me, java.util.SortedSet<String> models) {
        List<Raw> parts = new java.util.ArrayList<>();
        if (me.seesAll()) {
            java.util.Map<String, String> out = new java.util.TreeMap<>();
            boolean explained = false;
            for (String model : models) {
                ApiAnswer explain = req.get(explainQuery(model));
                if (!explain.ok()) {
                    continue;
                }
                explained = true;
                for (JsonNode x : explain.body().path("excluded")) {
                    String reason = x.path("reason").asString("");
                    if (!reason.equals("capability")) {
                        out.merge(x.path("channel").asString(), state(x), (a, b) -> a.equals(b) ? a : a + "; " + b);
                    }
                }
            }
            if (explained) {
                Raw items = Html.join(out.entrySet().stream().map(e -> f("<li data-channel=\"%s\"><strong>%s</strong> %s</li>",
                        e.getKey(), e.getKey(), e.getValue())));
                parts.add(f("""
                        <div class="card" data-now="channels">
                          <h2>Channels out of rotation now</h2>
                          %s
                          <p><a href="/routing">Routing explained</a></p>
                        </div>
                        """, out.isEmpty() ? Html.raw("<p class=\"badge good\">Every channel is in rotation.</p>")
                        : f("<ul class=\"plain\">%s</ul>", items)));
            }
        }
        ApiAnswer limits = req.get("/api/limits");
        if (limits.ok()) {
            List<JsonNode> budgets = UserPages.data(limits).stream().filter(q -> q.path("budget").isObject()).toList();
            if (!budgets.isEmpty()) {
                Raw rows = Html.join(budgets.stream().map(q -> f("""
                        <tr><td>%s <span class="muted">(%s)</span></td><td class="num">%s / %s per %s</td>
                          <td><progress max="%s" value="%s" aria-label="budget spent">%s</progress></td></tr>
                        """, q.path("name").asString(), q.path("subject").asString(),
                        Num.usd(q.path("usage").path("spend_usd").asString("0")),
                        Num.usd(q.path("budget").path("usd").asString("0")), q.path("budget").path("period").asString(),
                        q.path("budget").path("usd").asString("0"), q.path("usage").path("spend_usd").asString("0"),
                        q.path("usage").path("spend_usd").asString("0"))));
                parts.add(f("""
                        <div class="card" data-now="budgets">
                          <h2>Spend against budgets</h2>
                          <div class="table-wrap"><table><tbody>%s</tbody></table></div>
                          <p><a href="/budgets">Budgets & limits</a></p>
                        </div>
                        """, rows));
            }
        }
        return parts.isEmpty() ? Html.EMPTY : f("<section class=\"split\" aria-label=\"Right now\">%s</section>",
                Html.join(parts));
    }

    private static String explainQuery(String model) {
        return "/api/routing/explain?model=" + Req.enc(model);
    }

    /**
     * A channel's state as the Overview shows it: {@code cooling until 14:02:07} (UTC, the time a
     * cooldown, open breaker or limit ends), else the reason and its detail.
     */
    static String state(JsonNode x) {
        String reason = x.path("reason").asString("");
        String until = x.path("until").asString("");
        if (!until.isEmpty()) {
            try {
                return reason + " until " + CLOCK_TIME.format(Instant.parse(until)) + " UTC";
            } catch (java.time.format.DateTimeParseException e) {
                // Shown with its detail below.
            }
        }
        return reason + (x.path("detail").asString("").isEmpty() ? "" : ": " + x.path("detail").asString());
    }

    /** A doughnut of the tokens each public model consumed: the "model consumption distribution". */
    private static Raw modelShare(Req req, StatsReads stats) {
        ApiAnswer top = req.get(stats.tokensByModel());
        ObjectNode spec = JsonNodeFactory.instance.objectNode();
        spec.put("type", "doughnut");
        ArrayNode labels = spec.putArray("labels");
        ObjectNode tokens = spec.putArray("series").addObject();
        tokens.put("label", "Tokens");
        ArrayNode data = tokens.putArray("data");
        if (top.ok()) {
            for (JsonNode group : UserPages.data(top)) {
                labels.add(group.path("name").isNull() ? "(none)" : group.path("name").asString());
                JsonNode t = group.path("totals").path("tokens");
                data.add(t.path("input").asLong() + t.path("output").asLong());
            }
        }
        return f("""
                <div class="card">
                  <h2>Tokens by model</h2>
                  %s
                </div>
                """, labels.isEmpty() ? Html.raw("<p class=\"muted\">No tokens in this range.</p>")
                : f("<div class=\"chart\"><canvas role=\"img\" aria-label=\"Tokens by model\" data-chart=\"%s\"></canvas></div>",
                        spec.toString()));
    }

    /**
     * Consumption per endpoint: chat, embeddings, images, speech, transcription, moderations, rerank,
     * each with what it is billed by (tokens, images, characters, seconds of audio, searches).
     */
    private static Raw endpoints(Req req, StatsReads stats) {
        ApiAnswer answer = req.get(stats.endpoints());
        if (!answer.ok()) {
            return f("<div class=\"card\"><h2>Endpoints</h2>%s</div>", Layout.alert(answer.message()));
        }
        // Success rate and latency per endpoint: the breakdown by endpoint (same rollups, every measure).
        java.util.Map<String, JsonNode> measured = new java.util.HashMap<>();
        ApiAnswer top = req.get(stats.endpointTotals());
        if (top.ok()) {
            UserPages.data(top).forEach(g -> measured.put(g.path("key").asString(""), g.path("totals")));
        }
        List<JsonNode> groups = UserPages.data(answer);
        Raw rows = Html.join(groups.stream().map(g -> {
            JsonNode t = measured.getOrDefault(g.path("endpoint").asString(""), JsonNodeFactory.instance.objectNode());
            return f("""
                <tr data-endpoint="%s"><td>%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td>
                  <td class="num">%s</td><td class="num">%s</td></tr>
                """, g.path("endpoint").asString(""), g.path("endpoint").isNull() ? "(none)" : g.path("endpoint").asString(),
                Num.count(g.path("requests").asLong()),
                Num.units(g.path("units").asLong(), g.path("unit").asString())
                        + (g.path("estimated_requests").asLong() > 0 ? " (partly estimated)" : ""),
                Num.usd(g.path("cost").path("usd").asString("0")), Num.percent(t.path("success_rate")),
                Num.ms(t.path("latency_ms").path("p95")));
        }));
        return f("""
                <div class="card" data-breakdown="endpoint">
                  <h2>Endpoints</h2>
                  <div class="table-wrap"><table>
                    <thead><tr><th>Endpoint</th><th class="num">Requests</th><th class="num">Billed by</th><th class="num">Cost</th>
                      <th class="num">Success</th><th class="num">p95</th></tr></thead>
                    <tbody>%s</tbody>
                  </table></div>
                </div>
                %s
                """, groups.isEmpty() ? Html.raw("<tr><td colspan=\"6\">No requests in this range.</td></tr>") : rows,
                endpointSeries(req, stats));
    }

    /** Requests per endpoint over time (the six largest, the rest as "other"): series by endpoint. */
    private static Raw endpointSeries(Req req, StatsReads stats) {
        ApiAnswer series = req.get(stats.endpointSeries());
        if (!series.ok() || UserPages.data(series).isEmpty()) {
            return Html.EMPTY;
        }
        String chart = endpointChart(series.body());
        return f("""
                <div class="card" data-series="endpoint">
                  <h2>Requests by endpoint over time</h2>
                  <div class="chart"><canvas role="img" aria-label="Requests by endpoint over time" data-chart="%s"></canvas></div>
                </div>
                """, chart);
    }

    /** The chart spec of a series by endpoint: a line per endpoint over the buckets that have requests. */
    static String endpointChart(JsonNode series) {
        String bucket = series.path("bucket").asString("hour");
        DateTimeFormatter format = bucket.equals("day") ? DAYS : bucket.equals("minute") ? MINUTES : DAY_HOURS;
        java.util.TreeSet<String> times = new java.util.TreeSet<>();
        java.util.Map<String, java.util.Map<String, Long>> lines = new java.util.LinkedHashMap<>();
        for (JsonNode point : series.path("data")) {
            String t = point.path("t").asString();
            times.add(t);
            String name = point.path("name").isNull() ? "(none)" : point.path("name").asString();
            lines.computeIfAbsent(name, k -> new java.util.HashMap<>()).merge(t,
                    point.path("totals").path("requests").asLong(), Long::sum);
        }
        ObjectNode spec = JsonNodeFactory.instance.objectNode();
        spec.put("type", "line");
        ArrayNode labels = spec.putArray("labels");
        times.forEach(t -> labels.add(format.format(Instant.parse(t))));
        ArrayNode lineArray = spec.putArray("series");
        lines.forEach((name, counts) -> {
            ObjectNode line = lineArray.addObject();
            line.put("label", name);
            line.put("kind", "line");
            ArrayNode data = line.putArray("data");
            times.forEach(t -> data.add(counts.getOrDefault(t, 0L)));
        });
        return spec.toString();
    }

    /**
     * The page's stats reads over one range, by what they serve: the same strings are prefetched
     * and then read, so a prefetch never misses.
     */
    private record StatsReads(String summary, String series, String versions, String endpoints, String endpointTotals,
            String endpointSeries, String tokensByModel) {

        static StatsReads of(Ranges range) {
            String q = range.query();
            return new StatsReads("/api/usage/summary?" + q, "/api/usage/series?" + q, "/api/versions?limit=50&" + q,
                    "/api/usage/endpoints?" + q, "/api/usage/top?by=endpoint&limit=20&" + q,
                    "/api/usage/series?by=endpoint&groups=6&" + q, "/api/usage/top?by=model&order=tokens&limit=8&" + q);
        }
    }

    private static String breakdownQuery(Ranges range, String by) {
        return "/api/usage/top?by=" + by + "&order=requests&limit=8&" + range.query();
    }

    private static Raw breakdown(Req req, Ranges range, String by, String title) {
        ApiAnswer top = req.get(breakdownQuery(range, by));
        if (!top.ok()) {
            return f("<div class=\"card\"><h2>%s</h2>%s</div>", title, Layout.alert(top.message()));
        }
        List<JsonNode> groups = UserPages.data(top);
        long total = groups.stream().mapToLong(g -> g.path("totals").path("requests").asLong()).sum();
        Raw rows = Html.join(groups.stream().map(g -> {
            JsonNode t = g.path("totals");
            long requests = t.path("requests").asLong();
            String name = g.path("name").isNull() ? "(none)" : g.path("name").asString();
            return f("""
                    <tr><td>%s</td><td class="num">%s</td>
                      <td><progress max="%s" value="%s" aria-label="share of requests">%s</progress></td>
                      <td class="num">%s</td><td class="num">%s</td></tr>
                    """, name, Num.count(requests), Math.max(total, 1), requests,
                    total == 0 ? "0 %" : Math.round(requests * 100.0 / total) + " %",
                    Num.compact(t.path("tokens").path("input").asLong() + t.path("tokens").path("output").asLong()),
                    Num.usd(t.path("cost").path("usd").asString("0")));
        }));
        return f("""
                <div class="card" data-breakdown="%s">
                  <h2>%s</h2>
                  <div class="table-wrap"><table>
                    <thead><tr><th>Name</th><th class="num">Requests</th><th>Share</th><th class="num">Tokens</th><th class="num">Cost</th></tr></thead>
                    <tbody>%s</tbody>
                  </table></div>
                </div>
                """, by, title, groups.isEmpty() ? Html.raw("<tr><td colspan=\"5\">No requests in this range.</td></tr>")
                : rows);
    }
}
