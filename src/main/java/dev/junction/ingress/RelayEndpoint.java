package dev.junction.ingress;

import dev.junction.core.Clock;
import dev.junction.core.EndReason;
import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import dev.junction.core.TokenUsage;
import dev.junction.governance.GatewayKey;
import dev.junction.http.Downstream;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.http.Endpoint;
import dev.junction.http.Exchange;
import dev.junction.protocol.ClientRequest;
import dev.junction.relay.Relay;
import dev.junction.relay.RelayResult;
import dev.junction.routing.Channel;
import dev.junction.routing.Router;
import dev.junction.usage.UsageRecord;
import dev.junction.usage.UsageWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An endpoint whose requests go to a channel — chat completions, messages, responses, generate
 * content: authenticate, parse in the endpoint's API, check the key's allow-list and the model,
 * relay, record usage. Client mistakes are answered here, in the endpoint's API shape, and never
 * reach an upstream.
 */
final class RelayEndpoint implements Endpoint {

    /** Reads a request body in one client API. */
    @FunctionalInterface
    interface Parser {
        /**
         * @throws GatewayException (400) when the body is not a valid request
         */
        ClientRequest parse(Exchange exchange, byte[] body);
    }

    /** Answers a gateway-made error in one client API's shape. */
    @FunctionalInterface
    interface ErrorReply {
        void reply(Downstream down, GatewayException error) throws ClientGoneException;
    }

    private final Authenticator auth;
    private final Router router;
    private final Relay relay;
    private final UsageWriter usage;
    private final Clock clock;
    private final Parser parser;
    private final ErrorReply errors;

    RelayEndpoint(Authenticator auth, Router router, Relay relay, UsageWriter usage, Clock clock, Parser parser,
            ErrorReply errors) {
        this.auth = auth;
        this.router = router;
        this.relay = relay;
        this.usage = usage;
        this.clock = clock;
        this.parser = parser;
        this.errors = errors;
    }

    @Override
    public void handle(Exchange exchange) throws Exception {
        Instant at = clock.now();
        long start = clock.nanoTime();
        GatewayKey key = null;
        ClientRequest request = null;
        try {
            key = auth.require(exchange);
            request = parser.parse(exchange, exchange.body());
            if (!key.allows(request.model())) {
                throw GatewayException.of(ErrorKind.PERMISSION,
                        "The key '" + key.name() + "' may not use model '" + request.model() + "'.");
            }
            if (!router.serves(request.model())) {
                throw GatewayException.of(ErrorKind.NOT_FOUND, "The model '" + request.model()
                        + "' does not exist here. The models list endpoint shows the models your key can use.");
            }
        } catch (GatewayException e) {
            errors.reply(exchange.downstream(), e);
            usage.record(new UsageRecord(exchange.requestId(), at, key == null ? null : key.name(),
                    request == null ? null : request.model(), null, null, e.kind().status(), TokenUsage.NONE,
                    millisSince(start), -1, request != null && request.stream(), List.of(), EndReason.REJECTED,
                    key == null ? null : key.id(), null));
            return;
        }
        RelayResult result = relay.relay(request, exchange.downstream());
        usage.record(new UsageRecord(exchange.requestId(), at, key.name(), request.model(), result.channel(),
                result.upstreamModel(), result.status(), result.usage(), millisSince(start), result.firstByteMillis(),
                request.stream(), result.attempts(), result.end(), key.id(), channelId(result.channel())));
    }

    /** The stable id of the channel that served, for the usage record. */
    private Long channelId(String channel) {
        return channel == null ? null : router.current().channelNamed(channel).map(Channel::id).orElse(null);
    }

    private long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - start);
    }
}
