package dev.junction.app;

import dev.junction.admin.AdminApi;
import dev.junction.admin.web.Dashboard;
import dev.junction.catalog.Catalog;
import dev.junction.config.ChannelConfig;
import dev.junction.config.GatewayConfig;
import dev.junction.config.ServerSettings;
import dev.junction.core.Clock;
import dev.junction.governance.DeclaredKey;
import dev.junction.governance.KeyHasher;
import dev.junction.governance.KeyRing;
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
import dev.junction.routing.DeclaredChannel;
import dev.junction.routing.Router;
import dev.junction.routing.RoutingSnapshot;
import dev.junction.state.State;
import dev.junction.store.ChannelStore;
import dev.junction.store.Database;
import dev.junction.store.ResponseStore;
import dev.junction.store.Secrets;
import dev.junction.usage.RequestObserver;
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
    /** Seeds the owner account when the config file has no {@code admin.password}. */
    static final String ADMIN_PASSWORD_ENV = "JUNCTION_ADMIN_PASSWORD";

    private final Deque<AutoCloseable> parts;
    private final GatewayServer server;
    private final Database database;
    private final UsageWriter usage;
    private final Router router;
    private final HealthProber prober;
    private final ChannelStore channels;
    private final Clock clock;

    private Gateway(Deque<AutoCloseable> parts, GatewayServer server, Database database, UsageWriter usage,
            Router router, HealthProber prober, ChannelStore channels, Clock clock) {
        this.parts = parts;
        this.server = server;
        this.database = database;
        this.usage = usage;
        this.router = router;
        this.prober = prober;
        this.channels = channels;
        this.clock = clock;
    }

    /** The channels with the stable ids the store holds for them (recording new ones). */
    private static List<DeclaredChannel> declare(ChannelStore store, List<ChannelConfig> configs, Clock clock) {
        Map<String, Long> ids = store.syncFromFile(configs.stream().map(c -> new ChannelStore.FileChannel(c.name(),
                c.type().configName(), c.baseUrl().toString())).toList(), clock.now().toEpochMilli());
        return configs.stream().map(c -> new DeclaredChannel(ids.get(c.name()), c)).toList();
    }

    /**
     * Replaces the file's channels with {@code configs} without a restart: records them, builds the
     * next routing snapshot and swaps it in. Requests in flight finish on the snapshot they started
     * with; channels and keys that stay keep their cooldowns, circuits and suspensions.
     */
    public synchronized RoutingSnapshot replaceChannels(List<ChannelConfig> configs) {
        return router.swap(declare(channels, configs, clock));
    }

    /** Starts a gateway for {@code config}; {@code environment} supplies secrets such as the master key. */
    public static Gateway start(GatewayConfig config, Function<String, String> environment, Clock clock,
            RandomGenerator random) throws Exception {
        Objects.requireNonNull(config, "config");
        Deque<AutoCloseable> parts = new ArrayDeque<>();
        try {
            Database database = Database.open(config.database());
            parts.push(database);
            Secrets secrets = Secrets.load(dataDirectory(config), environment);
            KeyHasher hasher = KeyHasher.withPepper(secrets.derive("gateway-key-pepper"));
            KeyStore keyStore = new KeyStore(database, hasher);
            keyStore.syncFromFile(config.keys().stream()
                    .map(k -> new DeclaredKey(k.name(), k.key(), k.models())).toList(), clock.now().toEpochMilli());
            KeyRing keys = keyStore.ring();
            if (keys.size() == 0) {
                LOG.warn("No gateway keys are configured: every API call will be refused with 401. "
                        + "Add a 'keys:' section to the config file.");
            }
            ChannelStore channels = new ChannelStore(database);
            Router router = Router.create(declare(channels, ModelListing.resolve(config.channels()), clock),
                    config.failover(), config.routing(), new CatalogFacts(Catalog.builtIn()), State.inMemory(clock),
                    random, clock);
            UpstreamClient upstream = UpstreamClient.create("Junction/" + Version.current());
            parts.push(upstream);
            UsageWriter usageWriter = UsageWriter.start(database, USAGE_QUEUE);
            parts.push(usageWriter);
            Relay relay = Relay.create(router, upstream, clock, config.failover(), upstreamModel -> Catalog.builtIn()
                    .model(upstreamModel).map(model -> model.capabilities().prefill()).orElse(false));
            HealthProber prober = HealthProber.start(router, upstream, clock, config.failover());
            parts.push(prober);
            AdminApi admin = AdminApi.create(database, secrets, config.admin(), clock, router);
            config.admin().password().or(() -> Optional.ofNullable(environment.apply(ADMIN_PASSWORD_ENV))
                    .filter(p -> !p.isBlank())).ifPresent(admin::seedOwner);
            List<RequestObserver> observers = new ArrayList<>(List.of(AccessLog.create()));
            Optional<Endpoint> metricsEndpoint = Optional.empty();
            if (config.metrics().enabled()) {
                GatewayMetrics metrics = GatewayMetrics.builder()
                        .perKey(config.metrics().perKey())
                        .knownModels(router::serves)
                        .channels(new RouterChannelStates(router, clock))
                        .usageQueue(usageWriter::queued, USAGE_QUEUE, usageWriter::dropped)
                        .build();
                parts.push(metrics);
                observers.add(metrics);
                metricsEndpoint = Optional.of(exchange -> exchange.downstream().respond(200,
                        GatewayMetrics.CONTENT_TYPE, metrics.scrape().getBytes(StandardCharsets.UTF_8)));
            }
            GatewayServer server = GatewayServer.start(config.listen().host(), config.listen().port(),
                    Dashboard.create(admin).mountOn(Endpoints.routes(Version.current(), () -> keys, router, relay, usageWriter,
                            new ResponseStore(database, ResponseStore.DEFAULT_RETENTION), clock,
                            RequestObserver.all(observers), metricsEndpoint)
                            .mount(AdminApi.PREFIX, admin.endpoint())),
                    config.maxBodyBytes(), clock, serverLimits(config.server()));
            parts.push(server);
            return new Gateway(parts, server, database, usageWriter, router, prober, channels, clock);
        } catch (Exception | Error e) {
            closeAll(parts);
            throw e;
        }
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
