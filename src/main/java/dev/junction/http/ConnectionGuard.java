package dev.junction.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps slow and greedy clients from holding the server's connections: it caps the connections one
 * remote address may hold (one over the cap gets a 429 and is closed), and it closes a connection
 * whose next request has started arriving but whose headers are not complete within the header
 * timeout. Jetty's idle timeout alone restarts with every byte, so a client dripping one byte at a
 * time would hold its connection for ever. (Bodies are bounded where they are read, in
 * {@link JettyExchange#body()}.)
 *
 * <p>The check runs on one watcher thread a few times per header timeout, over every open
 * connection, reading counters Jetty keeps anyway: no timer per request.
 */
final class ConnectionGuard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

    /** What the guard knows about one connection. */
    static final class Track {
        private final Connection connection;
        private final InetAddress counted;
        private volatile boolean handling;
        private volatile long idleBytes;
        private long partialSince; // watcher thread only; 0 when no request is arriving

        private Track(Connection connection, InetAddress counted) {
            this.connection = connection;
            this.counted = counted;
        }
    }

    private final ServerLimits limits;
    private final Map<Connection, Track> tracks = new ConcurrentHashMap<>();
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final Thread watcher;
    private volatile boolean running = true;

    ConnectionGuard(ServerLimits limits) {
        this.limits = limits;
        this.watcher = Thread.ofPlatform().name("junction-slow-clients").daemon(true).unstarted(this::watch);
    }

    void start() {
        watcher.start();
    }

    /** Jetty's HTTP/1.1 connection factory, with every new connection admitted (or refused) here. */
    HttpConnectionFactory connectionFactory(HttpConfiguration http) {
        return new HttpConnectionFactory(http) {
            @Override
            public Connection newConnection(Connector connector, EndPoint endPoint) {
                InetAddress address = countedAddress(endPoint);
                if (address != null && !admit(address)) {
                    LOG.warn("refused a connection from {}: it already holds {} connections (the cap)",
                            address.getHostAddress(), limits.maxConnectionsPerAddress());
                    return RefusedConnection.tooManyConnections(endPoint, connector.getExecutor(),
                            limits.maxConnectionsPerAddress());
                }
                Connection connection = super.newConnection(connector, endPoint);
                Track track = new Track(connection, address);
                tracks.put(connection, track);
                connection.addEventListener(new Connection.Listener() {
                    @Override
                    public void onClosed(Connection closed) {
                        tracks.remove(closed);
                        if (address != null) {
                            release(address);
                        }
                    }
                });
                return connection;
            }
        };
    }

    /** Open connections (refused ones excluded) from {@code address}. */
    int connectionsFrom(InetAddress address) {
        return perAddress.getOrDefault(address, 0);
    }

    /** The connection's request reached the handler: its headers are complete. */
    void handling(Connection connection) {
        Track track = tracks.get(connection);
        if (track != null) {
            track.handling = true;
        }
    }

    /** The handler is done with the connection's request; whatever arrives next is a new request. */
    void idle(Connection connection) {
        Track track = tracks.get(connection);
        if (track != null) {
            track.idleBytes = connection.getBytesIn();
            track.handling = false;
        }
    }

    /** Closes every connection that is waiting for a request and has received none of one (for a stop). */
    void closeIdle() {
        for (Track track : tracks.values()) {
            if (!track.handling && track.connection.getBytesIn() == track.idleBytes) {
                track.connection.getEndPoint().close();
            }
        }
    }

    private InetAddress countedAddress(EndPoint endPoint) {
        if (limits.maxConnectionsPerAddress() == 0
                || !(endPoint.getRemoteSocketAddress() instanceof InetSocketAddress remote)
                || remote.getAddress() == null) {
            return null;
        }
        InetAddress address = remote.getAddress();
        return address.isLoopbackAddress() && !limits.capLoopback() ? null : address;
    }

    private boolean admit(InetAddress address) {
        if (perAddress.merge(address, 1, Integer::sum) <= limits.maxConnectionsPerAddress()) {
            return true;
        }
        release(address);
        return false;
    }

    private void release(InetAddress address) {
        perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    private void watch() {
        long timeout = limits.headerTimeout().toNanos();
        long interval = Math.clamp(timeout / 4, TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(1));
        while (running) {
            LockSupport.parkNanos(this, interval);
            long now = System.nanoTime();
            for (Track track : tracks.values()) {
                if (track.handling || track.connection.getBytesIn() == track.idleBytes) {
                    track.partialSince = 0;
                } else if (track.partialSince == 0) {
                    track.partialSince = now;
                } else if (now - track.partialSince > timeout) {
                    LOG.debug("closing {}: its request headers took longer than {}", track.connection,
                            limits.headerTimeout());
                    track.connection.getEndPoint().close();
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(watcher);
    }
}
