package dev.junction.admin.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.MutableClock;
import dev.junction.testing.TestGateway;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard over plain HTTP: redirects, security headers, assets, CSRF, escaping, the API untouched. */
class DashboardHttpTest {

    @TempDir
    Path dir;
    TestGateway gateway;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() throws Exception {
        gateway = TestGateway.start(dir, "", new MutableClock());
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String cookie, String form) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static void assertSecurityHeaders(HttpResponse<?> response) {
        var headers = response.headers();
        assertThat(headers.firstValue("Content-Security-Policy").orElse(""))
                .contains("default-src 'none'").contains("script-src 'self'").contains("style-src 'self'")
                .contains("frame-ancestors 'none'").doesNotContain("unsafe");
        assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(headers.firstValue("Referrer-Policy")).hasValue("same-origin");
        assertThat(headers.firstValue("X-Frame-Options")).hasValue("DENY");
    }

    /** Sets up the owner through the page; returns the session cookie. */
    String setUp() throws Exception {
        HttpResponse<String> created = post("/setup", null, "name=root&password=" + enc("owner-password-1")
                + "&confirm=" + enc("owner-password-1"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        assertThat(created.headers().firstValue("Location")).hasValue("/");
        String setCookie = created.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("the page carries a CSRF token").isTrue();
        return m.group(1);
    }

    @Test
    void visitorsAreSentToSetUpThenToSignInAndEveryAnswerCarriesTheSecurityHeaders() throws Exception {
        HttpResponse<String> home = get("/", null);
        assertThat(home.statusCode()).isEqualTo(303);
        assertThat(home.headers().firstValue("Location")).hasValue("/setup");
        assertSecurityHeaders(home);
        HttpResponse<String> setup = get("/setup", null);
        assertThat(setup.statusCode()).isEqualTo(200);
        assertThat(setup.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(setup.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(setup.body()).doesNotContain("<script>").doesNotContain("style=\"").doesNotContain(" on");
        assertSecurityHeaders(setup);

        String cookie = setUp();
        assertThat(get("/users", null).headers().firstValue("Location")).hasValue("/login?next=%2Fusers");
        for (String page : new String[] {"/", "/users", "/audit", "/settings", "/channels", "/keys", "/channels/new"}) {
            HttpResponse<String> response = get(page, cookie);
            assertThat(response.statusCode()).as(page).isEqualTo(200);
            assertSecurityHeaders(response);
            assertThat(response.body()).as(page).doesNotContain("<script>").doesNotContain("style=\"");
        }
        assertThat(get("/settings", cookie).body()).contains("Routing configuration").contains("Reload the config file");
        HttpResponse<String> missing = get("/users/nope/more", cookie);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertSecurityHeaders(missing);
    }

    @Test
    void everyPageReachableFromTheNavigationCarriesTheSecurityHeaders() throws Exception {
        String cookie = setUp();
        java.util.Deque<String> toVisit = new java.util.ArrayDeque<>(java.util.List.of("/"));
        java.util.Set<String> seen = new java.util.LinkedHashSet<>(toVisit);
        Pattern link = Pattern.compile("href=\"(/[^\"#]*)\"");
        while (!toVisit.isEmpty() && seen.size() < 200) {
            String page = toVisit.poll();
            HttpResponse<String> response = get(page, cookie);
            assertThat(response.statusCode()).as(page).isIn(200, 303, 404);
            assertSecurityHeaders(response);
            if (page.startsWith("/assets/") || page.startsWith("/api/") || page.equals("/logout")) {
                continue;
            }
            Matcher m = link.matcher(response.body());
            while (m.find()) {
                String next = m.group(1).replace("&amp;", "&");
                if (!next.startsWith("/api/") && seen.add(next)) {
                    toVisit.add(next);
                }
            }
        }
        assertThat(seen).as("the crawl found the dashboard's pages")
                .contains("/", "/channels", "/keys", "/users", "/audit", "/settings").hasSizeGreaterThan(8);
    }

    @Test
    void assetsComeFromTheGatewayWithTheirTypesAndALongCache() throws Exception {
        for (String name : new String[] {"app.css", "app.js", "htmx.min.js", "chart.umd.min.js", "icon.svg"}) {
            HttpResponse<String> asset = get(Assets.url(name), null);
            assertThat(asset.statusCode()).as(name).isEqualTo(200);
            assertThat(asset.headers().firstValue("Cache-Control").orElse("")).contains("immutable");
            assertSecurityHeaders(asset);
        }
        assertThat(get("/assets/app.js", null).headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/javascript");
        assertThat(get("/assets/nothing.js", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aWriteWithoutTheFormsCsrfTokenIsRefusedAndTheClientApisAreUntouched() throws Exception {
        String cookie = setUp();
        HttpResponse<String> forged = post("/users", cookie, "name=mallory&password=" + enc("mallory-password")
                + "&role=owner");
        assertThat(forged.statusCode()).isEqualTo(422);
        assertThat(forged.body()).contains("CSRF");
        assertThat(get("/api/users", cookie).body()).doesNotContain("mallory");

        String token = csrf(get("/users", cookie).body());
        HttpResponse<String> made = post("/users", cookie, "_csrf=" + enc(token) + "&name=mia&password="
                + enc("member-password-1") + "&role=member");
        assertThat(made.statusCode()).isEqualTo(303);
        assertThat(get("/api/users", cookie).body()).contains("mia");

        HttpResponse<String> loggedOutWithoutToken = post("/logout", cookie, "");
        assertThat(loggedOutWithoutToken.statusCode()).isEqualTo(403);
        assertThat(get("/api/me", cookie).statusCode()).isEqualTo(200);

        HttpResponse<String> v1 = get("/v1/nothing-here", null);
        assertThat(v1.statusCode()).isEqualTo(404);
        assertThat(v1.body()).contains("\"error\"");
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void textFromTheDatabaseIsEscaped() throws Exception {
        String cookie = setUp();
        String token = csrf(get("/settings", cookie).body());
        String evil = "<img src=x onerror=alert(1)>";
        HttpResponse<String> created = post("/settings/tokens", cookie, "_csrf=" + enc(token) + "&name=" + enc(evil));
        assertThat(created.statusCode()).isEqualTo(201);
        HttpResponse<String> settings = get("/settings", cookie);
        assertThat(settings.body()).doesNotContain(evil).contains("&lt;img src=x onerror=alert(1)&gt;");
        assertThat(get("/audit", cookie).body()).doesNotContain(evil);
    }

    @Test
    void signInGoesBackOnlyToAPageOfThisDashboard() {
        assertThat(AuthPages.safeNext("/users")).isEqualTo("/users");
        assertThat(AuthPages.safeNext("//evil.example")).isEqualTo("/");
        assertThat(AuthPages.safeNext("/\\evil.example")).isEqualTo("/");
        assertThat(AuthPages.safeNext("https://evil.example")).isEqualTo("/");
        assertThat(AuthPages.safeNext("/api/logout")).isEqualTo("/");
    }
}
