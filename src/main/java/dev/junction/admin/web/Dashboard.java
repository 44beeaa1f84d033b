package dev.junction.admin.web;

import dev.junction.admin.AdminApi;
import dev.junction.core.Clock;
import dev.junction.http.Endpoint;
import dev.junction.http.Exchange;
import dev.junction.http.Routes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard (DESIGN.md §6): server-rendered pages at {@code /}, built only on the admin API
 * (called in-process with the browser's session, so permissions, CSRF and the audit log are the
 * API's own). Every answer carries a strict Content-Security-Policy: scripts and styles only from
 * the gateway, no inline script, no framing. A page's API reads may run side by side on a few
 * platform threads of the dashboard's own ({@link Req#prefetch}; JDBC on SQLite runs in native code,
 * which would pin a virtual thread's carrier); {@link #close} stops them.
 */
public final class Dashboard implements Endpoint, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    /** Threads for the pages' prefetched reads, shared by every page being served. */
    static final int READ_THREADS = 4;

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** One page route: a method, a path template ({@code {id}} binds a segment) and whether it needs a user. */
    record PageRoute(String method, String template, boolean open, Page page) {
    }

    /** Serves one page. */
    @FunctionalInterface
    interface Page {
        Answer serve(Req req);
    }

    private final AdminApi api;
    private final List<PageRoute> routes;
    private final ExecutorService reads = Executors.newFixedThreadPool(READ_THREADS,
            Thread.ofPlatform().name("junction-dashboard-", 0).daemon(true).factory());

    private Dashboard(AdminApi api, List<PageRoute> routes) {
        this.api = api;
        this.routes = List.copyOf(routes);
    }

    /** The dashboard over {@code api}; {@code clock} is the gateway's (time ranges end at its now). */
    public static Dashboard create(AdminApi api, Clock clock) {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(clock, "clock");
        List<PageRoute> routes = new ArrayList<>();
        routes.addAll(AuthPages.routes());
        routes.addAll(new OverviewPage(clock).routes());
        routes.addAll(new ChannelsPage(clock).routes());
        routes.addAll(KeysPage.routes());
        routes.addAll(new LogsPage(clock).routes());
        routes.addAll(BudgetsPage.routes());
        routes.addAll(AlertsPage.routes());
        routes.addAll(RoutingPage.routes());
        routes.addAll(BaselinesPage.routes());
        routes.addAll(UserPages.routes());
        routes.addAll(AuditPage.routes());
        routes.addAll(SettingsPage.routes());
        return new Dashboard(api, routes);
    }

    /** {@code routes} with the dashboard's pages and assets mounted (the admin API stays under {@code /api/}). */
    public Routes mountOn(Routes routes) {
        Set<String> firstSegments = new LinkedHashSet<>();
        firstSegments.add(Assets.PREFIX);
        for (PageRoute route : this.routes) {
            String first = route.template().split("/", -1)[1];
            if (!first.isEmpty()) {
                firstSegments.add("/" + first);
            }
        }
        Routes mounted = routes.mountPage("/", this);
        for (String prefix : firstSegments) {
            mounted = mounted.mount(prefix, this);
        }
        return mounted;
    }

    @Override
    public void handle(Exchange exchange) throws Exception {
        var down = exchange.downstream();
        down.header("Content-Security-Policy", CSP);
        down.header("X-Content-Type-Options", "nosniff");
        down.header("X-Frame-Options", "DENY");
        down.header("Referrer-Policy", "same-origin");
        down.header("Cross-Origin-Opener-Policy", "same-origin");
        Optional<Assets.Asset> asset = Assets.find(exchange.path());
        if (asset.isPresent()) {
            if (!exchange.method().equals("GET") && !exchange.method().equals("HEAD")) {
                write(exchange, Errors.page(405, "That method is not allowed here."));
                return;
            }
            down.header("Cache-Control", "public, max-age=31536000, immutable");
            down.respond(200, asset.get().contentType(), asset.get().bytes());
            return;
        }
        down.header("Cache-Control", "no-store");
        Answer answer;
        try {
            answer = serve(exchange);
        } catch (RuntimeException e) {
            LOG.error("dashboard page {} {} failed", exchange.method(), exchange.path(), e);
            answer = Errors.page(500, Errors.INTERNAL);
        }
        write(exchange, answer);
    }

    private Answer serve(Exchange exchange) {
        String method = exchange.method().equals("HEAD") ? "GET" : exchange.method();
        String[] parts = exchange.path().split("/", -1);
        boolean pathKnown = false;
        for (PageRoute route : routes) {
            Map<String, String> params = bind(route.template().split("/", -1), parts);
            if (params == null) {
                continue;
            }
            pathKnown = true;
            if (!route.method().equals(method)) {
                continue;
            }
            Req req = new Req(exchange, api::call, reads, params);
            if (!route.open() && req.me().isEmpty()) {
                return signIn(req);
            }
            return route.page().serve(req);
        }
        return pathKnown ? Errors.page(405, "That method is not allowed here.")
                : Errors.page(404, "There is no such page.");
    }

    /** Where a visitor without a session goes: the first-run set-up, or sign-in (then back here). */
    private static Answer signIn(Req req) {
        if (AuthPages.setupNeeded(req)) {
            return Answer.redirect("/setup");
        }
        String back = req.method().equals("GET") && !req.path().equals("/") ? "?next=" + Req.enc(req.path()) : "";
        return Answer.redirect("/login" + back);
    }

    private static Map<String, String> bind(String[] template, String[] parts) {
        if (template.length != parts.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (parts[i].isEmpty()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 1), parts[i]);
            } else if (!t.equals(parts[i])) {
                return null;
            }
        }
        return params;
    }

    /** Stops the read threads (reads under way finish). */
    @Override
    public void close() {
        reads.shutdown();
    }

    private static void write(Exchange exchange, Answer answer) throws Exception {
        var down = exchange.downstream();
        answer.headers().forEach(down::header);
        down.respond(answer.status(), "text/html; charset=utf-8", answer.html().getBytes(StandardCharsets.UTF_8));
    }
}
