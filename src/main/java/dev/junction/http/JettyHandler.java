package dev.junction.http;

import dev.junction.core.Clock;
import dev.junction.core.RequestIds;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Adapts Jetty's request callback to {@link Endpoint}s; runs on a virtual thread, so it blocks. */
final class JettyHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(JettyHandler.class);
    /** Seconds a client refused during a stop is asked to wait before retrying (another instance, or this one restarted). */
    static final String RETRY_AFTER_STOPPING = "2";

    private final Routes routes;
    private final long maxBodyBytes;
    private final ServerLimits limits;
    private final Clock clock;
    private final Deadlines watchStarts;
    private final ConnectionGuard guard;
    private final Set<JettyExchange> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    JettyHandler(Routes routes, long maxBodyBytes, ServerLimits limits, Clock clock, Deadlines watchStarts,
            ConnectionGuard guard) {
        super(InvocationType.BLOCKING);
        this.watchStarts = watchStarts;
        this.routes = routes;
        this.maxBodyBytes = maxBodyBytes;
        this.limits = limits;
        this.clock = clock;
        this.guard = guard;
    }

    /** Requests being handled right now. */
    int inFlight() {
        return inFlight.size();
    }

    /** From now on new requests are refused with a 503 and {@code Connection: close}. */
    void stopAccepting() {
        stopping = true;
    }

    /** Ends the requests still in progress: each is told the gateway is stopping (see {@link JettyExchange#stop()}). */
    void stopInFlight() {
        inFlight.forEach(JettyExchange::stop);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Connection connection = request.getConnectionMetaData().getConnection();
        guard.handling(connection);
        try {
            if (stopping) {
                refuse(request, response, callback);
            } else {
                serve(request, response, callback);
            }
        } finally {
            guard.idle(connection);
        }
        return true;
    }

    /** A request that arrived during a stop: 503 in the client's shape; the connection is closed after it. */
    private void refuse(Request request, Response response, Callback callback) {
        byte[] body = EdgeErrors.body(Request.getPathInContext(request), 503,
                "The gateway is shutting down; retry the request.");
        response.setStatus(503);
        response.getHeaders().put("x-request-id", RequestIds.next(clock));
        response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_STOPPING);
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private void serve(Request request, Response response, Callback callback) {
        String requestId = RequestIds.next(clock);
        response.getHeaders().put("x-request-id", requestId);
        JettyExchange exchange = new JettyExchange(requestId, request, response, maxBodyBytes, limits, watchStarts);
        inFlight.add(exchange);
        try {
            routes.find(request.getMethod(), Request.getPathInContext(request)).handle(exchange);
            if (exchange.aborted()) {
                // A body cut mid-way: held bytes go out, then the connection ends without the last chunk.
                exchange.flushHeld();
                exchange.stopWatching();
                callback.failed(new java.io.IOException("the upstream body broke off"));
                return;
            }
            exchange.complete();
            callback.succeeded();
        } catch (Downstream.ClientGoneException e) {
            exchange.stopWatching();
            callback.failed(e);
        } catch (Throwable e) {
            exchange.stopWatching();
            String path = Request.getPathInContext(request);
            LOG.error("{} {} {} failed", requestId, request.getMethod(), path, e);
            if (!exchange.committed()) {
                try {
                    exchange.respond(500, "application/json", EdgeErrors.body(path, 500,
                            "The gateway failed unexpectedly; the request id is in x-request-id."));
                    callback.succeeded();
                    return;
                } catch (Downstream.ClientGoneException ignored) {
                    // Fall through to fail the callback.
                }
            }
            callback.failed(e);
        } finally {
            inFlight.remove(exchange);
        }
    }
}
