package dev.junction.app;

import dev.junction.config.GatewayConfig;
import dev.junction.config.ServerSettings;
import dev.junction.core.Clock;
import dev.junction.governance.KeyHasher;
import dev.junction.governance.KeyRing;
import dev.junction.governance.KeyStore;
import dev.junction.http.GatewayServer;
import dev.junction.http.ServerLimits;
import dev.junction.http.UpstreamClient;
import dev.junction.ingress.Endpoints;
import dev.junction.relay.Relay;
import dev.junction.relay.HealthProber;
import dev.junction.routing.Router;
import dev.junction.store.Database;
import dev.junction.store.ResponseStore;
import dev.junction.store.Secrets;
import dev.junction.usage.UsageWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
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

    private final Deque<AutoCloseable> parts;
    private final GatewayServer server;
    private final Database database;
    private final UsageWriter usage;
    private final Router router;
    private final HealthProber prober;

    private Gateway(Deque<AutoCloseable> parts, GatewayServer server, Database database, UsageWriter usage,
            Router router, HealthProber prober) {
        this.parts = parts;
        this.server = server;
        this.database = database;
        this.usage = usage;
        this.router = router;
        this.prober = prober;
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
            keyStore.syncFromConfig(config.keys(), clock.now().toEpochMilli());
            KeyRing keys = keyStore.ring();
            if (keys.size() == 0) {
                LOG.warn("No gateway keys are configured: every API call will be refused with 401. "
                        + "Add a 'keys:' section to the config file.");
            }
            Router router = Router.of(ModelListing.resolve(config.channels()), config.failover(), random, clock);
            UpstreamClient upstream = UpstreamClient.create("Junction/" + Version.current());
            parts.push(upstream);
            UsageWriter usageWriter = UsageWriter.start(database, USAGE_QUEUE);
            parts.push(usageWriter);
            Relay relay = Relay.create(router, upstream, clock, config.failover());
            HealthProber prober = HealthProber.start(router, upstream, clock, config.failover());
            parts.push(prober);
            GatewayServer server = GatewayServer.start(config.listen().host(), config.listen().port(),
                    Endpoints.routes(Version.current(), () -> keys, router, relay, usageWriter,
                            new ResponseStore(database, ResponseStore.DEFAULT_RETENTION), clock),
                    config.maxBodyBytes(), clock, serverLimits(config.server()));
            parts.push(server);
            return new Gateway(parts, server, database, usageWriter, router, prober);
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
