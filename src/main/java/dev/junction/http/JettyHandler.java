package dev.junction.http;

import dev.junction.core.Clock;
import dev.junction.core.RequestIds;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Adapts Jetty's request callback to {@link Endpoint}s; runs on a virtual thread, so it blocks. */
final class JettyHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(JettyHandler.class);
    private static final byte[] INTERNAL_ERROR = """
            {"error":{"message":"The gateway failed unexpectedly; the request id is in x-request-id.",\
            "type":"server_error","param":null,"code":"internal_error"}}"""
            .getBytes(StandardCharsets.UTF_8);

    private final Routes routes;
    private final long maxBodyBytes;
    private final Clock clock;
    private final Deadlines watchStarts;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    JettyHandler(Routes routes, long maxBodyBytes, Clock clock, Deadlines watchStarts) {
        super(InvocationType.BLOCKING);
        this.watchStarts = watchStarts;
        this.routes = routes;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
    }

    /** Requests being handled right now. */
    int inFlight() {
        return inFlight.get();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        inFlight.incrementAndGet();
        try {
            serve(request, response, callback);
        } finally {
            inFlight.decrementAndGet();
        }
        return true;
    }

    private void serve(Request request, Response response, Callback callback) {
        String requestId = RequestIds.next(clock);
        response.getHeaders().put("x-request-id", requestId);
        JettyExchange exchange = new JettyExchange(requestId, request, response, maxBodyBytes, watchStarts);
        try {
            routes.find(request.getMethod(), Request.getPathInContext(request)).handle(exchange);
            exchange.complete();
            callback.succeeded();
        } catch (Downstream.ClientGoneException e) {
            exchange.stopWatching();
            callback.failed(e);
        } catch (Throwable e) {
            exchange.stopWatching();
            LOG.error("{} {} {} failed", requestId, request.getMethod(), Request.getPathInContext(request), e);
            if (!exchange.committed()) {
                try {
                    exchange.respond(500, "application/json", INTERNAL_ERROR);
                    callback.succeeded();
                    return;
                } catch (Downstream.ClientGoneException ignored) {
                    // Fall through to fail the callback.
                }
            }
            callback.failed(e);
        }
    }
}
