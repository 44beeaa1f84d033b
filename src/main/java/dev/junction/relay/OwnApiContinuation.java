package dev.junction.relay;

import dev.junction.protocol.PassThrough;
import dev.junction.protocol.ProviderCall;
import dev.junction.routing.Pick;
import dev.junction.routing.ProviderKey;

/**
 * An attempt that continues a broken answer on a channel of the client's own API, in that API
 * ({@link dev.junction.protocol.TranslatableRequest#continuation}): for {@code responses: true} channels,
 * which may serve the Responses API only. Its stream is read into canonical events and written by
 * the client encoder that wrote the first part, as a translated continuation is.
 */
final class OwnApiContinuation implements AttemptPath.Streaming {

    private final Pick pick;
    private final PassThrough.Continued continued;
    private final StreamLoop.Continuable answer;

    OwnApiContinuation(Pick pick, PassThrough.Continued continued, StreamLoop.Continuable answer) {
        this.pick = pick;
        this.continued = continued;
        this.answer = answer;
    }

    @Override
    public ProviderCall prepare() {
        return continued.route().call(pick.candidate().upstreamModel(),
                pick.key().key().map(ProviderKey::secret).orElse(null), pick.channel().config().quirks());
    }

    @Override
    public boolean verbatimErrors() {
        return false;
    }

    @Override
    public Whole whole(int status, byte[] body) {
        // A continuation is always streamed; a whole answer cannot continue the client's stream.
        return new Unusable("HTTP " + status + " answered a continuation without a stream", Failure.INVALID_RESPONSE);
    }

    @Override
    public StreamLoop.Handler stream() {
        return answer.resume(continued.decoder());
    }
}
