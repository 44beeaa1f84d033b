package dev.junction.admin.web;

import static dev.junction.admin.web.Html.f;

import dev.junction.admin.ApiAnswer;
import dev.junction.admin.web.Dashboard.PageRoute;
import dev.junction.admin.web.Html.Raw;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The audit log: who did what, when, from where; newest first, a page at a time. */
final class AuditPage {

    private static final int PAGE = 50;

    private AuditPage() {
    }

    static List<PageRoute> routes() {
        return List.of(new PageRoute("GET", "/audit", false, AuditPage::list));
    }

    private static Answer list(Req req) {
        Me me = req.me().orElseThrow();
        String before = req.query("before").filter(b -> b.chars().allMatch(Character::isDigit)).orElse("");
        ApiAnswer audit = req.get("/api/audit?limit=" + PAGE + (before.isEmpty() ? "" : "&before=" + before));
        if (!audit.ok()) {
            return Errors.api(me, "/audit", audit);
        }
        List<JsonNode> entries = UserPages.data(audit);
        Raw rows = Html.join(entries.stream().map(e -> f("""
                <tr>
                  <td>%s</td><td>%s</td><td><code>%s</code></td><td>%s</td><td>%s</td>
                  <td>%s</td>
                </tr>
                """, Html.raw(Time.tag(e.path("at").asString())), e.path("actor").asString(),
                e.path("action").asString(), e.path("target").asString(), e.path("ip").asString("—"),
                change(e))));
        JsonNode next = audit.body().path("next_before");
        Raw older = next.isNumber() ? f("<a href=\"/audit?before=%s\" rel=\"next\">Older entries</a>", next.asLong())
                : Html.EMPTY;
        Raw newest = before.isEmpty() ? Html.EMPTY : Html.raw("<a href=\"/audit\">Newest entries</a>");
        Raw content = f("""
                <p class="hint">Every change made with the dashboard or the admin API: who, what, when, from where.
                No secret is ever written here.</p>
                <div class="table-wrap"><table class="audit">
                  <thead><tr><th>When</th><th>Who</th><th>Action</th><th>Target</th><th>Address</th><th>Change</th></tr></thead>
                  <tbody>%s</tbody>
                </table></div>
                <nav class="pager" aria-label="Pages">%s %s</nav>
                """, entries.isEmpty() ? Html.raw("<tr><td colspan=\"6\">Nothing recorded yet.</td></tr>") : rows,
                newest, older);
        return Answer.page(Layout.page(me, "Audit log", "/audit", content));
    }

    private static Raw change(JsonNode entry) {
        JsonNode before = entry.path("before");
        JsonNode after = entry.path("after");
        if ((before.isNull() || before.isMissingNode()) && (after.isNull() || after.isMissingNode())) {
            return Html.raw("—");
        }
        return f("""
                <details><summary>Details</summary>
                <div class="change"><div><strong>Before</strong><pre>%s</pre></div><div><strong>After</strong><pre>%s</pre></div></div>
                </details>""", pretty(before), pretty(after));
    }

    private static String pretty(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? "—" : node.toPrettyString();
    }
}
