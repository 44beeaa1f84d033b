package dev.junction.ingress;

import dev.junction.core.Clock;
import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import dev.junction.governance.KeyRing;
import dev.junction.http.Exchange;
import dev.junction.http.Routes;
import dev.junction.protocol.anthropic.AnthropicClientRequest;
import dev.junction.protocol.openai.ChatClientRequest;
import dev.junction.protocol.openai.ChatRequest;
import dev.junction.protocol.openai.EmbeddingsClientRequest;
import dev.junction.relay.Codecs;
import dev.junction.relay.Relay;
import dev.junction.routing.Router;
import dev.junction.store.ResponseStore;
import dev.junction.usage.UsageWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** The public API's route table. */
public final class Endpoints {

    private Endpoints() {
    }

    public static Routes routes(String version, Supplier<KeyRing> keys, Router router, Relay relay,
            UsageWriter usage, ResponseStore responseStore, Clock clock) {
        Authenticator auth = new Authenticator(keys);
        StoredResponses responses = new StoredResponses(responseStore, clock);
        byte[] health = ("{\"status\":\"ok\",\"version\":\"" + version + "\"}").getBytes(StandardCharsets.UTF_8);
        GeminiEndpoint gemini = new GeminiEndpoint(auth, router, relay, usage, clock);
        return Routes.builder()
                .route("GET", "/health", exchange -> exchange.downstream().respond(200, "application/json", health))
                .route("POST", "/v1/chat/completions", new RelayEndpoint(auth, router, relay, usage, clock,
                        (exchange, body) -> ChatClientRequest.of(ChatRequest.parse(body)), ErrorShape.OPENAI::reply))
                .route("POST", "/v1/messages", new RelayEndpoint(auth, router, relay, usage, clock,
                        Endpoints::anthropic, ErrorShape.ANTHROPIC::reply))
                .route("POST", "/v1/messages/count_tokens", new CountTokensEndpoint(auth, router,
                        new RelayEndpoint(auth, router, relay, usage, clock, Endpoints::anthropicCount,
                                ErrorShape.ANTHROPIC::reply)))
                .route("POST", "/v1/embeddings", new RelayEndpoint(auth, router, relay, usage, clock,
                        (exchange, body) -> EmbeddingsClientRequest.parse(body, Codecs::of), ErrorShape.OPENAI::reply))
                .route("POST", "/v1/responses", new RelayEndpoint(auth, router, relay, usage, clock,
                        responses.parser(), ErrorShape.OPENAI::reply))
                .prefix(StoredResponses.PREFIX, responses.getter(auth))
                .route("GET", "/v1/models", new ModelsEndpoint(auth, router, clock.now().getEpochSecond()))
                .route("GET", "/v1beta/models", gemini)
                .prefix(GeminiEndpoint.PREFIX, gemini)
                .prefix("/v1beta/", exchange -> ErrorShape.GEMINI.reply(exchange.downstream(), GatewayException.of(
                        ErrorKind.NOT_FOUND, "There is no endpoint " + exchange.method() + " " + exchange.path()
                                + ". The Gemini API base URL is http://<host> (the client adds /v1beta/models/…).")))
                .notFound(exchange -> ErrorShape.OPENAI.reply(exchange.downstream(), GatewayException.of(
                        ErrorKind.NOT_FOUND, "There is no endpoint " + exchange.method() + " " + exchange.path()
                                + ". The OpenAI-compatible base URL is http://<host>/v1.")))
                .methodNotAllowed(exchange -> ErrorShape.OPENAI.reply(exchange.downstream(), GatewayException.of(
                        ErrorKind.METHOD_NOT_ALLOWED, exchange.method() + " is not allowed on " + exchange.path()
                                + ".")))
                .build();
    }

    /** An Anthropic Messages request, with the version and betas the client asked for. */
    private static AnthropicClientRequest anthropic(Exchange exchange, byte[] body) {
        return AnthropicClientRequest.parse(body, exchange.header("anthropic-version").orElse(null),
                exchange.header("anthropic-beta").orElse(null));
    }

    static AnthropicClientRequest anthropicCount(Exchange exchange, byte[] body) {
        return AnthropicClientRequest.parseCountTokens(body, exchange.header("anthropic-version").orElse(null),
                exchange.header("anthropic-beta").orElse(null));
    }
}
