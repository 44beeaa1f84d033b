package dev.junction.ingress;

import dev.junction.core.ChannelType;
import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import dev.junction.http.Endpoint;
import dev.junction.http.Exchange;
import dev.junction.ingress.Admission.Recording;
import dev.junction.protocol.gemini.GeminiClientRequest;
import dev.junction.protocol.gemini.GeminiModels;
import dev.junction.relay.Relay;
import java.util.Optional;

/**
 * Gemini's API under {@code /v1beta/models}: {@code GET} lists the key's models or shows one;
 * {@code POST /v1beta/models/{model}:{method}} dispatches on the method after the colon
 * ({@code generateContent}, {@code streamGenerateContent?alt=sse}, {@code countTokens}). The
 * model comes from the path, the key from {@code x-goog-api-key} or {@code ?key=}. Every request
 * goes through {@link Admission}, so a model the key may not use is a 403 and an unknown one a 404
 * on every method.
 *
 * <p>The same API is served under {@code /v1/models} (the path some versions of Google's SDKs use),
 * which OpenAI's and Anthropic's model list and lookup share: see {@link #speaksGemini}.
 */
final class GeminiEndpoint implements Endpoint {

    static final String PREFIX = "/v1beta/models/";
    static final String V1_PREFIX = "/v1/models/";

    private final Admission admission;
    private final ServedModels models;
    private final Relay relay;

    GeminiEndpoint(Admission admission, ServedModels models, Relay relay) {
        this.admission = admission;
        this.models = models;
        this.relay = relay;
    }

    /**
     * The model and method of a {@code /v1beta/models/{model}:{method}} path.
     *
     * @param method empty for a plain {@code /v1beta/models/{model}}
     */
    record Target(String model, String method) {
        static Target of(String path) {
            String prefix = path.startsWith("/v1/") ? V1_PREFIX : PREFIX;
            String rest = path.length() > prefix.length() ? path.substring(prefix.length()) : "";
            int colon = rest.lastIndexOf(':');
            return colon < 0 ? new Target(rest, "") : new Target(rest.substring(0, colon), rest.substring(colon + 1));
        }
    }

    /**
     * Whether a request under {@code /v1/models} is a Gemini one rather than OpenAI's or Anthropic's
     * model list or lookup: a {@code POST} that names a method after the model
     * ({@code /v1/models/{model}:generateContent}; the other APIs have no {@code POST} there), or a
     * {@code GET} that carries its key the way only Gemini's clients do ({@code x-goog-api-key} or
     * {@code ?key=}) and no {@code anthropic-version}.
     */
    static boolean speaksGemini(Exchange exchange) {
        String path = exchange.path();
        if (!path.equals(ModelsEndpoint.PATH) && !path.startsWith(V1_PREFIX)) {
            return false;
        }
        if (exchange.method().equals("POST")) {
            return path.indexOf(':', V1_PREFIX.length()) >= 0;
        }
        return exchange.header("anthropic-version").isEmpty()
                && (exchange.header("x-goog-api-key").isPresent() || exchange.query("key").isPresent());
    }

    @Override
    public void handle(Exchange exchange) throws Exception {
        Target target = Target.of(exchange.path());
        boolean read = exchange.method().equals("GET") || exchange.method().equals("HEAD");
        if (read && target.method().isEmpty()) {
            models(exchange, target.model());
            return;
        }
        if (read || !exchange.method().equals("POST")) {
            ErrorShape.GEMINI.methodNotAllowed(exchange, target.method().isEmpty() ? "GET, HEAD" : "POST");
            return;
        }
        if (target.model().isEmpty()) {
            ErrorShape.GEMINI.reply(exchange.downstream(), GatewayException.of(ErrorKind.NOT_FOUND,
                    "The path names no model: use " + PREFIX + "{model}:{method}."));
            return;
        }
        switch (target.method()) {
            case "generateContent", "streamGenerateContent" -> generate(exchange, target);
            case "countTokens" -> countTokens(exchange, target.model());
            default -> ErrorShape.GEMINI.reply(exchange.downstream(), GatewayException.of(ErrorKind.NOT_FOUND,
                    "Method not found: '" + target.method()
                            + "'. Junction serves generateContent, streamGenerateContent (?alt=sse) and countTokens."));
        }
    }

    /** {@code GET /v1beta/models} (the key's models) or {@code GET /v1beta/models/{model}}. */
    private void models(Exchange exchange, String model) throws Exception {
        admission.serve(exchange, ErrorShape.GEMINI, Recording.UNRECORDED, (checked, ticket) -> {
            if (model.isEmpty()) {
                var key = ticket.admitListing();
                checked.downstream().respond(200, "application/json",
                        GeminiModels.list(models.names().stream().filter(key::allows).toList()));
            } else {
                ticket.admit(e -> model, Subject::lookup);
                checked.downstream().respond(200, "application/json", GeminiModels.one(model));
            }
            ticket.answered(200);
        });
    }

    private void generate(Exchange exchange, Target target) throws Exception {
        boolean stream = target.method().equals("streamGenerateContent");
        admission.serve(exchange, ErrorShape.GEMINI, Recording.RECORDED, (checked, ticket) -> {
            GeminiClientRequest request = ticket.admit(e -> {
                if (stream && !e.query("alt").filter("sse"::equals).isPresent()) {
                    throw GatewayException.invalidRequest("streamGenerateContent is served as server-sent events "
                            + "only: add ?alt=sse to the URL.");
                }
                return GeminiClientRequest.parse(target.model(), stream, e.body());
            }, Subject::of);
            ticket.relayed(relay.relay(request, checked.downstream()));
        });
    }

    /**
     * Exact counts come from a gemini channel; when the model's first channel speaks another API,
     * the gateway estimates locally rather than asking a provider that counts differently, and
     * also when no gemini channel could count ({@link TokenCount}).
     */
    private void countTokens(Exchange exchange, String model) throws Exception {
        admission.serve(exchange, ErrorShape.GEMINI, Recording.RECORDED, (checked, ticket) -> {
            GeminiClientRequest request = ticket.admit(e -> GeminiClientRequest.countTokens(model, e.body()),
                    Subject::of);
            TokenCount.answer(ticket, relay, request,
                    models.firstChannelType(model).equals(Optional.of(ChannelType.GEMINI)), checked.downstream(),
                    request::estimateTokens);
        });
    }
}
