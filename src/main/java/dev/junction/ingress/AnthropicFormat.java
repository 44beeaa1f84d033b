package dev.junction.ingress;

import dev.junction.core.GatewayException;
import dev.junction.http.Downstream;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.protocol.anthropic.AnthropicErrors;

/** Answers gateway-made errors in the Anthropic Messages API's shape, for the {@code /v1/messages} endpoints. */
final class AnthropicFormat {

    static final AnthropicFormat INSTANCE = new AnthropicFormat();

    private AnthropicFormat() {
    }

    /** Answers a gateway-made error, with {@code Retry-After} when the gateway knows the wait. */
    void reply(Downstream down, GatewayException error) throws ClientGoneException {
        error.retryAfter().ifPresent(d -> down.header("Retry-After", Long.toString(Math.max(1, d.toSeconds()))));
        down.respond(error.kind().status(), "application/json", AnthropicErrors.body(error.kind(), error.getMessage()));
    }
}
