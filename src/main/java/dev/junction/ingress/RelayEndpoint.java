package dev.junction.ingress;

import dev.junction.core.GatewayException;
import dev.junction.http.Endpoint;
import dev.junction.http.Exchange;
import dev.junction.ingress.Admission.Recording;
import dev.junction.protocol.ClientRequest;
import dev.junction.relay.Relay;

/**
 * An endpoint whose requests go to a channel — chat completions, messages, responses, embeddings,
 * generate content: {@link Admission admit} (authenticate, parse in the endpoint's API, allow-list,
 * model, checks), relay, and let the ticket record usage. Client mistakes are answered in the
 * endpoint's API shape and never reach an upstream.
 */
final class RelayEndpoint implements Endpoint {

    /** Reads a request body in one client API. */
    @FunctionalInterface
    interface Parser {
        /**
         * @throws GatewayException (400) when the body is not a valid request
         */
        ClientRequest parse(Exchange exchange, byte[] body);
    }

    private final Admission admission;
    private final Relay relay;
    private final Parser parser;
    private final ErrorShape shape;

    RelayEndpoint(Admission admission, Relay relay, Parser parser, ErrorShape shape) {
        this.admission = admission;
        this.relay = relay;
        this.parser = parser;
        this.shape = shape;
    }

    /**
     * The conversation the client names in a header, for session affinity: {@code x-junction-session},
     * else Codex's {@code session_id}; null when neither is sent.
     */
    static String session(Exchange exchange) {
        return exchange.header("x-junction-session").or(() -> exchange.header("session_id")).orElse(null);
    }

    @Override
    public void handle(Exchange exchange) throws Exception {
        admission.serve(exchange, shape, Recording.RECORDED, (checked, ticket) -> {
            ClientRequest request = ticket.admit(e -> parser.parse(e, e.body()), Subject::of);
            ticket.relayed(relay.relay(request, checked.downstream(), session(exchange)));
        });
    }
}
