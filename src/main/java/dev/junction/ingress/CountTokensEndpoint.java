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
import java.util.List;

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
        try {
            GatewayKey key = auth.require(exchange);
            request = Endpoints.anthropicCount(exchange, exchange.body());
            if (!key.allows(request.model())) {
                throw GatewayException.of(ErrorKind.PERMISSION,
                        "The key '" + key.name() + "' may not use model '" + request.model() + "'.");
            }
        } catch (GatewayException e) {
            AnthropicFormat.INSTANCE.reply(exchange.downstream(), e);
            return;
        }
        List<Candidate> candidates = router.candidates(request.model());
        if (candidates.isEmpty() || candidates.getFirst().channel().config().type() == ChannelType.ANTHROPIC) {
            relayed.handle(exchange); // unknown models get their 404 there
            return;
        }
        exchange.downstream().respond(200, "application/json", request.estimateTokens());
    }
}
