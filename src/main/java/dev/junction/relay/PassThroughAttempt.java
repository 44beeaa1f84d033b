package dev.junction.relay;

import dev.junction.core.TokenUsage;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.http.SseEvent;
import dev.junction.protocol.PassThrough;
import dev.junction.protocol.PassThrough.StreamScanner;
import dev.junction.protocol.ProviderCall;
import dev.junction.protocol.Route;
import dev.junction.protocol.TextTally;
import dev.junction.relay.StreamLoop.Flow;
import dev.junction.relay.StreamLoop.Next;
import dev.junction.relay.StreamLoop.Output;
import dev.junction.routing.Pick;
import dev.junction.routing.ProviderKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One try of a channel that speaks the client's API: the client's bytes go upstream with only the
 * model and credential changed, and the answer comes back as the provider sent it, scanned on the
 * way (never rebuilt) for usage and for the first content, which is the commit point.
 */
final class PassThroughAttempt implements AttemptPath.Streaming {

    private final Pick pick;
    private final PassThrough route;
    private final boolean continueStreams;

    /** @param continueStreams whether a broken stream may be continued (its events are then kept) */
    PassThroughAttempt(Pick pick, PassThrough route, boolean continueStreams) {
        this.pick = pick;
        this.route = route;
        this.continueStreams = continueStreams;
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
        return whole(route, status, body);
    }

    /** A whole 2xx answer read by a route of the client's API: usable, or why not. */
    static Whole whole(Route route, int status, byte[] body) {
        Route.Whole answer = route.inspect(body);
        if (answer.problem() != null) {
            boolean garbage = answer.problem() instanceof Route.Problem.NotJson;
            return new Unusable("HTTP " + status + " with " + answer.problem().description()
                    + (garbage ? "" : Relay.summary(body)),
                    garbage ? Failure.INVALID_RESPONSE : Failure.SERVER_ERROR);
        }
        return new Answer(status, answer.body() != null ? answer.body() : body, answer.usage());
    }

    @Override
    public StreamLoop.Handler stream() {
        return new Scanning(route, route.scanner(), continueStreams);
    }

    /**
     * The provider's events, relayed as they are by the scanner's verdict. With continuation on,
     * the events relayed are kept (references to what was read anyway, up to
     * {@link Continuation#MAX_TEXT} bytes) so that a break can be {@linkplain PassThrough#resume
     * read back} and continued. The text of content the client was sent is tallied for an estimate
     * should the provider report no usage.
     */
    private static final class Scanning implements StreamLoop.Handler {
        private final PassThrough route;
        private final StreamScanner scanner;
        private final Set<String> textFields;
        private final TextTally delivered = new TextTally();
        /** The events relayed, in order; null when not kept (continuation off, or too much). */
        private List<SseEvent> relayed;
        private long relayedBytes;
        /** The events of a tool call not yet complete, held back; null when none. */
        private List<SseEvent> holding;
        private long holdingBytes;

        Scanning(PassThrough route, StreamScanner scanner, boolean keep) {
            this.route = route;
            this.scanner = scanner;
            this.textFields = scanner.textFields();
            this.relayed = keep ? new ArrayList<>(64) : null;
        }

        private void keep(SseEvent event) {
            if (relayed != null) {
                relayedBytes += event.raw().length;
                if (relayedBytes > Continuation.MAX_TEXT) {
                    relayed = null;
                } else {
                    relayed.add(event);
                }
            }
        }

        @Override
        public Next onEvent(SseEvent event, Output out) throws ClientGoneException {
            return switch (scanner.scan(event)) {
                case HIDDEN -> Flow.MORE;
                case LIFECYCLE -> {
                    if (holding != null) {
                        hold(event, out);
                        yield Flow.MORE;
                    }
                    keep(event);
                    out.lifecycle(event.raw());
                    yield Flow.MORE;
                }
                case TOOL -> {
                    hold(event, out);
                    yield Flow.MORE;
                }
                case CONTENT -> {
                    release(out);
                    keep(event);
                    out.content(event.raw());
                    delivered.addJson(event.data(), textFields);
                    yield Flow.MORE;
                }
                case DONE -> {
                    release(out);
                    out.content(event.raw());
                    delivered.addJson(event.data(), textFields);
                    yield Flow.FINISHED;
                }
                case ERROR -> StreamBreak.errorEvent(Relay.summary(event.data()));
                case MALFORMED -> StreamBreak.malformed(Relay.summary(event.data()));
            };
        }

        /**
         * Holds an event of a tool call that is not complete. Past {@link Continuation#MAX_TEXT}
         * bytes the call is sent as it comes (a cut inside it then ends with the in-band error).
         */
        private void hold(SseEvent event, Output out) throws ClientGoneException {
            if (holding == null) {
                holding = new ArrayList<>(16);
                holdingBytes = 0;
            }
            holding.add(event);
            holdingBytes += event.raw().length;
            if (holdingBytes > Continuation.MAX_TEXT) {
                release(out);
            }
        }

        /** Sends the held events of a tool call, now complete. */
        private void release(Output out) throws ClientGoneException {
            if (holding != null) {
                List<SseEvent> events = holding;
                holding = null;
                for (SseEvent held : events) {
                    keep(held);
                    out.content(held.raw());
                    delivered.addJson(held.data(), textFields);
                }
            }
        }

        @Override
        public boolean complete() {
            return scanner.complete();
        }

        @Override
        public byte[] end() {
            byte[] terminator = scanner.terminator();
            if (holding == null) {
                return terminator;
            }
            // A stream that ends cleanly right after a tool call: the call is complete, send it first.
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (SseEvent held : holding) {
                all.writeBytes(held.raw());
            }
            holding = null;
            all.writeBytes(terminator);
            return all.toByteArray();
        }

        @Override
        public TokenUsage usage() {
            return scanner.usage();
        }

        @Override
        public TextTally delivered() {
            return delivered;
        }

        @Override
        public StreamLoop.Continuable continuable() {
            if (relayed == null || relayed.isEmpty()) {
                return null;
            }
            PassThrough.Resumed resumed = route.resume(relayed);
            return resumed == null ? null : Translating.continuing(resumed.encoder(), resumed.text());
        }
    }
}
