package dev.junction.app;

import dev.junction.admin.AdminApi;
import dev.junction.admin.alerts.AlertService;
import dev.junction.admin.LiveConfig;
import dev.junction.admin.web.Dashboard;
import dev.junction.catalog.Catalog;
import dev.junction.config.ChannelConfig;
import dev.junction.config.ConfigLoader;
import dev.junction.config.GatewayConfig;
import dev.junction.config.ServerSettings;
import dev.junction.core.Clock;
import dev.junction.governance.KeyHasher;
import dev.junction.governance.KeySource;
import dev.junction.governance.KeyStore;
import dev.junction.http.GatewayServer;
import dev.junction.http.ServerLimits;
import dev.junction.http.UpstreamClient;
import dev.junction.http.Endpoint;
import dev.junction.ingress.Endpoints;
import dev.junction.metrics.AccessLog;
import dev.junction.metrics.GatewayMetrics;
import dev.junction.relay.Relay;
import dev.junction.relay.HealthProber;
import dev.junction.routing.Router;
import dev.junction.routing.RoutingSnapshot;
import dev.junction.state.ConfigChanges;
import dev.junction.state.QuotaChanges;
import dev.junction.state.SharedState;
import dev.junction.state.State;
import dev.junction.store.ChannelStore;
import dev.junction.store.ConfigVersions;
import dev.junction.store.RoutingRuleStore;
import dev.junction.store.SettingsStore;
import dev.junction.store.Database;
import dev.junction.store.ResponseStore;
import dev.junction.store.Secrets;
import dev.junction.usage.RequestObserver;
import dev.junction.usage.UsageRetention;
import dev.junction.usage.UsageWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: every part wired by hand, started in dependency order and stopped in reverse.
 * Start-up either completes or closes what it opened and throws; it never half-starts.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final int USAGE_QUEUE = 10_000;
    /** The longest a key not found waits for a config change in flight (a rebuild takes tens of ms). */
    private static final Duration KEY_SETTLE = Duration.ofSeconds(2);
    /** Seeds the owner account when the config file has no {@code admin.password}. */
    static final String ADMIN_PASSWORD_ENV = "JUNCTION_ADMIN_PASSWORD";

    private final Deque<AutoCloseable> parts;
    private final GatewayServer server;
    private final Database database;
    private final UsageWriter usage;
    private final Router router;
    private final HealthProber prober;
    private final LiveConfig live;
    private final Optional<SharedState> shared;
    private final AlertService alerts;

    private Gateway(Deque<AutoCloseable> parts, GatewayServer server, Database database, UsageWriter usage,
            Router router, HealthProber prober, LiveConfig live, Optional<SharedState> shared, AlertService alerts) {
        this.parts = parts;
        this.alerts = alerts;
        this.shared = shared;
        this.server = server;
        this.database = database;
        this.usage = usage;
        this.router = router;
        this.prober = prober;
        this.live = live;
    }

    /**
     * Replaces the file's channels with {@code configs} without a restart: records them, builds the
     * next routing snapshot (with the admin API's channels) and swaps it in. Requests in flight
     * finish on the snapshot they started with; channels and keys that stay keep their cooldowns,
     * circuits and suspensions.
     */
    public RoutingSnapshot replaceChannels(List<ChannelConfig> configs) {
        return live.replaceFileChannels(configs, LiveConfig.FILE_ACTOR);
    }

    /**
     * Reads the config file again, as SIGHUP and {@code POST /api/reload} do: an invalid file is
     * refused with its line-numbered problems (logged) and the running config stays; a valid one
     * swaps keys and channels in at once and records a routing-config version by {@code actor}.
     */
    public LiveConfig.Reload reload(String actor) {
        return live.reload(actor);
    }

    /** Keys and channels as running, with the routing-config version. */
    public LiveConfig live() {
        return live;
    }

    /** Starts a gateway for {@code config} with no file behind it (nothing to reload). */
    public static Gateway start(GatewayConfig config, Function<String, String> environment, Clock clock,
            RandomGenerator random) throws Exception {
        return start(config, Optional.empty(), environment, clock, random);
    }

    /**
     * Starts a gateway for {@code config}, read from {@code file} (which a reload reads again);
     * {@code environment} supplies secrets such as the master key.
     */
    public static Gateway start(GatewayConfig config, Optional<Path> file, Function<String, String> environment,
            Clock clock, RandomGenerator random) throws Exception {
        return start(config, file, environment, clock, random, null);
    }

    /**
     * As {@link #start(GatewayConfig, Function, Clock, RandomGenerator)}, with upstream TLS trusting
     * only the certificates in {@code upstreamTrust} instead of the JDK's authorities (host names
     * are still checked). For tests, whose fake providers serve self-signed certificates; nothing
     * in the configuration or the environment reaches this.
     */
    public static Gateway startTrusting(GatewayConfig config, Function<String, String> environment, Clock clock,
            RandomGenerator random, java.security.KeyStore upstreamTrust) throws Exception {
        return start(config, Optional.empty(), environment, clock, random,
                Objects.requireNonNull(upstreamTrust, "upstreamTrust"));
    }

    private static Gateway start(GatewayConfig config, Optional<Path> file, Function<String, String> environment,
            Clock clock, RandomGenerator random, java.security.KeyStore upstreamTrust) throws Exception {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(file, "file");
        Deque<AutoCloseable> parts = new ArrayDeque<>();
        try {
            Database database = Database.open(config.database());
            parts.push(database);
            Secrets secrets = Secrets.load(dataDirectory(config), environment);
            KeyHasher hasher = KeyHasher.withPepper(secrets.derive("gateway-key-pepper"));
            ChannelPricing.check(config.channels());
            Optional<SharedState> shared = config.redis().map(url -> SharedState.connect(url, clock));
            shared.ifPresent(parts::push);
            State state = shared.map(SharedState::state).orElseGet(() -> State.inMemory(clock));
            Router router = Router.create(List.of(), config.failover(), config.routing(),
                    new CatalogFacts(Catalog.builtIn()), state, random, clock);
            Optional<LiveConfig.Source> source = file.map(path -> () -> ConfigLoader.withEnvironment(environment)
                    .withPresets(CatalogPresets.builtIn()).load(path));
            ConfigVersions versions = new ConfigVersions(database);
            LiveConfig live = LiveConfig.start(config, source, new KeyStore(database, hasher),
                    new ChannelStore(database, secrets), versions, new RoutingRuleStore(database),
                    new SettingsStore(database), router,
                    CatalogPresets.builtIn(), ModelListing::resolve, clock);
            KeySource keys = live::keys;
            if (shared.isPresent()) {
                // Several instances: a change made here is announced; one announced elsewhere (or
                // found in the database when an announcement was missed) is rebuilt here. A key
                // not found waits for a rebuild in flight: it may be the key just made elsewhere.
                ConfigWatcher watcher = ConfigWatcher.start(shared.get().changes(), versions::current,
                        version -> live.catchUp(), live.version(), ConfigWatcher.DEFAULT_PERIOD);
                parts.push(watcher);
                live.onChange(watcher::announce);
                keys = KeySource.of(live::keys, () -> watcher.awaitHeard(KEY_SETTLE));
            }
            if (live.keys().size() == 0) {
                LOG.warn("No gateway keys are configured: every API call will be refused with 401. "
                        + "Add a 'keys:' section to the config file, or create a key in the dashboard.");
            }
            String agent = "Junction/" + Version.current();
            UpstreamClient upstream = upstreamTrust == null ? UpstreamClient.create(agent)
                    : UpstreamClient.trusting(agent, upstreamTrust);
            parts.push(upstream);
            UsageWriter usageWriter = UsageWriter.start(database, USAGE_QUEUE, ChannelPricing.of(router));
            parts.push(usageWriter);
            live.beforeKeysChange(usageWriter::keysChanged);
            parts.push(UsageRetention.of(database, () -> live.settings().usage().keepRaw(),
                    () -> live.settings().usage().keepRollups(), clock).start());
            Relay relay = Relay.create(router, upstream, clock, upstreamModel -> Catalog.builtIn()
                    .model(upstreamModel).map(model -> model.capabilities().prefill()).orElse(false));
            HealthProber prober = HealthProber.start(router, upstream, clock);
            parts.push(prober);
            QuotaService limits = QuotaService.start(live::config, database, state, router,
                    shared.map(SharedState::quotaChanges).orElseGet(QuotaChanges::none), clock);
            parts.push(limits);
            live.beforeKeysChange(limits::reload);
            shared.ifPresent(s -> s.onStateLost(limits::reseed));
            AlertService alerts = AlertService.create(config.alerts(), database, secrets, router, limits.book(),
                    limits.limiter(), AlertService.baselines(database, clock), clock).start();
            parts.push(alerts);
            AdminApi admin = AdminApi.create(database, secrets, config.admin(), clock, live, upstream,
                    new AdminApi.Limits(limits.book(), limits.limiter(), limits::changed), alerts);
            config.admin().password().or(() -> Optional.ofNullable(environment.apply(ADMIN_PASSWORD_ENV))
                    .filter(p -> !p.isBlank())).ifPresent(admin::seedOwner);
            AccessLog accessLog = AccessLog.create();
            parts.push(accessLog);
            List<RequestObserver> observers = new ArrayList<>(List.of(accessLog));
            Optional<Endpoint> metricsEndpoint = Optional.empty();
            if (config.metrics().enabled()) {
                GatewayMetrics.Builder builder = GatewayMetrics.builder()
                        .perKey(config.metrics().perKey())
                        .knownModels(router::serves)
                        .channels(new RouterChannelStates(router, clock))
                        .usageQueue(usageWriter::queued, USAGE_QUEUE, usageWriter::dropped);
                shared.ifPresent(s -> builder.redis(s::redisUp, s::instances, s::fallbacks));
                GatewayMetrics metrics = builder.build();
                parts.push(metrics);
                observers.add(metrics);
                limits.soft().listen((quota, limit, count, of) -> metrics.quotaSoftThreshold(quota.level().wire(), limit));
                metricsEndpoint = Optional.of(exchange -> exchange.downstream().respond(200,
                        GatewayMetrics.CONTENT_TYPE, metrics.scrape().getBytes(StandardCharsets.UTF_8)));
            }
            Dashboard dashboard = Dashboard.create(admin, clock);
            parts.push(dashboard);
            GatewayServer server = GatewayServer.start(config.listen().host(), config.listen().port(),
                    dashboard.mountOn(Endpoints.routes(Version.current(), keys, router,
                            List.of(limits.check()), relay,
                            usageWriter,
                            new ResponseStore(database, ResponseStore.DEFAULT_RETENTION), clock,
                            RequestObserver.all(observers), metricsEndpoint)
                            .mount(AdminApi.PREFIX, admin.endpoint())
                            .mountPage("/health", health(shared, usageWriter::waitingForDatabase))),
                    config.maxBodyBytes(), clock, serverLimits(config.server()));
            parts.push(server);
            return new Gateway(parts, server, database, usageWriter, router, prober, live, shared, alerts);
        } catch (Exception | Error e) {
            closeAll(parts);
            throw e;
        }
    }

    /**
     * {@code GET /health}: always 200 while the server runs (model traffic is served), and
     * {@code "status":"degraded"} while usage rows wait for a database that cannot be reached
     * ({@code "database":"down"}) or, with {@code redis:} set, while Redis does not answer
     * ({@code "redis":"down"}: the instance serves on local state); with {@code redis:} it also
     * says how many instances the heartbeats count.
     */
    static Endpoint health(Optional<SharedState> shared, BooleanSupplier databaseDown) {
        String version = Version.current();
        byte[] alone = ("{\"status\":\"ok\",\"version\":\"" + version + "\"}").getBytes(StandardCharsets.UTF_8);
        return exchange -> {
            boolean dbDown = databaseDown.getAsBoolean();
            if (shared.isEmpty() && !dbDown) {
                exchange.downstream().respond(200, "application/json", alone);
                return;
            }
            boolean redisUp = shared.map(SharedState::redisUp).orElse(true);
            StringBuilder json = new StringBuilder(96).append("{\"status\":\"")
                    .append(redisUp && !dbDown ? "ok" : "degraded").append("\",\"version\":\"").append(version)
                    .append('"');
            if (dbDown) {
                json.append(",\"database\":\"down\"");
            }
            shared.ifPresent(s -> json.append(",\"redis\":\"").append(redisUp ? "up" : "down")
                    .append("\",\"instances\":").append(s.instances()));
            exchange.downstream().respond(200, "application/json",
                    json.append('}').toString().getBytes(StandardCharsets.UTF_8));
        };
    }

    private static ServerLimits serverLimits(ServerSettings settings) {
        return new ServerLimits(settings.headerTimeout(), settings.bodyTimeout(), settings.bodyMinRate(),
                settings.maxConnectionsPerIp(), settings.capLoopback(), settings.shutdownGrace());
    }

    /** Where local state lives: beside the SQLite file, else {@code ./data}. */
    static Path dataDirectory(GatewayConfig config) {
        if (config.database().startsWith("sqlite:")) {
            Path parent = Database.sqlitePath(config.database()).getParent();
            return parent != null ? parent : Path.of(".").toAbsolutePath();
        }
        return Path.of("data").toAbsolutePath();
    }

    public int port() {
        return server.port();
    }

    /**
     * Where config changes are announced to the other instances (and heard from them): over Redis
     * when {@code redis:} is set, nowhere otherwise. See {@link ConfigWatcher}.
     */
    ConfigChanges configChanges() {
        return shared.map(SharedState::changes).orElseGet(ConfigChanges::none);
    }

    /** The state shared through Redis, when {@code redis:} is set. */
    Optional<SharedState> sharedState() {
        return shared;
    }

    public Database database() {
        return database;
    }

    public UsageWriter usage() {
        return usage;
    }

    /** Channels and their routing state (cooldowns, circuits, disabled keys). */
    public Router router() {
        return router;
    }

    /** The alert rules, their evaluation, notifications and exceptions. */
    public AlertService alerts() {
        return alerts;
    }

    /** Runs the health checks and key probes that are due now (they also run every second). */
    public void runHealthChecks() {
        prober.runDue();
    }

    /**
     * Stops with the server's grace period: new requests are refused, requests in progress finish
     * (or are ended with the in-band error once the grace period is over), queued usage records are
     * written, then everything else closes. Calling it again does nothing.
     */
    @Override
    public void close() {
        stop(null);
    }

    /** As {@link #close()}, with requests in progress given {@code grace} (null: the server's own). */
    public synchronized void stop(Duration grace) {
        if (parts.isEmpty()) {
            return;
        }
        try {
            if (grace == null) {
                server.close();
            } else {
                server.stop(grace);
            }
        } catch (Exception e) {
            LOG.warn("error while stopping the server: {}", e.toString());
        }
        closeAll(parts);
    }

    private static void closeAll(Deque<AutoCloseable> parts) {
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception e) {
                LOG.warn("error while stopping: {}", e.toString());
            }
        }
    }
}
