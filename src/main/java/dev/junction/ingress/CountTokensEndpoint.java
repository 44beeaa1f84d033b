package dev.junction.ingress;

import dev.junction.core.ChannelType;
import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import dev.junction.governance.GatewayKey;
import dev.junction.http.Endpoint;
import dev.junction.http.Exchange;
import dev.junction.protocol.anthropic.AnthropicClientRequest;
import dev.junction.routing.Candidate;
import dev.junction.routing.Router;
import dev.junction.http.Downstream;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /v1/messages/count_tokens}: when the model's first channel is an Anthropic one, the
 * request is relayed there (Anthropic counts exactly); otherwise no provider can count Anthropic
 * requests, and the gateway answers a local estimate in the same shape.
 */
final class CountTokensEndpoint implements Endpoint {

    private final Authenticator auth;
    private final Router router;
    private final RelayEndpoint relayed;

    CountTokensEndpoint(Authenticator auth, Router router, RelayEndpoint relayed) {
        this.auth = auth;
        this.router = router;
        this.relayed = relayed;
    }

    @Override
    public void handle(Exchange exchange) throws Exception {
        AnthropicClientRequest request;
        byte[] body;
        try {
            GatewayKey key = auth.require(exchange);
            body = exchange.body();
            request = Endpoints.anthropicCount(exchange, body);
            if (!key.allows(request.model())) {
                throw GatewayException.of(ErrorKind.PERMISSION,
                        "The key '" + key.name() + "' may not use model '" + request.model() + "'.");
            }
        } catch (GatewayException e) {
            ErrorShape.ANTHROPIC.reply(exchange.downstream(), e);
            return;
        }
        List<Candidate> candidates = router.candidates(request.model());
        if (candidates.isEmpty() || candidates.getFirst().channel().config().type() == ChannelType.ANTHROPIC) {
            relayed.handle(new ReadExchange(exchange, body)); // unknown models get their 404 there
            return;
        }
        exchange.downstream().respond(200, "application/json", request.estimateTokens());
    }

    /** The exchange with its body already read (a body can be read once). */
    private record ReadExchange(Exchange exchange, byte[] body) implements Exchange {
        @Override
        public String requestId() {
            return exchange.requestId();
        }

        @Override
        public String method() {
            return exchange.method();
        }

        @Override
        public String path() {
            return exchange.path();
        }

        @Override
        public Optional<String> query(String name) {
            return exchange.query(name);
        }

        @Override
        public Optional<String> header(String name) {
            return exchange.header(name);
        }

        @Override
        public Downstream downstream() {
            return exchange.downstream();
        }
    }
}
