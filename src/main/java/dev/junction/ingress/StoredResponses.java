package dev.junction.ingress;

import dev.junction.core.Clock;
import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import dev.junction.http.Endpoint;
import dev.junction.http.Exchange;
import dev.junction.protocol.responses.ResponseLog;
import dev.junction.protocol.responses.ResponsesClientRequest;
import dev.junction.store.ResponseStore;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Responses API's state: the {@link ResponseLog} over the database's {@link ResponseStore}, the
 * parser of {@code POST /v1/responses} bodies (which expands {@code previous_response_id} through
 * it), and {@code GET /v1/responses/{id}}.
 */
final class StoredResponses implements ResponseLog {

    static final String PREFIX = "/v1/responses/";

    private final ResponseStore store;
    private final Clock clock;

    StoredResponses(ResponseStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Optional<Entry> find(String id) {
        return store.find(id, clock.now().toEpochMilli())
                .map(s -> new Entry(s.id(), s.model(), s.input(), s.response()));
    }

    @Override
    public void save(Entry entry) {
        long now = clock.now().toEpochMilli();
        store.save(new ResponseStore.Stored(entry.id(), now, entry.model(), entry.input(), entry.response()), now);
    }

    /** Parses a request body; each request gets a fresh {@code resp_…} id. */
    RelayEndpoint.Parser parser() {
        return (exchange, body) -> ResponsesClientRequest.parse(body, this, "resp_" + HexFormat.of().formatHex(
                randomBytes()));
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    /**
     * {@code GET /v1/responses/{id}}: a kept answer, admitted like a request for its model (403 for
     * a key that may not use it); the model need not be served any more.
     */
    Endpoint getter(Admission admission) {
        return (Exchange exchange) -> {
            if (!exchange.method().equals("GET") && !exchange.method().equals("HEAD")) {
                ErrorShape.OPENAI.methodNotAllowed(exchange, "GET, HEAD");
                return;
            }
            String id = exchange.path().substring(PREFIX.length());
            admission.serve(exchange, ErrorShape.OPENAI, Admission.Recording.UNRECORDED, (checked, ticket) -> {
                Entry entry = ticket.admit(e -> find(id).orElseThrow(() -> GatewayException.of(ErrorKind.NOT_FOUND,
                        "Response with id '" + id + "' not found.")), e -> Subject.kept(e.model()));
                checked.downstream().respond(200, "application/json",
                        entry.response().getBytes(StandardCharsets.UTF_8));
                ticket.answered(200);
            });
        };
    }
}
