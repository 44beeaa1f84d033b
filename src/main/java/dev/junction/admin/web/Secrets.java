package dev.junction.admin.web;

import static dev.junction.admin.web.Html.f;

import dev.junction.admin.web.Html.Raw;

/** A secret shown once, with a copy button; and the gateway's base URL for ready-to-paste settings. */
final class Secrets {

    private Secrets() {
    }

    /** A block of text with a copy button ({@code app.js} copies the element's text). */
    static Raw copyable(String id, String text) {
        return f("""
                <div class="copyable">
                  <pre id="%s" tabindex="0">%s</pre>
                  <button type="button" class="copy" data-copy="%s">Copy</button>
                </div>
                """, id, text, id);
    }

    /** The URL the browser reached the gateway at, e.g. {@code http://localhost:3000}. */
    static String baseUrl(Req req) {
        String host = req.exchange().header("Host").orElse("localhost");
        boolean https = req.exchange().secure() || req.exchange().header("X-Forwarded-Proto")
                .map(p -> p.startsWith("https")).orElse(false);
        return (https ? "https://" : "http://") + host;
    }
}
