package dev.junction.bench;

import dev.junction.core.Clock;
import dev.junction.testing.TestGateway;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard's pages over a filled usage database (issue 17: every page under 300 ms with 1 M
 * rows): a real gateway on the database, an owner session, then each page fetched over HTTP and
 * timed whole (server-side rendering and the stats queries behind it; the browser's drawing is not
 * included). Medians of 7 after 2 warm-ups.
 */
final class DashboardPages {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private DashboardPages() {
    }

    static void time(String databaseUrl) throws Exception {
        try (TestGateway gateway = TestGateway.start("", Clock.system(), databaseUrl)) {
            String base = gateway.baseUrl();
            String session = session(base);
            String first = get(base, "/api/usage/requests?range=month&limit=1", session).body();
            Matcher id = Pattern.compile("\"request_id\":\"([^\"]+)\"").matcher(first);
            String requestId = id.find() ? id.group(1) : "none";
            String page = get(base, "/logs?range=month", session).body();
            Matcher next = Pattern.compile("cursor=([0-9.]+)").matcher(page);
            String cursor = next.find() ? next.group(1) : "";
            List<String[]> pages = List.of(
                    new String[] {"Overview, last hour", "/?range=hour"},
                    new String[] {"Overview, last day", "/?range=day"},
                    new String[] {"Overview, last week", "/?range=week"},
                    new String[] {"Overview, last month", "/?range=month"},
                    new String[] {"Overview, custom 10 days", "/?range=custom&from=" + day(-12) + "&to=" + day(-3)},
                    new String[] {"Logs, month, first page", "/logs?range=month"},
                    new String[] {"Logs, month, next page (keyset)", "/logs?range=month&cursor=" + cursor},
                    new String[] {"Logs, month, model filter", "/logs?range=month&model=model-4"},
                    new String[] {"Logs, month, status 502", "/logs?range=month&status=502"},
                    new String[] {"Logs, a request's detail", "/logs/" + URLEncoder.encode(requestId, StandardCharsets.UTF_8)},
                    new String[] {"Logs, month, key filter", "/logs?range=month&key_id=7"},
                    new String[] {"Channels", "/channels"},
                    new String[] {"Keys", "/keys"},
                    new String[] {"Routing", "/routing"},
                    new String[] {"Versions & baselines", "/baselines"},
                    new String[] {"Alerts", "/alerts"},
                    new String[] {"Budgets & limits", "/budgets"},
                    new String[] {"Users & teams", "/users"},
                    new String[] {"Audit log", "/audit"},
                    new String[] {"Settings", "/settings"});
            for (String[] p : pages) {
                time(base, session, p[0], p[1]);
            }
        }
    }

    private static String day(int days) {
        return java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(days).toString();
    }

    private static void time(String base, String session, String what, String path) throws Exception {
        int status = 0;
        int bytes = 0;
        for (int i = 0; i < 2; i++) {
            get(base, path, session);
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            long t = System.nanoTime();
            HttpResponse<String> r = get(base, path, session);
            millis.add((System.nanoTime() - t) / 1e6);
            status = r.statusCode();
            bytes = r.body().length();
        }
        millis.sort(null);
        System.out.printf(Locale.ROOT, "page %-42s median %8.1f ms  [min %.1f, max %.1f]  (HTTP %d, %,d chars)%n",
                what, millis.get(3), millis.getFirst(), millis.getLast(), status, bytes);
    }

    /** An owner's session cookie: the first-run set-up on a new database, else a login. */
    private static String session(String base) throws Exception {
        String body = "{\"name\":\"bench\",\"password\":\"bench-password-0123\"}";
        HttpResponse<String> r = post(base, "/api/setup", body);
        if (r.statusCode() != 201) {
            r = post(base, "/api/login", body);
        }
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("no session: " + r.statusCode() + " " + r.body());
        }
        return r.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    }

    private static HttpResponse<String> post(String base, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String base, String path, String session) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2))
                .header("Cookie", session).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
