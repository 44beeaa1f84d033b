package dev.junction.ingress;

import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import dev.junction.http.Downstream;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.protocol.anthropic.AnthropicErrors;
import dev.junction.protocol.gemini.GeminiErrors;
import dev.junction.protocol.openai.OpenAiErrors;
import java.util.function.BiFunction;

/** Gateway-made errors in one client API's shape (DESIGN.md §4), answered before anything is relayed. */
record ErrorShape(BiFunction<ErrorKind, String, byte[]> body) implements RelayEndpoint.ErrorReply {

    static final ErrorShape OPENAI = new ErrorShape(OpenAiErrors::body);
    static final ErrorShape ANTHROPIC = new ErrorShape(AnthropicErrors::body);
    static final ErrorShape GEMINI = new ErrorShape(GeminiErrors::body);

    /** Answers {@code error}, with {@code Retry-After} when the gateway knows the wait. */
    @Override
    public void reply(Downstream down, GatewayException error) throws ClientGoneException {
        error.retryAfter().ifPresent(d -> down.header("Retry-After", Long.toString(Math.max(1, d.toSeconds()))));
        down.respond(error.kind().status(), "application/json", body.apply(error.kind(), error.getMessage()));
    }
}
