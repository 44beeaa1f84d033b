package dev.junction.relay;

import dev.junction.core.GatewayException;
import dev.junction.protocol.EndpointRoute;
import dev.junction.protocol.ProviderCall;
import dev.junction.protocol.Route;
import dev.junction.routing.Pick;
import dev.junction.routing.ProviderKey;

/**
 * One try of a channel for an {@link dev.junction.protocol.EndpointRequest} (embeddings, images,
 * audio, moderations, rerank), by the route the request has for the channel's API. Its answer is
 * read whole or, when streamed or binary, relayed byte for byte ({@link RawBody}); it is never read
 * as events. A channel without the endpoint is skipped without a verdict
 * ({@link EndpointMissingException}); one that has it but cannot take this request refuses it as
 * the client's to fix.
 */
final class EndpointAttempt implements AttemptPath {

    private final Pick pick;
    private final EndpointRoute way;
    private final boolean stream;
    private Route route;

    EndpointAttempt(Pick pick, EndpointRoute way, boolean stream) {
        this.pick = pick;
        this.way = way;
        this.stream = stream;
    }

    @Override
    public ProviderCall prepare() {
        route = switch (way) {
            case EndpointRoute.Served served -> served.route();
            case EndpointRoute.Missing missing -> throw new EndpointMissingException(missing.message());
            case EndpointRoute.Refused refused -> throw GatewayException.invalidRequest(refused.message());
        };
        return route.call(pick.candidate().upstreamModel(), pick.key().key().map(ProviderKey::secret).orElse(null),
                pick.channel().config().quirks());
    }

    @Override
    public boolean verbatimErrors() {
        return route.verbatimErrors();
    }

    /** A streamed answer always goes byte for byte: an endpoint's events are the client's as they come. */
    @Override
    public boolean raw(String contentType) {
        return stream || route.relaysRaw(contentType);
    }

    @Override
    public Whole whole(int status, byte[] body) {
        return PassThroughAttempt.whole(route, status, body);
    }
}
