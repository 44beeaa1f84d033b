package dev.junction.ingress;

import dev.junction.core.GatewayException;
import dev.junction.http.Downstream;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.protocol.gemini.GeminiErrors;

/** Answers gateway-made errors in Gemini's shape, for the {@code /v1beta} endpoints. */
final class GeminiFormat {

    static final GeminiFormat INSTANCE = new GeminiFormat();

    private GeminiFormat() {
    }

    void reply(Downstream down, GatewayException error) throws ClientGoneException {
        error.retryAfter().ifPresent(d -> down.header("Retry-After", Long.toString(Math.max(1, d.toSeconds()))));
        down.respond(error.kind().status(), "application/json", GeminiErrors.body(error.kind(), error.getMessage()));
    }
}
