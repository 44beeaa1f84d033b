package dev.junction.admin.web;

import static dev.junction.admin.web.Html.f;

import dev.junction.admin.web.Dashboard.PageRoute;
import java.util.List;

/** The landing page after sign-in. */
final class HomePage {

    private HomePage() {
    }

    static List<PageRoute> routes() {
        return List.of(new PageRoute("GET", "/", false, HomePage::show));
    }

    private static Answer show(Req req) {
        Me me = req.me().orElseThrow();
        String base = Secrets.baseUrl(req);
        return Answer.page(Layout.page(me, "Overview", "/", f("""
                <div class="cards">
                  <div class="card">
                    <h2>Clients</h2>
                    <p>Point any OpenAI, Anthropic or Gemini client at this gateway with a gateway key:</p>
                    <pre>%s/v1</pre>
                  </div>
                  <div class="card">
                    <h2>Your account</h2>
                    <p>Signed in as <strong>%s</strong>, role <strong>%s</strong>.</p>
                    <p><a href="/settings">Settings and admin API tokens</a></p>
                  </div>
                </div>
                """, base, me.name(), me.role())));
    }
}
