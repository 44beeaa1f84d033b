package dev.junction.ingress;

import dev.junction.core.GatewayException;
import dev.junction.governance.GatewayKey;
import dev.junction.http.Endpoint;
import dev.junction.http.Exchange;
import dev.junction.protocol.anthropic.AnthropicModels;
import dev.junction.protocol.openai.OpenAiModels;
import dev.junction.routing.Router;

/**
 * {@code GET /v1/models}: the public models the caller's key may use, in Anthropic's list shape
 * when the request carries {@code anthropic-version} (the Anthropic SDKs always send it), else in
 * OpenAI's.
 */
final class ModelsEndpoint implements Endpoint {

    private final Authenticator auth;
    private final Router router;
    private final long createdEpochSeconds;

    ModelsEndpoint(Authenticator auth, Router router, long createdEpochSeconds) {
        this.auth = auth;
        this.router = router;
        this.createdEpochSeconds = createdEpochSeconds;
    }

    @Override
    public void handle(Exchange exchange) throws Exception {
        boolean anthropic = exchange.header("anthropic-version").isPresent();
        GatewayKey key;
        try {
            key = auth.require(exchange);
        } catch (GatewayException e) {
            if (anthropic) {
                ErrorShape.ANTHROPIC.reply(exchange.downstream(), e);
            } else {
                ErrorShape.OPENAI.reply(exchange.downstream(), e);
            }
            return;
        }
        var models = router.models().stream().filter(key::allows).toList();
        exchange.downstream().respond(200, "application/json", anthropic
                ? AnthropicModels.list(models, createdEpochSeconds) : OpenAiModels.list(models, createdEpochSeconds));
    }
}
