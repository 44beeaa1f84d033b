package dev.junction.http;

import dev.junction.core.Clock;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * The client-facing HTTP server: Jetty core (no servlets), one virtual thread per request, so
 * endpoints are plain blocking code. Jetty sets TCP_NODELAY, so streamed events are not held back
 * by Nagle's algorithm.
 */
public final class GatewayServer implements AutoCloseable {

    /** Most requests in progress at once; beyond it requests queue in Jetty. */
    private static final int MAX_CONCURRENT_REQUESTS = 16_384;

    /** How long a stop waits for requests in progress (streams included) to finish. */
    private static final Duration DRAIN = Duration.ofSeconds(30);

    private final Server server;
    private final ServerConnector connector;
    private final JettyHandler handler;
    private final Deadlines watchStarts;

    private GatewayServer(Server server, ServerConnector connector, JettyHandler handler, Deadlines watchStarts) {
        this.watchStarts = watchStarts;
        this.server = server;
        this.connector = connector;
        this.handler = handler;
    }

    /**
     * Binds and starts serving.
     *
     * @param maxBodyBytes the largest request body accepted (larger gets 413)
     */
    public static GatewayServer start(String host, int port, Routes routes, long maxBodyBytes, Clock clock)
            throws Exception {
        Objects.requireNonNull(routes, "routes");
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
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        // Streams may stay silent while an upstream thinks; the relay's own timeouts bound that.
        connector.setIdleTimeout(Duration.ofMinutes(10).toMillis());
        server.addConnector(connector);
        Deadlines watchStarts = new Deadlines("junction-disconnect-watch");
        JettyHandler handler = new JettyHandler(routes, maxBodyBytes, clock, watchStarts);
        server.setHandler(handler);
        // Draining is done by close(); idle keep-alive connections need no grace period.
        server.setStopTimeout(0);
        try {
            server.start();
        } catch (Exception e) {
            watchStarts.close();
            throw e;
        }
        return new GatewayServer(server, connector, handler, watchStarts);
    }

    /** The bound port (useful when started on port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /**
     * Drains, then stops: no new connections are accepted, requests in progress get up to 30 s to
     * finish, then every connection is closed.
     */
    @Override
    public void close() throws Exception {
        connector.close();
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (handler.inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        server.stop();
        watchStarts.close();
    }
}
