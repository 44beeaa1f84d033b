package dev.junction.ingress;

import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import dev.junction.http.Downstream;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.protocol.openai.OpenAiErrors;
import dev.junction.relay.ClientFormat;

/** The OpenAI API's error shapes, for the OpenAI-compatible endpoints. */
final class OpenAiFormat implements ClientFormat {

    static final OpenAiFormat INSTANCE = new OpenAiFormat();

    @Override
    public byte[] errorBody(ErrorKind kind, String message) {
        return OpenAiErrors.body(kind, message);
    }

    @Override
    public byte[] streamError(ErrorKind kind, String message) {
        return OpenAiErrors.streamEvent(kind, message);
    }

    /** Answers a gateway-made error. */
    void reply(Downstream down, GatewayException error) throws ClientGoneException {
        error.retryAfter().ifPresent(d -> down.header("Retry-After", Long.toString(Math.max(1, d.toSeconds()))));
        down.respond(error.kind().status(), "application/json", errorBody(error.kind(), error.getMessage()));
    }
}
