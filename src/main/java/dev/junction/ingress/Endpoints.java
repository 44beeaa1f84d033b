package dev.junction.ingress;

import dev.junction.core.Clock;
import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import dev.junction.governance.KeySource;
import dev.junction.http.Endpoint;
import dev.junction.http.Exchange;
import dev.junction.http.Routes;
import dev.junction.protocol.anthropic.AnthropicClientRequest;
import dev.junction.protocol.openai.ChatClientRequest;
import dev.junction.protocol.openai.ChatRequest;
import dev.junction.protocol.openai.EmbeddingsClientRequest;
import dev.junction.protocol.openai.MediaClientRequest;
import dev.junction.protocol.openai.MediaEndpoint;
import dev.junction.relay.Codecs;
import dev.junction.relay.Relay;
import dev.junction.routing.Router;
import dev.junction.store.ResponseStore;
import dev.junction.usage.RequestObserver;
import dev.junction.usage.UsageWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The public API's route table. */
public final class Endpoints {

    private Endpoints() {
    }

    /**
     * The routes over one router, with every request's end told to {@code observer} and, when
     * given, {@code metrics} served at {@code GET /metrics} (open, like {@code /health}).
     */
    public static Routes routes(String version, KeySource keys, Router router, Relay relay,
            UsageWriter usage, ResponseStore responseStore, Clock clock, RequestObserver observer,
            Optional<Endpoint> metrics) {
        return routes(version, keys, router, List.of(), relay, usage, responseStore, clock, observer, metrics);
    }

    /** As above, with {@code checks} (limits, budgets) run on every admitted request. */
    public static Routes routes(String version, KeySource keys, Router router, List<AdmissionCheck> checks,
            Relay relay, UsageWriter usage, ResponseStore responseStore, Clock clock, RequestObserver observer,
            Optional<Endpoint> metrics) {
        Objects.requireNonNull(router, "router");
        // Keys and channels change together (one rebuild swaps both), so waiting until the keys
        // are settled also waits for a channel made through another instance a moment ago.
        return routes(version, keys, ServedModels.of(() -> router, keys::settled), checks, relay, usage, responseStore,
                clock, observer, metrics);
    }

    /**
     * The routes.
     *
     * @param models the routing table's view of public models
     * @param checks run on every admitted request after key, allow-list and model, in order
     * @param observer told of every admitted or refused request's end
     * @param metrics served at {@code GET /metrics} when present
     */
    public static Routes routes(String version, KeySource keys, ServedModels models,
            List<AdmissionCheck> checks, Relay relay, UsageWriter usage, ResponseStore responseStore, Clock clock,
            RequestObserver observer, Optional<Endpoint> metrics) {
        Objects.requireNonNull(usage, "usage");
        Admission admission = new Admission(new Authenticator(keys, clock), models, checks, usage::record, clock, observer);
        StoredResponses responses = new StoredResponses(responseStore, clock);
        byte[] health = ("{\"status\":\"ok\",\"version\":\"" + version + "\"}").getBytes(StandardCharsets.UTF_8);
        GeminiEndpoint gemini = new GeminiEndpoint(admission, models, relay);
        ModelsEndpoint modelList = new ModelsEndpoint(admission, models, clock.now().getEpochSecond());
        Endpoint v1Models = exchange -> (GeminiEndpoint.speaksGemini(exchange) ? gemini : modelList).handle(exchange);
        Routes.Builder routes = Routes.builder();
        metrics.ifPresent(endpoint -> routes.route("GET", "/metrics", endpoint));
        return routes
                .route("GET", "/health", exchange -> exchange.downstream().respond(200, "application/json", health))
                .route("POST", "/v1/chat/completions", new RelayEndpoint(admission, relay,
                        (exchange, body) -> ChatClientRequest.of(ChatRequest.parse(body)), ErrorShape.OPENAI))
                .route("POST", "/v1/messages", new RelayEndpoint(admission, relay, Endpoints::anthropic,
                        ErrorShape.ANTHROPIC))
                .route("POST", "/v1/messages/count_tokens", new CountTokensEndpoint(admission, models, relay))
                .route("POST", "/v1/embeddings", new RelayEndpoint(admission, relay,
                        (exchange, body) -> EmbeddingsClientRequest.parse(body, Codecs::of), ErrorShape.OPENAI))
                .route("POST", "/v1/responses", new RelayEndpoint(admission, relay, responses.parser(),
                        ErrorShape.OPENAI))
                .route("POST", "/v1/images/generations", media(admission, relay, MediaEndpoint.IMAGES_GENERATIONS))
                .route("POST", "/v1/images/edits", media(admission, relay, MediaEndpoint.IMAGES_EDITS))
                .route("POST", "/v1/images/variations", media(admission, relay, MediaEndpoint.IMAGES_VARIATIONS))
                .route("POST", "/v1/audio/speech", media(admission, relay, MediaEndpoint.AUDIO_SPEECH))
                .route("POST", "/v1/audio/transcriptions", media(admission, relay,
                        MediaEndpoint.AUDIO_TRANSCRIPTIONS))
                .route("POST", "/v1/audio/translations", media(admission, relay, MediaEndpoint.AUDIO_TRANSLATIONS))
                .route("POST", "/v1/moderations", media(admission, relay, MediaEndpoint.MODERATIONS))
                .route("POST", "/v1/rerank", media(admission, relay, MediaEndpoint.RERANK))
                .prefix(StoredResponses.PREFIX, responses.getter(admission))
                .route("GET", ModelsEndpoint.PATH, v1Models)
                .prefix(ModelsEndpoint.PREFIX, v1Models)
                .route("GET", "/v1beta/models", gemini)
                .prefix(GeminiEndpoint.PREFIX, gemini)
                .prefix("/v1beta/", exchange -> ErrorShape.GEMINI.reply(exchange.downstream(), GatewayException.of(
                        ErrorKind.NOT_FOUND, "There is no endpoint " + exchange.method() + " " + exchange.path()
                                + ". The Gemini API base URL is http://<host> (the client adds /v1beta/models/…).")))
                .notFound(exchange -> ErrorShape.OPENAI.reply(exchange.downstream(), GatewayException.of(
                        ErrorKind.NOT_FOUND, "There is no endpoint " + exchange.method() + " " + exchange.path()
                                + ". The OpenAI-compatible base URL is http://<host>/v1.")))
                .methodNotAllowed(Endpoints::methodNotAllowed)
                .build();
    }

    /** Where uploads are spooled while their request lasts. */
    private static final Path SPOOL = Path.of(System.getProperty("java.io.tmpdir"));

    /** One of OpenAI's media endpoints: JSON through the relay endpoint, an upload through its own. */
    private static Endpoint media(Admission admission, Relay relay, MediaEndpoint endpoint) {
        return endpoint.multipart() ? new UploadEndpoint(admission, relay, endpoint, SPOOL)
                : new RelayEndpoint(admission, relay, (exchange, body) -> MediaClientRequest.json(endpoint, body,
                        Codecs::of), ErrorShape.OPENAI);
    }

    /** 405 in the shape of the API the path belongs to, with {@code Allow}. */
    private static Endpoint methodNotAllowed(String path, List<String> allowed) {
        String allow = String.join(", ", allowed);
        return exchange -> ErrorShape.of(exchange).methodNotAllowed(exchange, allow);
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
