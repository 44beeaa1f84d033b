package dev.junction.ingress;

import dev.junction.core.GatewayException;
import dev.junction.http.Downstream;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.protocol.openai.OpenAiErrors;

/** Answers gateway-made errors in the OpenAI API's shape, for the OpenAI-compatible endpoints. */
final class OpenAiFormat {

    static final OpenAiFormat INSTANCE = new OpenAiFormat();

    private OpenAiFormat() {
    }

    /** Answers a gateway-made error, with {@code Retry-After} when the gateway knows the wait. */
    void reply(Downstream down, GatewayException error) throws ClientGoneException {
        error.retryAfter().ifPresent(d -> down.header("Retry-After", Long.toString(Math.max(1, d.toSeconds()))));
        down.respond(error.kind().status(), "application/json", OpenAiErrors.body(error.kind(), error.getMessage()));
    }
}
