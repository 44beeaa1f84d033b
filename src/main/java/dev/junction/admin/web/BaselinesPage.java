package dev.junction.admin.web;

import static dev.junction.admin.web.Html.f;

import dev.junction.admin.ApiAnswer;
import dev.junction.admin.web.Dashboard.PageRoute;
import dev.junction.admin.web.Html.Raw;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * Versions and baselines: the current routing-config version's baseline of each public model beside
 * the previous version's, each metric with its 95 % interval and a verdict (a change is called only
 * past the minimum sample and outside the interval); the same per channel; a month's spend per
 * model, team and key at the current version's rate; and every version with who made it and its
 * diff. Built on {@code /api/baselines}, {@code /api/baselines/projection} and {@code /api/versions}.
 */
final class BaselinesPage {

    private static final int VERSIONS = 20;

    private BaselinesPage() {
    }

    static List<PageRoute> routes() {
        return List.of(new PageRoute("GET", "/baselines", false, BaselinesPage::show));
    }

    private static Answer show(Req req) {
        Me me = req.me().orElseThrow();
        String version = digits(req, "version");
        String against = digits(req, "against");
        List<String> query = new ArrayList<>();
        if (!version.isEmpty()) {
            query.add("version=" + version);
        }
        if (!against.isEmpty()) {
            query.add("against=" + against);
        }
        ApiAnswer report = req.get("/api/baselines" + (query.isEmpty() ? "" : "?" + String.join("&", query)));
        if (!report.ok()) {
            return Errors.api(me, "/baselines", report);
        }
        JsonNode r = report.body();
        long current = r.path("version").asLong();
        String previous = r.path("against").isNumber() ? "version " + r.path("against").asLong() : "no earlier version";
        Raw content = f("""
                <p class="hint">Every change of keys, channels, weights or prices is a new routing-config version, and
                each version starts a fresh baseline. A change is called only when both versions have at least %s
                requests and the difference lies outside its 95 % interval; the rest is noise.</p>
                <form class="inline-form compare" method="get" action="/baselines" aria-label="Versions to compare">
                  <label>Version <input name="version" inputmode="numeric" size="6" value="%s" placeholder="%s"></label>
                  <label>Compared with <input name="against" inputmode="numeric" size="6" value="%s"
                    placeholder="%s"></label>
                  <button type="submit">Compare</button>
                </form>
                <h2>Version %s compared with %s</h2>
                %s
                %s
                <section aria-labelledby="per-model">
                  <h2 id="per-model">Per public model</h2>
                  %s
                </section>
                <details class="card per-channel">
                  <summary>Per channel</summary>
                  %s
                </details>
                %s
                %s
                """, r.path("policy").path("min_sample").asLong(), version, current, against,
                r.path("against").isNumber() ? r.path("against").asLong() : "", current, previous,
                since(r.path("changes_since")), flagged(r.path("flagged")),
                comparisons(r.path("models"), r, "No requests under either version yet."),
                comparisons(r.path("channels"), r, "No requests under either version yet."),
                projections(req), versions(req));
        return Answer.page(Layout.page(me, "Versions & baselines", "/baselines", content));
    }

    private static String digits(Req req, String name) {
        return req.query(name).map(String::strip).filter(v -> !v.isEmpty() && v.chars().allMatch(Character::isDigit)
                && v.length() < 12).orElse("");
    }

    private static Raw since(JsonNode changes) {
        if (changes.isEmpty()) {
            return Html.EMPTY;
        }
        return f("<ul class=\"plain since\" aria-label=\"What changed\">%s</ul>", Html.join(
                java.util.stream.StreamSupport.stream(changes.spliterator(), false).map(c -> f(
                        "<li><strong>v%s</strong> %s by %s: %s</li>", c.path("version").asLong(),
                        Html.raw(Time.tag(c.path("at").asString())), c.path("actor").asString(),
                        c.path("summary").asString()))));
    }

    private static Raw flagged(JsonNode flagged) {
        if (flagged.isEmpty()) {
            return Html.raw("<p class=\"badge good\" data-flagged=\"none\">No change called.</p>");
        }
        List<JsonNode> all = new ArrayList<>();
        flagged.forEach(all::add);
        List<JsonNode> models = all.stream().filter(c -> !c.has("channel")).toList();
        long perChannel = all.size() - models.size();
        return f("""
                <div class="card" role="status" data-flagged="some"><h3>Changes called</h3><ul>%s</ul>%s</div>
                """, Html.join(models.stream().map(c -> f("<li><strong>%s</strong>: %s</li>", c.path("model").asString(),
                c.path("text").asString()))), perChannel == 0 ? Html.EMPTY
                : f("<p class=\"muted\">And %s on single channels (see Per channel below).</p>", perChannel));
    }

    private static Raw comparisons(JsonNode list, JsonNode report, String none) {
        if (list.isEmpty()) {
            return f("<p class=\"muted\">%s</p>", none);
        }
        String then = report.path("against").isNumber() ? "v" + report.path("against").asLong() : "—";
        String now = "v" + report.path("version").asLong();
        return Html.join(java.util.stream.StreamSupport.stream(list.spliterator(), false).map(c -> {
            String scope = c.path("model").asString() + (c.has("channel") ? " on " + c.path("channel").asString() : "");
            JsonNode cur = c.path("current");
            JsonNode prev = c.path("previous");
            List<Raw> rows = new ArrayList<>();
            rows.add(f("<tr><th scope=\"row\">Requests</th><td class=\"num\">%s</td><td class=\"num\">%s</td><td></td></tr>",
                    prev.isObject() ? Num.count(prev.path("requests").asLong()) : "—",
                    Num.count(cur.path("requests").asLong())));
            rows.add(row("Cost per request", "cost_per_request", prev, cur, "cost_per_request_usd", c, Kind.USD));
            rows.add(row("Tokens per request", "tokens_per_request", prev, cur, "tokens_per_request", c, Kind.NUMBER));
            rows.add(row("Latency (mean)", "latency_ms", prev, cur, "latency_ms", c, Kind.MS));
            rows.add(percentiles("Latency p50 / p95", prev, cur, "latency_ms"));
            rows.add(row("Time to first token (mean)", "ttft_ms", prev, cur, "ttft_ms", c, Kind.MS));
            rows.add(percentiles("Time to first token p50 / p95", prev, cur, "ttft_ms"));
            rows.add(row("Error rate", "error_rate", prev, cur, "error_rate", c, Kind.RATE));
            rows.add(row("Failover rate", "failover_rate", prev, cur, "failover_rate", c, Kind.RATE));
            if (!c.has("channel")) {
                for (JsonNode change : c.path("changes")) {
                    if (change.path("metric").asString().equals("channel_share")) {
                        rows.add(f("<tr><th scope=\"row\">Share of %s</th><td class=\"num\">%s</td><td class=\"num\">%s"
                                + "</td><td>%s</td></tr>", change.path("channel").asString(),
                                share(change.path("before")), share(change.path("after")), verdict(change)));
                    }
                }
            }
            return f("""
                    <div class="card baseline" data-baseline="%s">
                      <h3>%s</h3>
                      <div class="table-wrap"><table>
                        <thead><tr><th>Metric</th><th class="num">%s</th><th class="num">%s (current)</th><th>Change</th></tr></thead>
                        <tbody>%s</tbody>
                      </table></div>
                    </div>
                    """, scope, scope, then, now, Html.join(rows));
        }));
    }

    private enum Kind { USD, NUMBER, MS, RATE }

    private static Raw row(String label, String metric, JsonNode prev, JsonNode cur, String field, JsonNode comparison,
            Kind kind) {
        JsonNode change = null;
        for (JsonNode c : comparison.path("changes")) {
            if (c.path("metric").asString().equals(metric)) {
                change = c;
            }
        }
        return f("<tr data-metric=\"%s\"><th scope=\"row\">%s</th><td class=\"num\">%s</td><td class=\"num\">%s</td>"
                + "<td>%s</td></tr>", metric, label, prev.isObject() ? estimate(prev.path(field), kind) : "—",
                estimate(cur.path(field), kind), change == null ? Html.EMPTY : verdict(change));
    }

    private static Raw percentiles(String label, JsonNode prev, JsonNode cur, String field) {
        return f("<tr><th scope=\"row\">%s</th><td class=\"num\">%s</td><td class=\"num\">%s</td><td></td></tr>", label,
                prev.isObject() ? Num.ms(prev.path(field).path("p50")) + " / " + Num.ms(prev.path(field).path("p95"))
                        : "—",
                Num.ms(cur.path(field).path("p50")) + " / " + Num.ms(cur.path(field).path("p95")));
    }

    private static String estimate(JsonNode e, Kind kind) {
        if (!e.path("mean").isNumber()) {
            return "—";
        }
        double mean = e.path("mean").asDouble();
        double margin = e.path("margin").isNumber() ? e.path("margin").asDouble() : Double.NaN;
        String value = format(mean, kind);
        return Double.isNaN(margin) ? value : value + " ± " + format(margin, kind);
    }

    private static String format(double v, Kind kind) {
        return switch (kind) {
            case USD -> "$" + String.format(Locale.ROOT, v < 0.01 ? "%.6f" : "%.4f", v);
            case NUMBER -> String.format(Locale.ROOT, "%.1f", v);
            case MS -> String.format(Locale.ROOT, "%.0f ms", v);
            case RATE -> String.format(Locale.ROOT, "%.1f %%", v * 100);
        };
    }

    private static String share(JsonNode value) {
        return value.isNumber() ? format(value.asDouble(), Kind.RATE) : "—";
    }

    private static Raw verdict(JsonNode change) {
        String verdict = change.path("verdict").asString();
        String badge = switch (verdict) {
            case "changed" -> "<span class=\"badge bad\">changed</span>";
            case "within_noise" -> "<span class=\"badge good\">within noise</span>";
            default -> "<span class=\"badge\">collecting</span>";
        };
        return f("%s <span class=\"muted change-text\">%s</span>", Html.raw(badge), change.path("text").asString());
    }

    private static Raw projections(Req req) {
        List<Raw> cards = new ArrayList<>();
        JsonNode window = null;
        for (String[] by : new String[][] {{"model", "Models"}, {"team", "Teams"}, {"key", "Keys"}}) {
            ApiAnswer answer = req.get("/api/baselines/projection?by=" + by[0]);
            if (!answer.ok()) {
                continue;
            }
            window = answer.body();
            Raw rows = Html.join(UserPages.data(answer).stream().map(p -> f("""
                    <tr><td>%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s%s</td></tr>
                    """, p.path("name").asString(), Num.count(p.path("requests").asLong()),
                    Num.usd(p.path("spent_usd").asString("0")),
                    p.path("monthly_usd").isNull() ? "—" : Num.usd(p.path("monthly_usd").asString()),
                    p.path("reliable").asBoolean() ? Html.EMPTY : Html.raw(" <span class=\"muted\">(few requests)</span>"))));
            cards.add(f("""
                    <div class="card" data-projection="%s">
                      <h3>%s</h3>
                      <div class="table-wrap"><table>
                        <thead><tr><th>Name</th><th class="num">Requests</th><th class="num">Spent</th><th class="num">Month at this rate</th></tr></thead>
                        <tbody>%s</tbody>
                      </table></div>
                    </div>
                    """, by[0], by[1], UserPages.data(answer).isEmpty()
                    ? Html.raw("<tr><td colspan=\"4\">No requests under this version yet.</td></tr>") : rows));
        }
        if (cards.isEmpty()) {
            return Html.EMPTY;
        }
        return f("""
                <section aria-labelledby="projection">
                  <h2 id="projection">Monthly spend projection</h2>
                  <p class="hint">What each spent under version %s (since %s, %s) ÷ that time × 30 days.</p>
                  <div class="split">%s</div>
                </section>
                """, window.path("version").asLong(), Html.raw(Time.tag(window.path("since").asString())),
                duration(window.path("window_seconds").asLong()), Html.join(cards));
    }

    private static String duration(long seconds) {
        if (seconds < 3600) {
            return (seconds / 60) + " min";
        }
        if (seconds < 172_800) {
            return String.format(Locale.ROOT, "%.1f h", seconds / 3600.0);
        }
        return String.format(Locale.ROOT, "%.1f days", seconds / 86_400.0);
    }

    private static Raw versions(Req req) {
        ApiAnswer answer = req.get("/api/versions?limit=" + VERSIONS);
        if (!answer.ok()) {
            return Html.EMPTY;
        }
        Raw rows = Html.join(UserPages.data(answer).stream().map(v -> f("""
                <tr id="version-%s"><td class="num"><a href="/baselines?version=%s">v%s</a></td><td>%s</td><td>%s</td>
                  <td>%s</td><td>%s
                    <details><summary>Diff against %s</summary><pre class="diff">%s</pre></details></td></tr>
                """, v.path("version").asLong(), v.path("version").asLong(), v.path("version").asLong(),
                Html.raw(Time.tag(v.path("at").asString())), v.path("actor").asString(), v.path("source").asString(),
                v.path("summary").asString(), v.path("previous").isNumber() ? "v" + v.path("previous").asLong()
                        : "nothing (the first version)",
                v.path("diff").toPrettyString())));
        return f("""
                <section aria-labelledby="versions">
                  <h2 id="versions">Routing-config versions</h2>
                  <div class="table-wrap"><table class="versions">
                    <thead><tr><th class="num">Version</th><th>When</th><th>Author</th><th>Source</th><th>What changed</th></tr></thead>
                    <tbody>%s</tbody>
                  </table></div>
                </section>
                """, rows);
    }
}
