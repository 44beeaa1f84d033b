package dev.junction.admin;

import dev.junction.core.GatewayException;
import dev.junction.http.Downstream;
import dev.junction.http.Endpoint;
import dev.junction.http.Exchange;
import dev.junction.store.Conflict;
import dev.junction.store.Database;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serves every path under {@code /api/}: routes the request, authenticates it (except on the open
 * routes), requires the session's CSRF token on writes made with the session cookie, runs the
 * handler and writes its reply or its error as JSON.
 */
final class ApiEndpoint implements Endpoint {

    private static final Logger LOG = LoggerFactory.getLogger(ApiEndpoint.class);

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final byte[] EMPTY = new byte[0];

    private final Router router;
    private final Authenticator auth;
    private final Sessions sessions;
    private final Client.Proxies proxies;

    ApiEndpoint(Router router, Authenticator auth, Sessions sessions, Client.Proxies proxies) {
        this.router = router;
        this.auth = auth;
        this.sessions = sessions;
        this.proxies = proxies;
    }

    @Override
    public void handle(Exchange exchange) throws Exception {
        Downstream down = exchange.downstream();
        down.header("Cache-Control", "no-store");
        Reply reply;
        try {
            reply = serve(exchange);
        } catch (ApiException e) {
            reply = error(e);
        } catch (Conflict e) {
            reply = error(ApiException.conflict("conflict", "That conflicts with what is stored.", null));
        } catch (GatewayException e) {
            reply = new Reply(e.kind().status(), errorBody(e.getMessage(), "invalid_request_error",
                    "invalid_request", null), Map.of());
        } catch (RuntimeException e) {
            if (!Database.unreachable(e)) {
                throw e;
            }
            LOG.warn("{} {}: the database is unreachable: {}", exchange.method(), exchange.path(), e.toString());
            reply = new Reply(503, errorBody("The database cannot be reached now; try again shortly. Model traffic "
                    + "is served meanwhile.", "server_error", "database_unavailable", null), Map.of("Retry-After", "5"));
        }
        reply.headers().forEach(down::header);
        if (reply.stream() != null) {
            down.startBody(reply.status(), reply.streamType());
            reply.stream().writeTo(down);
            down.finish();
        } else if (reply.body() == null) {
            down.respond(reply.status(), "application/json", EMPTY);
        } else {
            down.respond(reply.status(), "application/json", Json.bytes(reply.body()));
        }
    }

    private Reply serve(Exchange exchange) {
        Router.Match match = router.match(exchange.method(), exchange.path());
        Client client = proxies.of(exchange);
        Caller caller = null;
        if (!match.route().open()) {
            caller = auth.require(exchange);
            if (!READS.contains(exchange.method()) && caller.session().isPresent()
                    && !sessions.csrfMatches(caller.session().get(), exchange.header(Sessions.CSRF_HEADER).orElse(null))) {
                throw ApiException.forbidden("csrf_failed", "A write made with the session cookie needs the "
                        + "session's CSRF token in the '" + Sessions.CSRF_HEADER + "' header (from sign-in or GET /api/me).");
            }
        }
        return match.route().handler().handle(new Call(exchange, match.params(), client, caller));
    }

    private static Reply error(ApiException e) {
        ObjectNode body = errorBody(e.getMessage(), e.type(), e.code(), e.param().orElse(null));
        e.problems().ifPresent(problems -> ((ObjectNode) body.get("error")).set("problems", problems));
        Reply reply = new Reply(e.status(), body, Map.of());
        if (e.retryAfter().isPresent()) {
            reply = reply.withHeader("Retry-After", Long.toString(Math.max(1, e.retryAfter().get().toSeconds())));
        }
        if (e.status() == 401) {
            reply = reply.withHeader("WWW-Authenticate", "Bearer realm=\"junction-admin\"");
        }
        return reply;
    }

    private static ObjectNode errorBody(String message, String type, String code, String param) {
        ObjectNode error = Json.object();
        error.put("message", message);
        error.put("type", type);
        error.put("code", code);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        ObjectNode body = Json.object();
        body.set("error", error);
        return body;
    }
}
