package dev.junction.relay;

import dev.junction.protocol.TextFields;
import dev.junction.protocol.TextTally;
import java.util.Set;

import dev.junction.core.TokenUsage;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.http.SseEvent;
import dev.junction.protocol.PassThrough;
import dev.junction.protocol.PassThrough.StreamScanner;
import dev.junction.protocol.ProviderCall;
import dev.junction.relay.StreamLoop.Flow;
import dev.junction.relay.StreamLoop.Next;
import dev.junction.relay.StreamLoop.Output;
import dev.junction.routing.Pick;
import dev.junction.routing.ProviderKey;

/**
 * One try of a channel that speaks the client's API: the client's bytes go upstream with only the
 * model and credential changed, and the answer comes back as the provider sent it, scanned on the
 * way (never rebuilt) for usage and for the first content, which is the commit point.
 */
final class PassThroughAttempt implements AttemptPath {

    private final Pick pick;
    private final PassThrough route;

    PassThroughAttempt(Pick pick, PassThrough route) {
        this.pick = pick;
        this.route = route;
    }

    @Override
    public ProviderCall prepare() {
        return route.call(pick.candidate().upstreamModel(), pick.key().key().map(ProviderKey::secret).orElse(null),
                pick.channel().config().quirks());
    }

    @Override
    public boolean verbatimErrors() {
        return route.verbatimErrors();
    }

    @Override
    public boolean raw(String contentType) {
        return route.relaysRaw(contentType);
    }

    @Override
    public Whole whole(int status, byte[] body) {
        PassThrough.Whole answer = route.inspect(body);
        if (answer.problem() != null) {
            boolean garbage = answer.problem() instanceof PassThrough.Problem.NotJson;
            return new Unusable("HTTP " + status + " with " + answer.problem().description()
                    + (garbage ? "" : Relay.summary(body)),
                    garbage ? Failure.INVALID_RESPONSE : Failure.SERVER_ERROR);
        }
        return new Answer(status, answer.body() != null ? answer.body() : body, answer.usage());
    }

    @Override
    public StreamLoop.Handler stream() {
        StreamScanner scanner = route.scanner();
        return new Scanning(scanner, scanner.textFields(), new TextTally());
    }

    /**
     * The provider's events, relayed as they are by the scanner's verdict; the text of content the
     * client was sent is tallied for an estimate should the provider report no usage.
     */
    private record Scanning(StreamScanner scanner, Set<String> textFields, TextTally delivered)
            implements StreamLoop.Handler {

        @Override
        public Next onEvent(SseEvent event, Output out) throws ClientGoneException {
            return switch (scanner.scan(event)) {
                case HIDDEN -> Flow.MORE;
                case LIFECYCLE -> {
                    out.lifecycle(event.raw());
                    yield Flow.MORE;
                }
                case CONTENT -> {
                    out.content(event.raw());
                    TextFields.collect(event.data(), textFields, delivered);
                    yield Flow.MORE;
                }
                case DONE -> {
                    out.content(event.raw());
                    TextFields.collect(event.data(), textFields, delivered);
                    yield Flow.FINISHED;
                }
                case ERROR -> StreamBreak.errorEvent(Relay.summary(event.data()));
                case MALFORMED -> StreamBreak.malformed(Relay.summary(event.data()));
            };
        }

        @Override
        public boolean complete() {
            return scanner.complete();
        }

        @Override
        public byte[] end() {
            return scanner.terminator();
        }

        @Override
        public TokenUsage usage() {
            return scanner.usage();
        }
    }
}
