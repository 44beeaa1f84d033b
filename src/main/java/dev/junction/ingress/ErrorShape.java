package dev.junction.ingress;

import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import dev.junction.http.Downstream;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.http.Exchange;
import dev.junction.protocol.anthropic.AnthropicErrors;
import dev.junction.protocol.gemini.GeminiErrors;
import dev.junction.protocol.openai.OpenAiErrors;
import java.util.function.BiFunction;

/** Gateway-made errors in one client API's shape (DESIGN.md §4), answered before anything is relayed. */
record ErrorShape(BiFunction<ErrorKind, String, byte[]> body) {

    static final ErrorShape OPENAI = new ErrorShape(OpenAiErrors::body);
    static final ErrorShape ANTHROPIC = new ErrorShape(AnthropicErrors::body);
    static final ErrorShape GEMINI = new ErrorShape(GeminiErrors::body);

    /**
     * The shape of the API a request speaks, from its path: Gemini under {@code /v1beta/} and for
     * Gemini's requests under {@code /v1/models} ({@link GeminiEndpoint#speaksGemini}),
     * Anthropic for {@code /v1/messages…} and for {@code /v1/models…} with an
     * {@code anthropic-version} header (the Anthropic SDKs send it), OpenAI for the rest.
     */
    static ErrorShape of(Exchange exchange) {
        String path = exchange.path();
        if (path.startsWith("/v1beta/") || GeminiEndpoint.speaksGemini(exchange)) {
            return GEMINI;
        }
        if (path.equals("/v1/messages") || path.startsWith("/v1/messages/")
                || path.startsWith("/v1/models") && exchange.header("anthropic-version").isPresent()) {
            return ANTHROPIC;
        }
        return OPENAI;
    }

    /** Answers {@code error}, with {@code Retry-After} when the gateway knows the wait. */
    void reply(Downstream down, GatewayException error) throws ClientGoneException {
        error.retryAfter().ifPresent(d -> down.header("Retry-After", Long.toString(Math.max(1, d.toSeconds()))));
        down.respond(error.kind().status(), "application/json", body.apply(error.kind(), error.getMessage()));
    }

    /** Answers 405 for a path that serves only {@code allowed} (a comma-separated list, for {@code Allow}). */
    void methodNotAllowed(Exchange exchange, String allowed) throws ClientGoneException {
        exchange.downstream().header("Allow", allowed);
        reply(exchange.downstream(), GatewayException.of(ErrorKind.METHOD_NOT_ALLOWED, exchange.method()
                + " is not allowed on " + exchange.path() + "; use " + allowed + "."));
    }
}
