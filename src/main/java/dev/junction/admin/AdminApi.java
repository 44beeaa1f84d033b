package dev.junction.admin;

import dev.junction.admin.alerts.AlertService;
import dev.junction.config.AdminConfig;
import dev.junction.config.AlertsConfig;
import dev.junction.config.ChannelPresets;
import dev.junction.config.FailoverConfig;
import dev.junction.config.GatewayConfig;
import dev.junction.core.Clock;
import dev.junction.governance.AdminTokens;
import dev.junction.governance.KeyHasher;
import dev.junction.governance.KeyStore;
import dev.junction.governance.Limiter;
import dev.junction.governance.LoginGuard;
import dev.junction.governance.Passwords;
import dev.junction.governance.QuotaBook;
import dev.junction.governance.Role;
import dev.junction.governance.SoftThresholds;
import dev.junction.http.Endpoint;
import dev.junction.http.Exchange;
import dev.junction.http.UpstreamClient;
import dev.junction.relay.ChannelTest;
import dev.junction.state.State;
import dev.junction.store.AdminTokenStore;
import dev.junction.store.AuditStore;
import dev.junction.store.ChannelStore;
import dev.junction.store.ConfigVersions;
import dev.junction.store.RoutingRuleStore;
import dev.junction.store.Conflict;
import dev.junction.store.Database;
import dev.junction.store.LoginThrottleStore;
import dev.junction.store.QuotaStore;
import dev.junction.store.Secrets;
import dev.junction.store.SessionStore;
import dev.junction.store.TeamStore;
import dev.junction.store.UserStore;
import dev.junction.usage.Baselines;
import dev.junction.usage.UsageStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import tools.jackson.databind.JsonNode;

/**
 * The admin JSON API under {@code /api/} (DESIGN.md §6): first-run set-up, sign-in with sessions in
 * cookies, users, teams, admin API tokens, the audit log, and the routing config at runtime:
 * gateway keys, channels, reload and config versions (through {@link LiveConfig}). Mount {@link #endpoint()} at
 * {@link #PREFIX}; {@code docs/openapi.yaml} describes every route.
 */
public final class AdminApi {

    /** Where the admin API is mounted. */
    public static final String PREFIX = "/api/";
    /** The name of the owner seeded from {@code admin.password}. */
    public static final String SEED_OWNER = "admin";

    private final Router router;
    private final ApiEndpoint endpoint;
    private final UserStore users;
    private final Passwords passwords;
    private final Auditor audit;
    private final Clock clock;

    private AdminApi(Router router, ApiEndpoint endpoint, UserStore users, Passwords passwords, Auditor audit,
            Clock clock) {
        this.router = router;
        this.endpoint = endpoint;
        this.users = users;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * The admin API over {@code database}, its peppers derived from {@code secrets}, with a routing
     * config of its own that serves no traffic: for tools and the route listing.
     */
    public static AdminApi create(Database database, Secrets secrets, AdminConfig config, Clock clock) {
        KeyStore keys = new KeyStore(database, KeyHasher.withPepper(secrets.derive("gateway-key-pepper")));
        LiveConfig live = LiveConfig.start(GatewayConfig.defaults(), Optional.empty(), keys,
                new ChannelStore(database, secrets), new ConfigVersions(database), new RoutingRuleStore(database),
                new dev.junction.store.SettingsStore(database),
                dev.junction.routing.Router.of(List.of(), FailoverConfig.DEFAULT, new SplittableRandom(), clock), ChannelPresets.NONE,
                channels -> channels, clock);
        Limits limits = Limits.standalone(database, live, clock);
        return create(database, secrets, config, clock, live, (channel, model) -> new ChannelTest.Result(false, 0, 0,
                Optional.empty(), Optional.of("this admin API is not connected to upstreams")),
                limits, standaloneAlerts(database, secrets, live, limits, clock));
    }

    /**
     * The admin API over {@code database} and the gateway's running routing config {@code live};
     * {@code upstream} sends channel tests.
     */
    public static AdminApi create(Database database, Secrets secrets, AdminConfig config, Clock clock,
            LiveConfig live, UpstreamClient upstream) {
        return create(database, secrets, config, clock, live, upstream, Limits.standalone(database, live, clock));
    }

    /**
     * As above, with the limits and budgets in force ({@code limits.book()}) and the counters they
     * count in ({@code limits.limiter()}), for {@code /api/limits}.
     */
    public static AdminApi create(Database database, Secrets secrets, AdminConfig config, Clock clock,
            LiveConfig live, UpstreamClient upstream, Limits limits) {
        return create(database, secrets, config, clock, live, upstream, limits,
                standaloneAlerts(database, secrets, live, limits, clock));
    }

    /** As above, with the gateway's alerts ({@code /api/alerts}). */
    public static AdminApi create(Database database, Secrets secrets, AdminConfig config, Clock clock,
            LiveConfig live, UpstreamClient upstream, Limits limits, AlertService alerts) {
        Objects.requireNonNull(upstream, "upstream");
        return create(database, secrets, config, clock, live,
                (channel, model) -> ChannelTest.run(upstream, channel, model, clock), limits, alerts);
    }

    /** Alerts of the database alone: no file rules or webhooks, not scheduled (tools, the route listing). */
    private static AlertService standaloneAlerts(Database database, Secrets secrets, LiveConfig live, Limits limits,
            Clock clock) {
        return AlertService.create(AlertsConfig.DEFAULT, database, secrets, live.router(), limits.book(),
                limits.limiter(),
                AlertService.baselines(baselines(database, live, clock), live.versions()), clock);
    }

    /** The interval-based baselines the dashboard shows and the baseline-shift rule follows. */
    private static Baselines baselines(Database database, LiveConfig live, Clock clock) {
        return new Baselines(database, live.versions(), clock, Baselines.Policy.DEFAULT);
    }

    /**
     * The limits and budgets the admin API shows and changes.
     *
     * @param changed run after the admin API changed limits, budgets or team membership: reads
     *     {@code book} again (and tells the other instances)
     */
    public record Limits(QuotaBook book, Limiter limiter, Runnable changed) {
        public Limits {
            Objects.requireNonNull(book, "book");
            Objects.requireNonNull(limiter, "limiter");
            Objects.requireNonNull(changed, "changed");
        }

        /** Limits of the database alone, with counters of their own (tools, the route listing). */
        static Limits standalone(Database database, LiveConfig live, Clock clock) {
            QuotaBook book = new QuotaBook(new QuotaStore(database), new TeamStore(database), new UserStore(database),
                    Map::of, clock);
            return new Limits(book, new Limiter(State.inMemory(clock).counters(), clock, new SoftThresholds(clock)),
                    book::reload);
        }
    }

    private static AdminApi create(Database database, Secrets secrets, AdminConfig config, Clock clock,
            LiveConfig live, ChannelApi.Tester tester, Limits limits, AlertService alerts) {
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        Passwords passwords = Passwords.standard();
        UserStore users = new UserStore(database);
        TeamStore teams = new TeamStore(database);
        SessionStore sessionStore = new SessionStore(database);
        AdminTokenStore tokenStore = new AdminTokenStore(database);
        AuditStore auditStore = new AuditStore(database);
        AdminTokens tokens = new AdminTokens(KeyHasher.withPepper(secrets.derive("admin-token-pepper")));
        Sessions sessions = new Sessions(sessionStore, KeyHasher.withPepper(secrets.derive("admin-session-pepper")),
                KeyHasher.withPepper(secrets.derive("admin-csrf-key")), config.sessionTtl(), clock);
        LoginGuard guard = new LoginGuard(new LoginThrottleStore(database), new LoginGuard.Policy(
                config.maxFailures(), config.lockout(), config.maxFailuresPerAddress(), config.addressWindow()), clock);
        Auditor audit = new Auditor(auditStore, clock);
        List<Route> routes = new ArrayList<>();
        routes.addAll(new SessionApi(users, teams, passwords, guard, sessions, audit, clock).routes());
        routes.addAll(new UserApi(users, sessionStore, passwords, audit, clock, live::changed).routes());
        routes.addAll(new TeamApi(teams, users, audit, clock, limits.changed()).routes());
        routes.addAll(new TokenApi(tokenStore, users, tokens, audit, clock).routes());
        routes.addAll(new AuditApi(auditStore).routes());
        routes.addAll(new RoutingApi(live.router()).routes());
        routes.addAll(new RoutingRulesApi(live, audit, clock).routes());
        routes.addAll(new SettingsApi(live, audit, clock).routes());
        routes.addAll(new KeyApi(live, users, teams, audit, clock).routes());
        routes.addAll(new ChannelApi(live, tester, audit, clock,
                BaseUrlGuard.of(config.allowPrivateBaseUrls())).routes());
        routes.addAll(new ConfigApi(live, audit).routes());
        routes.addAll(new UsageApi(new UsageStats(database), clock).routes());
        routes.addAll(new BaselineApi(baselines(database, live, clock)).routes());
        routes.addAll(new LimitApi(new QuotaStore(database), limits, users, teams, audit, clock).routes());
        routes.addAll(new AlertApi(Objects.requireNonNull(alerts, "alerts"), users, teams, audit, clock).routes());
        routes.addAll(new WebhookApi(alerts, audit, clock, BaseUrlGuard.of(config.allowPrivateBaseUrls())).routes());
        Router router = new Router(routes);
        Authenticator auth = new Authenticator(users, teams, tokenStore, tokens, sessions, clock);
        ApiEndpoint endpoint = new ApiEndpoint(router, auth, sessions, Client.Proxies.of(config.trustedProxies()));
        return new AdminApi(router, endpoint, users, passwords, audit, clock);
    }

    /** Serves every path under {@link #PREFIX}. */
    public Endpoint endpoint() {
        return endpoint;
    }

    /**
     * Creates the owner {@value #SEED_OWNER} with {@code password} unless the set-up is done
     * already (then the password is ignored: it only seeds). Returns whether it created the owner.
     */
    public boolean seedOwner(String password) {
        Objects.requireNonNull(password, "password");
        Passwords.problem(password).ifPresent(problem -> {
            throw new IllegalArgumentException("the admin password " + problem);
        });
        if (users.setupDone()) {
            return false;
        }
        try {
            UserStore.User owner = users.completeSetup(new UserStore.NewUser(SEED_OWNER, Optional.empty(),
                    passwords.hash(password), Role.OWNER.wire()), clock.now().toEpochMilli());
            audit.record(owner.id(), "config (admin.password)", "setup.seed", "user:" + owner.id(),
                    Views.user(owner), Optional.empty());
            return true;
        } catch (Conflict anotherInstanceWon) {
            return false;
        }
    }

    /**
     * Calls the admin API inside the gateway for the browser request {@code from} (whose session
     * cookie, address and scheme it uses), exactly as if the browser had sent it: same routes,
     * authentication, CSRF check, permissions and audit. The dashboard's pages are built on this.
     *
     * @param pathAndQuery e.g. {@code /api/audit?limit=50}
     * @param json the JSON body, or null for none
     * @param csrf the CSRF token the page's form carried, or null
     */
    public ApiAnswer call(Exchange from, String method, String pathAndQuery, JsonNode json, String csrf) {
        Objects.requireNonNull(from, "from");
        InProcessExchange exchange = new InProcessExchange(from, method, pathAndQuery,
                json == null ? null : Json.bytes(json), csrf);
        try {
            endpoint.handle(exchange);
        } catch (Exception e) {
            throw new IllegalStateException("the admin API failed on " + method + " " + exchange.path(), e);
        }
        return exchange.answer();
    }

    /** The routes, for the OpenAPI check. */
    List<Route> routes() {
        return router.routes();
    }
}
