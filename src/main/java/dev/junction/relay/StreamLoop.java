package dev.junction.relay;

import dev.junction.core.EndReason;
import dev.junction.core.TokenUsage;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.http.SseEvent;
import dev.junction.http.SseReader;
import dev.junction.http.UpstreamResponse;
import dev.junction.protocol.ClientRequest;
import dev.junction.protocol.StreamDecoder;
import dev.junction.relay.Relay.Call;
import dev.junction.relay.Relay.Delivered;
import dev.junction.relay.Relay.Failed;
import dev.junction.relay.Relay.Step;
import dev.junction.routing.Pick;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one stream engine, the same for the pass-through and the translated path: it checks that the
 * upstream answered an event stream, reads its events, lets the path's {@link Handler} turn each
 * into what the client sees, and applies the rules every stream shares:
 *
 * <ul>
 * <li><b>Commit</b>: nothing reaches the client (not even the status line) until the first content.
 *     A break before that is invisible to the client, and the relay tries the next candidate.
 * <li><b>Lifecycle events</b> (a role-only chunk, {@code message_start}) are held until the first
 *     content and sent just before it, on both paths: the pass-through handler holds the provider's
 *     bytes here ({@link Output#lifecycle}); a translated handler's client encoder holds its own and
 *     writes them with the first content. Past {@value #MAX_HELD_EVENTS} held events the stream is
 *     committed anyway, so a provider that only ever sends bookkeeping cannot grow memory.
 * <li><b>Keep-alives</b> (an SSE comment, or a provider's ping translated for the client) are dropped
 *     before the commit (the client has not even seen headers, and the upstream's first-byte timer
 *     is what watches a silent provider) and sent once committed, on both paths: a comment as the
 *     upstream wrote it, a translated ping as {@code : ping} — or what the client's API
 *     sends instead ({@link ClientRequest#keepAlive}: a blank line for Gemini clients, whose JS SDK
 *     stalls on a comment). A pass-through provider's ping event is the client's own API and is a
 *     lifecycle event like the others.
 * <li><b>End</b>: a clean end (the handler's {@link Handler#complete()} at end of stream, or its
 *     {@link Flow#FINISHED}) sends the client API's terminator when the provider's was not relayed.
 *     A break (a cut, a stall, an error event, an unreadable event) after the provider's finish
 *     (with no tool call open) loses only the provider's tail: the answer is complete, so it ends
 *     the same way, recorded as {@link EndReason#TAIL_MISSING}. Any other end after the commit ends
 *     the stream with the in-band error in the client's API, never a clean finish.
 * <li><b>Client gone</b>: the upstream call is aborted and the attempt reported as abandoned.
 *
 * <li><b>Continuation</b>: a stream that breaks after content is handed to {@link Call#broken},
 *     which lets the next candidate continue the answer when the handler can ({@link
 *     Handler#continuable()}): that attempt's stream runs here again, already committed, its first
 *     content recording it as the one that serves.
 * <li><b>First token</b>: with a channel's {@code timeout.first_token}, a call whose first content
 *     is later than that is aborted and fails over (invisible to the client: nothing was sent).
 * </ul>
 *
 * <p>Every outcome is reported through {@link Call#settle}.
 */
final class StreamLoop {

    /** Lifecycle-only events held before content; past this the stream is committed anyway. */
    static final int MAX_HELD_EVENTS = 64;

    /** Fires first-token timeouts: aborts an upstream call whose first content is late. */
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "junction-first-token");
        thread.setDaemon(true);
        return thread;
    });

    private StreamLoop() {
    }

    /** What a path does with the events of one stream. One per stream. */
    interface Handler {

        /**
         * Handles one upstream event that carries data, writing what the client sees to {@code out}.
         *
         * @return {@link Flow#MORE} to read on, {@link Flow#FINISHED} when the answer is complete and
         *     its end has been written, or why the stream broke
         */
        Next onEvent(SseEvent event, Output out) throws ClientGoneException;

        /** Whether the end of the upstream stream now would be a clean end. */
        boolean complete();

        /** What ends a complete answer whose end the provider did not send (may be empty). */
        byte[] end();

        /** Tokens counted so far. */
        TokenUsage usage();

        /** The tally of the text delivered so far, for an estimate when the provider reports no usage; null if none is kept. */
        default dev.junction.protocol.TextTally delivered() {
            return null;
        }

        /** The answer so far, when another candidate may continue it; null when it cannot be. */
        default Continuable continuable() {
            return null;
        }
    }

    /** An answer a broken stream left unfinished, that another candidate may continue. */
    interface Continuable {

        /** The answer's text the client has seen. */
        String text();

        /** The handler for the continuation's stream, writing to the client as this one did. */
        Handler resume(StreamDecoder decoder);
    }

    /** What the loop does after an event. */
    sealed interface Next permits Flow, StreamBreak {
    }

    /** Read on, or the answer is complete. */
    enum Flow implements Next {
        MORE,
        FINISHED
    }

    /** Where a handler writes. */
    interface Output {

        /** Bookkeeping the client sees only together with content: held until the commit. */
        void lifecycle(byte[] bytes) throws ClientGoneException;

        /** Something a person sees (or a finish): commits the stream, then sends it. */
        void content(byte[] bytes) throws ClientGoneException;

        /** A keep-alive: sent once committed, dropped before. */
        void keepAlive(byte[] bytes) throws ClientGoneException;
    }

    /** Relays one 2xx upstream answer to a streaming request. */
    static Step run(Call call, Pick pick, long start, UpstreamResponse response, Handler handler)
            throws ClientGoneException {
        String contentType = Optional.ofNullable(response.header("Content-Type")).orElse("");
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            return call.failed(pick, start, response.status(), "HTTP " + response.status() + " answered '"
                    + contentType + "' instead of an event stream" + Relay.summary(Relay.readError(response)),
                    Failure.INVALID_RESPONSE);
        }
        return new Run(call, pick, start, response, handler).loop();
    }

    /** The state of one stream. */
    private static final class Run implements Output {
        private final Call call;
        private final Pick pick;
        private final long start;
        private final UpstreamResponse response;
        private final Handler handler;
        private List<byte[]> held;
        private boolean committed;
        private long firstByte;
        /** Whether this stream continues an answer another attempt began (the client has its start). */
        private final boolean resumed;
        /** Whether this attempt's first content has come (and, resumed, the attempt been recorded). */
        private volatile boolean content;
        /** Set when the first-token timeout aborted the call. */
        private volatile boolean late;
        private ScheduledFuture<?> firstToken;
        /** What broke the stream after the provider had finished the answer, or null. */
        private StreamBreak tailMissing;

        Run(Call call, Pick pick, long start, UpstreamResponse response, Handler handler) {
            this.call = call;
            this.pick = pick;
            this.start = start;
            this.response = response;
            this.handler = handler;
            this.resumed = call.down.committed();
            this.committed = resumed;
            this.firstByte = call.firstByte;
        }

        Step loop() throws ClientGoneException {
            SseReader reader = SseReader.of(response.body(), Relay.MAX_EVENT_BYTES);
            StreamBreak stop;
            if (watchFirstToken()) {
                response.abort();
                StreamBreak tooLate = StreamBreak.firstTokenLate(pick.channel().config().timeouts().firstToken());
                return call.failed(pick, start, 200, tooLate.problem(), tooLate.failure());
            }
            try {
                if (call.lostRace()) {
                    throw new ClientGoneException(new CancellationException("a hedged attempt won"));
                }
                stop = read(reader);
                if (stop == null) {
                    return call.streamed(pick, 200, handler, firstByte, resumed ? EndReason.CONTINUED
                            : tailMissing != null ? EndReason.TAIL_MISSING : EndReason.DONE);
                }
            } catch (ClientGoneException e) {
                response.abort();
                if (call.lostRace()) {
                    throw e; // the hedged attempt that lost: recorded by the relay
                }
                call.settle(pick, null, Outcome.ABANDONED);
                return call.streamed(pick, 499, handler, firstByte, EndReason.CLIENT_GONE);
            } finally {
                if (firstToken != null) {
                    firstToken.cancel(false);
                }
            }
            response.abort();
            if (!content) {
                return call.failed(pick, start, 200, stop.problem(), stop.failure());
            }
            return call.broken(pick, stop, handler, firstByte);
        }

        /**
         * With a {@code first_token} limit: aborts the call when no content has come in time.
         *
         * @return true when the limit has passed already (the stream's headers came after it), so
         *     its first content is late whatever the buffer holds
         */
        private boolean watchFirstToken() {
            long limit = pick.channel().config().timeouts().firstToken().toNanos();
            if (limit <= 0) {
                return false;
            }
            long left = limit - (call.clock().nanoTime() - start);
            if (left <= 0) {
                return true;
            }
            firstToken = TIMER.schedule(() -> {
                if (!content) {
                    late = true;
                    response.abort();
                }
            }, left, TimeUnit.NANOSECONDS);
            return false;
        }

        /** Reads to the end of the answer; null when it ended cleanly, else why it broke. */
        private StreamBreak read(SseReader reader) throws ClientGoneException {
            while (true) {
                SseEvent event;
                try {
                    event = reader.next();
                } catch (IOException e) {
                    if (late && !content) {
                        return StreamBreak.firstTokenLate(pick.channel().config().timeouts().firstToken());
                    }
                    return afterFinish(StreamBreak.read(e, response));
                }
                if (event == null) {
                    if (late && !content) {
                        // the abort of a late call can read as a clean end of its body
                        return StreamBreak.firstTokenLate(pick.channel().config().timeouts().firstToken());
                    }
                    if (!handler.complete()) {
                        return StreamBreak.INCOMPLETE;
                    }
                    end();
                    return null;
                }
                if (!event.hasData()) {
                    keepAlive(event.raw());
                    continue;
                }
                switch (handler.onEvent(event, this)) {
                    case Flow.MORE -> {
                    }
                    case Flow.FINISHED -> {
                        if (!content) {
                            firstContent();
                        }
                        return null;
                    }
                    case StreamBreak stop -> {
                        return afterFinish(stop);
                    }
                }
            }
        }

        /**
         * A break after the provider said the answer is finished (its finish reason or stop reason,
         * with no tool call left open) loses only the provider's tail: the
         * answer is ended for the client as a complete one, in its own API, and recorded as
         * {@link EndReason#TAIL_MISSING}. Any other break is returned as it is.
         */
        private StreamBreak afterFinish(StreamBreak stop) throws ClientGoneException {
            if (!handler.complete()) {
                return stop;
            }
            tailMissing = stop;
            end();
            return null;
        }

        /** Ends a complete answer with what the provider's own end would have said. */
        private void end() throws ClientGoneException {
            if (!content) {
                firstContent();
            }
            call.down.send(handler.end());
        }

        @Override
        public void lifecycle(byte[] bytes) throws ClientGoneException {
            if (committed) {
                call.down.send(bytes);
                return;
            }
            if (held == null) {
                held = new ArrayList<>(4);
            }
            held.add(bytes);
            if (held.size() >= MAX_HELD_EVENTS) {
                firstContent();
            }
        }

        @Override
        public void content(byte[] bytes) throws ClientGoneException {
            if (!content) {
                firstContent();
            }
            call.down.send(bytes);
        }

        /** The first content of this attempt: commits the stream, or records a continuation as serving. */
        private void firstContent() throws ClientGoneException {
            content = true;
            if (firstToken != null) {
                firstToken.cancel(false);
            }
            if (resumed) {
                call.settle(pick, call.attempt(pick, start, 200, "ok (continued the answer)"), Outcome.SERVED);
            } else {
                if (!call.claim()) {
                    throw new ClientGoneException(new CancellationException("a hedged attempt won"));
                }
                call.firstToken(pick, start);
                commit();
            }
        }

        @Override
        public void keepAlive(byte[] bytes) throws ClientGoneException {
            if (committed) {
                call.down.send(call.request.keepAlive(bytes));
            }
        }

        /** Sends status, headers and the events held back, once. */
        private void commit() throws ClientGoneException {
            if (committed) {
                return;
            }
            committed = true;
            firstByte = call.commitStream(pick, start);
            call.firstByte = firstByte;
            if (held != null) {
                for (byte[] event : held) {
                    call.down.send(event);
                }
                held = null;
            }
        }
    }
}
