package dev.junction.ingress;

import dev.junction.governance.GatewayKey;
import dev.junction.http.Endpoint;
import dev.junction.http.Exchange;
import dev.junction.ingress.Admission.Recording;
import dev.junction.protocol.anthropic.AnthropicModels;
import dev.junction.protocol.openai.OpenAiModels;

/**
 * {@code GET /v1/models}: the public models the caller's key may use, and
 * {@code GET /v1/models/{model}}: one of them (403 for a model the key may not use, 404 for one no
 * channel serves, as a request for it would get). In Anthropic's shapes when the request carries
 * {@code anthropic-version} (the Anthropic SDKs always send it), else in OpenAI's.
 */
final class ModelsEndpoint implements Endpoint {

    static final String PATH = "/v1/models";
    static final String PREFIX = PATH + "/";

    private final Admission admission;
    private final ServedModels models;
    private final long createdEpochSeconds;

    ModelsEndpoint(Admission admission, ServedModels models, long createdEpochSeconds) {
        this.admission = admission;
        this.models = models;
        this.createdEpochSeconds = createdEpochSeconds;
    }

    @Override
    public void handle(Exchange exchange) throws Exception {
        ErrorShape shape = ErrorShape.of(exchange);
        if (!exchange.method().equals("GET") && !exchange.method().equals("HEAD")) {
            shape.methodNotAllowed(exchange, "GET, HEAD");
            return;
        }
        boolean anthropic = shape == ErrorShape.ANTHROPIC;
        String model = exchange.path().length() > PREFIX.length() ? exchange.path().substring(PREFIX.length()) : "";
        admission.serve(exchange, shape, Recording.UNRECORDED, (checked, ticket) -> {
            byte[] body;
            if (model.isEmpty()) {
                GatewayKey key = ticket.admitListing();
                var ids = models.names().stream().filter(key::allows).toList();
                body = anthropic ? AnthropicModels.list(ids, createdEpochSeconds)
                        : OpenAiModels.list(ids, createdEpochSeconds);
            } else {
                ticket.admit(e -> model, Subject::lookup);
                body = anthropic ? AnthropicModels.one(model, createdEpochSeconds)
                        : OpenAiModels.one(model, createdEpochSeconds);
            }
            checked.downstream().respond(200, "application/json", body);
            ticket.answered(200);
        });
    }
}
