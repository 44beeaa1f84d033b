package dev.junction.ingress;

import dev.junction.core.ChannelType;
import dev.junction.http.Endpoint;
import dev.junction.http.Exchange;
import dev.junction.ingress.Admission.Recording;
import dev.junction.protocol.anthropic.AnthropicClientRequest;
import dev.junction.relay.Relay;
import java.util.Optional;

/**
 * {@code POST /v1/messages/count_tokens}: admitted once; when the model's first channel is an
 * Anthropic one, the request is relayed there (Anthropic counts exactly); otherwise, or when no
 * channel could count it, the gateway answers a local estimate in the same shape ({@link TokenCount}).
 */
final class CountTokensEndpoint implements Endpoint {

    private final Admission admission;
    private final ServedModels models;
    private final Relay relay;

    CountTokensEndpoint(Admission admission, ServedModels models, Relay relay) {
        this.admission = admission;
        this.models = models;
        this.relay = relay;
    }

    @Override
    public void handle(Exchange exchange) throws Exception {
        admission.serve(exchange, ErrorShape.ANTHROPIC, Recording.RECORDED, (checked, ticket) -> {
            AnthropicClientRequest request = ticket.admit(e -> Endpoints.anthropicCount(e, e.body()), Subject::of);
            TokenCount.answer(ticket, relay, request,
                    models.firstChannelType(request.model()).equals(Optional.of(ChannelType.ANTHROPIC)),
                    checked.downstream(), request::estimateTokens);
        });
    }
}
