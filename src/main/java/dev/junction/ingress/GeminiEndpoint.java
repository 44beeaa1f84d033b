package dev.junction.ingress;

import dev.junction.core.ChannelType;
import dev.junction.core.Clock;
import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import dev.junction.governance.GatewayKey;
import dev.junction.http.Endpoint;
import dev.junction.http.Exchange;
import dev.junction.protocol.gemini.GeminiClientRequest;
import dev.junction.protocol.gemini.GeminiModels;
import dev.junction.relay.Relay;
import dev.junction.routing.Candidate;
import dev.junction.routing.Router;
import dev.junction.usage.UsageWriter;
import java.util.List;

/**
 * Gemini's API under {@code /v1beta/models}: {@code GET} lists the key's models or shows one;
 * {@code POST /v1beta/models/{model}:{method}} dispatches on the method after the colon
 * ({@code generateContent}, {@code streamGenerateContent?alt=sse}, {@code countTokens}). The
 * model comes from the path, the key from {@code x-goog-api-key} or {@code ?key=}.
 */
final class GeminiEndpoint implements Endpoint {

    static final String PREFIX = "/v1beta/models/";

    private final Authenticator auth;
    private final Router router;
    private final RelayEndpoint generate;
    private final RelayEndpoint countTokens;

    GeminiEndpoint(Authenticator auth, Router router, Relay relay, UsageWriter usage, Clock clock) {
        this.auth = auth;
        this.router = router;
        RelayEndpoint.ErrorReply errors = ErrorShape.GEMINI::reply;
        this.generate = new RelayEndpoint(auth, router, relay, usage, clock, (exchange, body) -> {
            Target target = Target.of(exchange.path());
            boolean stream = target.method().equals("streamGenerateContent");
            if (stream && !exchange.query("alt").filter("sse"::equals).isPresent()) {
                throw GatewayException.invalidRequest("streamGenerateContent is served as server-sent events only: "
                        + "add ?alt=sse to the URL.");
            }
            return GeminiClientRequest.parse(target.model(), stream, body);
        }, errors);
        this.countTokens = new RelayEndpoint(auth, router, relay, usage, clock,
                (exchange, body) -> GeminiClientRequest.countTokens(Target.of(exchange.path()).model(), body), errors);
    }

    /**
     * The model and method of a {@code /v1beta/models/{model}:{method}} path.
     *
     * @param method empty for a plain {@code /v1beta/models/{model}}
     */
    record Target(String model, String method) {
        static Target of(String path) {
            String rest = path.length() > PREFIX.length() ? path.substring(PREFIX.length()) : "";
            int colon = rest.lastIndexOf(':');
            return colon < 0 ? new Target(rest, "") : new Target(rest.substring(0, colon), rest.substring(colon + 1));
        }
    }

    @Override
    public void handle(Exchange exchange) throws Exception {
        Target target = Target.of(exchange.path());
        try {
            if (exchange.method().equals("GET") || exchange.method().equals("HEAD")) {
                if (!target.method().isEmpty()) {
                    throw GatewayException.of(ErrorKind.METHOD_NOT_ALLOWED, "Use POST for :" + target.method() + ".");
                }
                models(exchange, target.model());
                return;
            }
            if (!exchange.method().equals("POST")) {
                throw GatewayException.of(ErrorKind.METHOD_NOT_ALLOWED, exchange.method() + " is not allowed on "
                        + exchange.path() + ".");
            }
            if (target.model().isEmpty()) {
                throw GatewayException.of(ErrorKind.NOT_FOUND, "The path names no model: use "
                        + PREFIX + "{model}:{method}.");
            }
            switch (target.method()) {
                case "generateContent", "streamGenerateContent" -> generate.handle(exchange);
                case "countTokens" -> countTokens(exchange, target.model());
                default -> throw GatewayException.of(ErrorKind.NOT_FOUND, "Method not found: '" + target.method()
                        + "'. Junction serves generateContent, streamGenerateContent (?alt=sse) and countTokens.");
            }
        } catch (GatewayException e) {
            ErrorShape.GEMINI.reply(exchange.downstream(), e);
        }
    }

    /** {@code GET /v1beta/models} (the key's models) or {@code GET /v1beta/models/{model}}. */
    void models(Exchange exchange, String model) throws Exception {
        GatewayKey key = auth.require(exchange);
        if (model.isEmpty()) {
            List<String> models = router.models().stream().filter(key::allows).toList();
            exchange.downstream().respond(200, "application/json", GeminiModels.list(models));
            return;
        }
        if (!router.serves(model) || !key.allows(model)) {
            throw GatewayException.of(ErrorKind.NOT_FOUND, "models/" + model + " is not found for this key.");
        }
        exchange.downstream().respond(200, "application/json", GeminiModels.one(model));
    }

    /**
     * Exact counts come from a gemini channel; when the model's first channel speaks another API,
     * the gateway estimates locally rather than asking a provider that counts differently.
     */
    private void countTokens(Exchange exchange, String model) throws Exception {
        List<Candidate> candidates = router.candidates(model);
        if (!candidates.isEmpty() && candidates.getFirst().channel().config().type() == ChannelType.GEMINI) {
            countTokens.handle(exchange);
            return;
        }
        GatewayKey key = auth.require(exchange);
        GeminiClientRequest request = GeminiClientRequest.countTokens(model, exchange.body());
        if (!key.allows(model)) {
            throw GatewayException.of(ErrorKind.PERMISSION, "The key '" + key.name() + "' may not use model '"
                    + model + "'.");
        }
        if (candidates.isEmpty()) {
            throw GatewayException.of(ErrorKind.NOT_FOUND, "models/" + model + " is not found.");
        }
        exchange.downstream().respond(200, "application/json", request.estimateTokens());
    }
}
