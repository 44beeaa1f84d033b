package dev.junction.http;

import dev.junction.core.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client-facing HTTP server: Jetty core (no servlets), one virtual thread per request, so
 * endpoints are plain blocking code. Jetty sets TCP_NODELAY, so streamed events are not held back
 * by Nagle's algorithm. Slow clients are bounded by {@link ServerLimits}: header and body read
 * time, connections per client address.
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    /** Most requests in progress at once; beyond it requests queue in Jetty. */
    private static final int MAX_CONCURRENT_REQUESTS = 16_384;

    /** How long requests ended by a stop get to send their last words (the in-band error) before connections close. */
    private static final Duration LAST_WORDS = Duration.ofSeconds(5);

    private final Server server;
    private final ServerConnector connector;
    private final JettyHandler handler;
    private final Deadlines watchStarts;
    private final ConnectionGuard guard;
    private final ServerLimits limits;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private GatewayServer(Server server, ServerConnector connector, JettyHandler handler, Deadlines watchStarts,
            ConnectionGuard guard, ServerLimits limits) {
        this.watchStarts = watchStarts;
        this.server = server;
        this.connector = connector;
        this.handler = handler;
        this.guard = guard;
        this.limits = limits;
    }

    /**
     * Binds and starts serving with the {@linkplain ServerLimits#defaults() default limits}.
     *
     * @param maxBodyBytes the largest request body accepted (larger gets 413)
     */
    public static GatewayServer start(String host, int port, Routes routes, long maxBodyBytes, Clock clock)
            throws Exception {
        return start(host, port, routes, maxBodyBytes, clock, ServerLimits.defaults());
    }

    /**
     * Binds and starts serving.
     *
     * @param maxBodyBytes the largest request body accepted (larger gets 413)
     */
    public static GatewayServer start(String host, int port, Routes routes, long maxBodyBytes, Clock clock,
            ServerLimits limits) throws Exception {
        Objects.requireNonNull(routes, "routes");
        Objects.requireNonNull(limits, "limits");
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("junction-server");
        threads.setReservedThreads(0);
        VirtualThreadPool virtualThreads = new VirtualThreadPool(MAX_CONCURRENT_REQUESTS);
        virtualThreads.setName("junction-request");
        threads.setVirtualThreadsExecutor(virtualThreads);
        Server server = new Server(threads, null, Buffers.pool());
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Jetty caches each connection's repeated header lines in a trie of ~84 KB per connection,
        // built on its second request: 170 MB of heap for 2,000 keep-alive connections. Parsing the
        // few headers of an API call anew costs less than that memory.
        http.setHeaderCacheSize(0);
        ConnectionGuard guard = new ConnectionGuard(limits);
        ServerConnector connector = new ServerConnector(server, guard.connectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        // Streams may stay silent while an upstream thinks; the relay's own timeouts bound that.
        // Slow request headers and bodies are bounded by the ConnectionGuard and JettyExchange.
        connector.setIdleTimeout(Duration.ofMinutes(10).toMillis());
        // A stop must not cut a stream that is silent for a second (Jetty's default when stopping).
        connector.setShutdownIdleTimeout(limits.shutdownGrace().plus(LAST_WORDS).toMillis());
        server.addConnector(connector);
        server.setErrorHandler(new EdgeErrorHandler(clock));
        Deadlines watchStarts = new Deadlines("junction-disconnect-watch");
        JettyHandler handler = new JettyHandler(routes, maxBodyBytes, limits, clock, watchStarts, guard);
        server.setHandler(handler);
        // Draining is done by close(); idle keep-alive connections need no grace period.
        server.setStopTimeout(0);
        try {
            server.start();
            guard.start();
        } catch (Exception e) {
            watchStarts.close();
            guard.close();
            throw e;
        }
        return new GatewayServer(server, connector, handler, watchStarts, guard, limits);
    }

    /** The bound port (useful when started on port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Requests being handled right now. */
    public int inFlight() {
        return handler.inFlight();
    }

    /** Stops with the configured grace period; see {@link #stop(Duration)}. */
    @Override
    public void close() throws Exception {
        stop(limits.shutdownGrace());
    }

    /**
     * Stops in order: new connections are refused and requests arriving on open connections get a
     * 503 with {@code Connection: close}; idle connections are closed; requests in progress
     * (streams included) get up to {@code grace} to finish, each response closing its connection;
     * those still running then are ended with the reason in their client's API (an in-band error
     * event for a stream), and finally every connection is closed. Calling it again does nothing.
     */
    public void stop(Duration grace) throws Exception {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        handler.stopAccepting();
        connector.setShutdownIdleTimeout(grace.plus(LAST_WORDS).toMillis());
        connector.shutdown(); // responses completing from now on close their connection
        connector.close(); // new connections are refused
        guard.closeIdle();
        if (!drained(grace)) {
            LOG.warn("{} requests still in progress after the {} s grace period; ending them", handler.inFlight(),
                    grace.toSeconds());
            handler.stopInFlight();
            if (!drained(LAST_WORDS)) {
                LOG.warn("{} requests did not end in time; closing their connections", handler.inFlight());
            }
        }
        try {
            server.stop();
        } finally {
            guard.close();
            watchStarts.close();
        }
    }

    private boolean drained(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (handler.inFlight() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
