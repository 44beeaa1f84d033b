package dev.junction.admin.web;

import static dev.junction.admin.web.Html.f;

import dev.junction.admin.web.Html.Raw;
import java.util.List;
import java.util.function.Predicate;

/** The page shell: head, skip link, top bar, navigation, main content. */
final class Layout {

    /** The hidden form field that carries the session's CSRF token. */
    static final String CSRF_FIELD = "_csrf";

    /** One navigation entry, shown to the users {@code shows} lets through. */
    record Nav(String path, String label, Predicate<Me> shows) {
    }

    static final List<Nav> NAV = List.of(
            new Nav("/", "Overview", me -> true),
            new Nav("/channels", "Channels", Me::seesAll),
            new Nav("/keys", "Keys", me -> true),
            new Nav("/logs", "Logs", me -> true),
            new Nav("/budgets", "Budgets & limits", me -> true),
            new Nav("/alerts", "Alerts", me -> true),
            new Nav("/routing", "Routing", Me::seesAll),
            new Nav("/baselines", "Versions & baselines", Me::seesAll),
            new Nav("/users", "Users & teams", Me::seesAll),
            new Nav("/audit", "Audit log", Me::seesAll),
            new Nav("/settings", "Settings", me -> true));

    private Layout() {
    }

    /** A whole page for a signed-in user; {@code section} is the navigation entry it belongs to. */
    static String page(Me me, String title, String section, Raw content) {
        Raw nav = Html.join(NAV.stream().filter(n -> n.shows().test(me)).map(n -> f(
                "<li><a href=\"%s\"%s>%s</a></li>", n.path(),
                Html.raw(n.path().equals(section) ? " aria-current=\"page\"" : ""), n.label())));
        Raw body = f("""
                <header class="top">
                  <a class="brand" href="/">Junction</a>
                  <details class="menu">
                    <summary aria-label="Menu">Menu</summary>
                    <nav aria-label="Main"><ul>%s</ul></nav>
                  </details>
                  <div class="who">
                    <span class="user" title="Signed in">%s <span class="role">%s</span></span>
                    <form method="post" action="/logout">%s<button type="submit" class="link">Sign out</button></form>
                  </div>
                </header>
                <div class="frame">
                  <nav class="side" aria-label="Main"><ul>%s</ul></nav>
                  <main id="main" tabindex="-1">
                    <h1>%s</h1>
                    %s
                  </main>
                </div>
                """, nav, me.name(), me.role(), csrf(me), nav, title, content);
        return document(title, body);
    }

    /** A page without navigation (set-up, sign-in). */
    static String bare(String title, Raw content) {
        return document(title, f("""
                <main id="main" class="bare" tabindex="-1">
                  <p class="brand">Junction</p>
                  <h1>%s</h1>
                  %s
                </main>
                """, title, content));
    }

    private static String document(String title, Raw body) {
        return f("""
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta name="color-scheme" content="light dark">
                <meta name="htmx-config" content="%s">
                <title>%s · Junction</title>
                <link rel="icon" href="%s" type="image/svg+xml">
                <link rel="stylesheet" href="%s">
                <script src="%s" defer></script>
                <script src="%s" defer></script>
                <script src="%s" defer></script>
                </head>
                <body>
                <a class="skip" href="#main">Skip to content</a>
                %s
                </body>
                </html>
                """, HTMX_CONFIG, title, Assets.url("icon.svg"), Assets.url("app.css"), Assets.url("htmx.min.js"),
                Assets.url("chart.umd.min.js"), Assets.url("app.js"), body).html();
    }

    /**
     * htmx without eval or inline styles (the page's Content-Security-Policy allows neither), and
     * swapping every answer but 204 so a form re-rendered with its errors (422) shows.
     */
    private static final String HTMX_CONFIG = "{\"allowEval\":false,\"allowScriptTags\":false,"
            + "\"includeIndicatorStyles\":false,\"selfRequestsOnly\":true,"
            + "\"responseHandling\":[{\"code\":\"204\",\"swap\":false},{\"code\":\"...\",\"swap\":true}]}";

    /** The hidden CSRF field every form that writes carries. */
    static Raw csrf(Me me) {
        return f("<input type=\"hidden\" name=\"%s\" value=\"%s\">", CSRF_FIELD, me.csrf());
    }

    /** A status message at the top of a page. */
    static Raw notice(String text) {
        return text == null || text.isEmpty() ? Html.EMPTY
                : f("<p class=\"notice\" role=\"status\">%s</p>", text);
    }

    /** An error for the whole form (not one field). */
    static Raw alert(String text) {
        return text == null || text.isEmpty() ? Html.EMPTY
                : f("<p class=\"alert\" role=\"alert\">%s</p>", text);
    }
}
