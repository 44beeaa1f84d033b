package dev.junction.relay;

import dev.junction.config.ChannelConfig;
import dev.junction.config.FailoverConfig;
import dev.junction.core.Attempt;
import dev.junction.core.ChannelApi;
import dev.junction.core.Clock;
import dev.junction.core.EndReason;
import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import dev.junction.core.Needs;
import dev.junction.core.TokenUsage;
import dev.junction.http.CancelSignal;
import dev.junction.http.Downstream;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.http.UpstreamClient;
import dev.junction.http.UpstreamFailure;
import dev.junction.http.UpstreamRequest;
import dev.junction.http.UpstreamResponse;
import dev.junction.protocol.ClientRequest;
import dev.junction.protocol.EndpointRequest;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.PassThrough;
import dev.junction.protocol.ProviderCall;
import dev.junction.protocol.ProviderError;
import dev.junction.protocol.TranslatableRequest;
import dev.junction.routing.Pick;
import dev.junction.routing.Router;
import dev.junction.routing.Selection;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempt loop, the same for every client API and every channel type: pick a channel and key,
 * send, classify the outcome with the {@link Failure} table, report it to routing (cooldowns,
 * breakers, disabled keys), and move on until an answer is delivered, the attempts or the request
 * deadline run out, or the client leaves.
 *
 * <p>A channel that speaks the client's API takes the {@link PassThroughAttempt pass-through
 * path} (the client's bytes, only the model and the credential changed); any other channel is
 * reached by {@link TranslatedAttempt translation} through the canonical model.
 *
 * <p>Both paths share the steps of an attempt ({@link #attempt}), the stream rules of the
 * {@link StreamLoop} (nothing reaches the client until the upstream has produced content; after
 * that a failure ends the stream with an in-band error event, never a clean finish), and one place
 * that records attempts and reports their outcome to routing ({@link Call#settle}).
 */
public final class Relay {

    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
    static final int MAX_RESPONSE_BYTES = 64 << 20;
    static final int MAX_EVENT_BYTES = 16 << 20;
    static final int MAX_ERROR_BYTES = 1 << 20;

    private final Router router;
    private final UpstreamClient upstream;
    private final UpstreamUris uris = new UpstreamUris();
    private final Clock clock;
    private final Prefill prefill;
    /** Recent times to first token per upstream model, for {@code hedge_after: p95}. */
    private final FirstTokens firstTokens = new FirstTokens();

    private Relay(Router router, UpstreamClient upstream, Clock clock, Prefill prefill) {
        this.router = router;
        this.upstream = upstream;
        this.clock = clock;
        this.prefill = prefill;
    }

    /**
     * A relay over {@code router}, whose failover settings ({@link Router#failover()}) each request
     * reads when it starts and keeps to its end: a change made while it runs applies to the next.
     *
     * @param prefill which upstream models continue a trailing assistant turn natively, for
     *     continuing a broken stream
     */
    public static Relay create(Router router, UpstreamClient upstream, Clock clock, Prefill prefill) {
        return new Relay(Objects.requireNonNull(router, "router"), Objects.requireNonNull(upstream, "upstream"),
                Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(prefill, "prefill"));
    }

    sealed interface Step {
    }

    /** The client got its answer (or the upstream's own verdict); the request is over. */
    record Delivered(RelayResult result) implements Step {
    }

    /**
     * This attempt failed in a way another channel or key may fix.
     *
     * @param refusal what the client gets if no other channel can serve it, or null for the
     *     gateway's own error: the provider's refusal of the request itself (too long, a feature
     *     the model lacks), in the client's API
     */
    record Failed(Attempt attempt, Failure failure, Duration retryAfter, Refusal refusal, boolean connection)
            implements Step {
        Failed(Attempt attempt, Failure failure, Duration retryAfter) {
            this(attempt, failure, retryAfter, null);
        }

        Failed(Attempt attempt, Failure failure, Duration retryAfter, Refusal refusal) {
            this(attempt, failure, retryAfter, refusal, false);
        }

        Outcome outcome() {
            return new Outcome.Failed(failure, retryAfter, connection);
        }
    }

    /** A provider's answer about the request itself, ready for the client. */
    record Refusal(Pick pick, int status, byte[] body) {
    }

    /** Everything one request carries through its attempts. */
    final class Call {
        final ClientRequest request;
        final Downstream down;
        /** The selection of the public model being tried: the client's, then each fallback's in turn. */
        Selection selection;
        /** The public model of the first selection: the client's, or the one complexity routing chose. */
        final String primary;
        final Needs needs;
        final CancelSignal cancel = new CancelSignal();
        /** Attempts that served (a continued stream has several), settled with the final usage at the end. */
        final List<Pick> served = new ArrayList<>(1);
        /** When the serving attempt started and committed, for the channel's speed measurements (-1: unknown). */
        long servedStart = -1;
        long servedCommit = -1;
        /** The failover settings in force when the request started; a change made meanwhile applies to the next. */
        final FailoverConfig failover = router.failover();
        final long started = clock.nanoTime();
        final long deadline = started + failover.requestTimeout().toNanos();
        /** Every try, in order (hedged attempts record from their own threads). */
        final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
        /** Milliseconds to the stream's commit, once committed (-1 before). */
        volatile long firstByte = -1;
        /** The hedged attempts racing to their first content, or null when there is no race. */
        volatile Race race;
        /** Whether this request has hedged (once per request). */
        boolean hedged;
        /** How many times a channel was asked to continue its own broken answer. */
        int sameChannelContinuations;

        Call(ClientRequest request, Downstream down, Selection selection, Needs needs) {
            this.request = request;
            this.down = down;
            this.selection = selection;
            this.primary = selection.model();
            this.needs = needs;
        }

        Clock clock() {
            return clock;
        }

        long millisSince(long start) {
            return TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - start);
        }

        /**
         * The one place an attempt is recorded and its outcome reported to routing (key cooldowns,
         * disabled keys, the breaker), and a failed channel or key kept away from this request.
         *
         * @param attempt the try to record, or null when it is already recorded (a stream that
         *     broke or lost its client after the commit) or never started
         */
        synchronized void settle(Pick pick, Attempt attempt, Outcome outcome) {
            if (attempt != null) {
                attempts.add(attempt);
            }
            String model = pick.candidate().upstreamModel();
            switch (outcome) {
                case Outcome.Served _ -> served.add(pick);
                case Outcome.Broken _ -> {
                }
                default -> pick.reservation().settle(TokenUsage.NONE);
            }
            switch (outcome) {
                case Outcome.Served _ -> {
                    pick.channel().succeeded(pick.key(), model);
                    selection.served(pick);
                }
                case Outcome.Abandoned _ -> pick.channel().abandoned(model);
                case Outcome.Broken _ -> pick.channel().failed(model, false);
                case Outcome.Failed failed -> {
                    switch (failed.failure()) {
                        case RATE_LIMITED -> pick.channel().rateLimited(pick.key(), model, failed.retryAfter());
                        case KEY_REJECTED -> pick.channel().keyRejected(pick.key(), model,
                                attempt == null ? "" : attempt.outcome());
                        case CANNOT_SERVE -> pick.channel().abandoned(model);
                        default -> pick.channel().failed(model, failed.connection());
                    }
                    if (failed.failure().keyScoped() && pick.key().key().isPresent()) {
                        selection.keyFailed(pick.key());
                    } else {
                        selection.channelFailed(pick.channel());
                    }
                }
            }
        }

        /**
         * The calling attempt is about to show the client something: false when a hedged attempt
         * racing it already did (this one is then cancelled); true when there is no race.
         */
        boolean claim() {
            Race current = race;
            return current == null || current.claim();
        }

        /** Whether a hedged attempt racing the calling one won the stream. */
        boolean lostRace() {
            Race current = race;
            return current != null && current.lost();
        }

        /** An attempt's first content came {@code millis} after it started. */
        void firstToken(Pick pick, long attemptStart) {
            firstTokens.record(pick.candidate().upstreamModel(), millisSince(attemptStart));
        }

        Optional<Pick> next() {
            synchronized (selection) {
                return selection.next();
            }
        }

        /** The next candidate on another channel than {@code busy}'s, which is not offered again. */
        Optional<Pick> nextBesides(Pick busy) {
            synchronized (selection) {
                selection.channelFailed(busy.channel());
                return selection.next();
            }
        }

        Attempt attempt(Pick pick, long start, int status, String outcome) {
            return attemptOn(pick, start, status, outcome);
        }

        /** A try that another channel or key may do better than; settled by the relay loop. */
        Failed failed(Pick pick, long start, int status, String outcome, Failure failure) {
            return new Failed(attempt(pick, start, status, outcome), failure, null);
        }

        Delivered delivered(Pick pick, int status, TokenUsage usage, long firstByteMillis, EndReason end) {
            return new Delivered(new RelayResult(status, pick.channel().name(), pick.candidate().upstreamModel(),
                    usage == null ? TokenUsage.NONE : usage, attempts, firstByteMillis, end));
        }

        /**
         * A streamed answer's end: the provider's usage when it reported output tokens, else an
         * estimate ({@link Estimate}) from the text the client was sent and the prompt.
         */
        Delivered streamed(Pick pick, int status, StreamLoop.Handler handler, long firstByteMillis, EndReason end) {
            TokenUsage reported = handler.usage();
            Estimate estimate = Estimate.of(reported, handler.delivered(), request, end);
            return new Delivered(new RelayResult(status, pick.channel().name(), pick.candidate().upstreamModel(),
                    estimate.usage(), attempts, firstByteMillis, end, estimate.source()));
        }

        void announce(Pick served) {
            down.header("x-junction-attempts", Integer.toString(attempts.size()));
            down.header("x-junction-channel", served.channel().name());
            if (!selection.model().equals(request.model())) {
                down.header("x-junction-model", selection.model());
            }
            selection.verdict().ifPresent(v -> down.header("x-junction-complexity", v.tier() + "; score=" + v.score()));
        }

        /**
         * The attempt's record; an attempt on a fallback model names that model, one on the model
         * complexity routing chose says so and why.
         */
        Attempt attemptOn(Pick pick, long start, int status, String outcome) {
            String note = !selection.model().equals(primary) ? " [fallback " + selection.model() + "]"
                    : selection.verdict().map(v -> " [" + selection.routedFrom() + ": " + v.describe() + "]").orElse("");
            return new Attempt(pick.channel().name(), pick.key().suffix(), status, outcome + note, millisSince(start));
        }

        /** Every serving attempt settles its reservation with the final usage, and the channel is measured. */
        void finish(RelayResult result) {
            TokenUsage usage = result == null ? TokenUsage.NONE : result.usage();
            for (Pick pick : served) {
                pick.reservation().settle(usage);
            }
            if (result != null && result.channel() != null && !served.isEmpty() && servedStart >= 0
                    && servedCommit >= servedStart && result.status() < 300) {
                Pick last = served.getLast();
                long ttft = TimeUnit.NANOSECONDS.toMillis(servedCommit - servedStart);
                long generation = TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - servedCommit);
                selection.measured(last, ttft, usage.output(), generation);
            }
        }

        /** The answer is ready: record the attempt as the one that serves, send status and headers. */
        long commitStream(Pick pick, long attemptStart) throws ClientGoneException {
            servedStart = attemptStart;
            servedCommit = clock.nanoTime();
            settle(pick, attempt(pick, attemptStart, 200, "ok"), Outcome.SERVED);
            announce(pick);
            down.startStream(200);
            return millisSince(started);
        }

        /** A whole answer from {@code pick}: recorded as served and sent. */
        Delivered respond(Pick pick, long attemptStart, AttemptPath.Answer answer, int upstreamStatus)
                throws ClientGoneException {
            servedStart = attemptStart;
            servedCommit = clock.nanoTime();
            settle(pick, attempt(pick, attemptStart, upstreamStatus, "ok"), Outcome.SERVED);
            announce(pick);
            down.respond(answer.status(), "application/json", answer.body());
            return delivered(pick, answer.status(), answer.usage(), millisSince(started), EndReason.DONE);
        }

        /**
         * An answer that belongs to the client and ends the request (the provider refused the request
         * itself, or the request cannot be expressed for the channel): no verdict on the channel.
         */
        Step refuse(Pick pick, Attempt tried, int status, byte[] body) throws ClientGoneException {
            if (down.committed() || !claim()) {
                // A continuation the provider refused (e.g. it rejects prefill): the client already has
                // its stream, so this is for another candidate to try.
                return new Failed(tried, Failure.CANNOT_SERVE, null);
            }
            settle(pick, tried, Outcome.ABANDONED);
            announce(pick);
            down.respond(status, "application/json", body);
            return delivered(pick, status, null, millisSince(started), EndReason.UPSTREAM_REJECTED);
        }

        /**
         * A stream broke after content reached the client: the channel is charged with the failure;
         * the next candidate continues the answer when it can ({@link Relay#continueStream}), else
         * the client learns in-band, in its own API, that the answer is incomplete.
         */
        Delivered broken(Pick pick, StreamBreak stop, StreamLoop.Handler handler, long firstByte)
                throws ClientGoneException {
            settle(pick, null, Outcome.BROKEN);
            StreamLoop.Continuable answer = failover.continueStreams() ? handler.continuable() : null;
            if (answer != null && request instanceof TranslatableRequest chat) { // only chat streams are read as events
                selection.channelFailed(pick.channel());
                Delivered continued = continueStream(this, chat, answer, pick);
                if (continued != null) {
                    return continued;
                }
            }
            down.send(request.streamError(ErrorKind.UPSTREAM_UNAVAILABLE,
                    "The upstream stream broke before the answer was complete (" + stop.problem() + ")."));
            return streamed(pick, 200, handler, firstByte, stop.end());
        }
    }

    Clock clock() {
        return clock;
    }

    /**
     * Serves one request: tries channels until one answers, and writes the answer (or the
     * gateway's error in the client's API) to {@code down}.
     */
    public RelayResult relay(ClientRequest request, Downstream down) {
        return relay(request, down, null);
    }

    /**
     * As {@link #relay(ClientRequest, Downstream)}, for a conversation the client named in a header
     * ({@code x-junction-session}, Codex's {@code session_id}); null when it did not.
     */
    public RelayResult relay(ClientRequest request, Downstream down, String session) {
        Needs needs = router.current().wantsNeeds(request.model()) ? request.needs() : Needs.NONE;
        if (session != null && !session.isBlank()) {
            needs = needs.withSession(session);
        }
        Call call = new Call(request, down, router.select(request.model(), needs), needs);
        RelayResult result = null;
        try {
            result = serve(call);
            return result;
        } finally {
            call.finish(result);
        }
    }

    private RelayResult serve(Call call) {
        ClientRequest request = call.request;
        Downstream down = call.down;
        down.onClientGone(call.cancel::cancel);
        Fallbacks fallbacks = new Fallbacks(router, call);
        try {
            if (!fallbacks.servable()) {
                return unservable(call, fallbacks);
            }
        } catch (ClientGoneException e) {
            return new RelayResult(499, null, null, TokenUsage.NONE, call.attempts, -1, EndReason.CLIENT_GONE);
        }
        List<Failed> failures = new ArrayList<>();
        SameChannelRetries retries = new SameChannelRetries(clock, call.failover.maxRetryWait(),
                call.failover.maxAttempts());
        Pick retry = null;
        boolean deadlinePassed = false;
        try {
            while (call.attempts.size() < call.failover.maxAttempts()) {
                if (clock.nanoTime() >= call.deadline) {
                    deadlinePassed = true;
                    break;
                }
                Optional<Pick> next = retry != null ? Optional.of(retry) : call.next();
                retry = null;
                if (next.isEmpty() && fallbacks.advance()) {
                    continue;
                }
                if (next.isEmpty()) {
                    break;
                }
                Pick pick = next.get();
                Step step;
                long start = clock.nanoTime();
                Duration hedgeAfter = hedgeAfter(call, pick);
                if (hedgeAfter != null) {
                    call.hedged = true;
                    Delivered delivered = null;
                    for (Tried tried : hedged(call, pick, start, hedgeAfter)) {
                        switch (tried.step()) {
                            case Delivered answer -> delivered = answer;
                            case Failed failed -> {
                                call.settle(tried.pick(), failed.attempt(), failed.outcome());
                                failures.add(failed);
                            }
                        }
                    }
                    if (delivered != null) {
                        RelayResult result = delivered.result();
                        return StoppedEarly.answer(call, new RelayResult(result.status(), result.channel(),
                                result.upstreamModel(), result.usage(), call.attempts, result.firstByteMillis(),
                                result.end()));
                    }
                    continue;
                }
                try {
                    step = attempt(call, pick, path(call, pick), start, call.cancel);
                } catch (ClientGoneException e) {
                    call.settle(pick, null, Outcome.ABANDONED);
                    throw e;
                } catch (RuntimeException e) {
                    if (down.committed()) {
                        throw e;
                    }
                    // A bug or an unforeseen upstream quirk while reading an answer: log it, and let
                    // another channel try.
                    LOG.error("attempt on channel {} failed unexpectedly", pick.channel().name(), e);
                    step = call.failed(pick, call.started, 0, "gateway error: " + e.getClass().getSimpleName(),
                            Failure.NETWORK);
                }
                switch (step) {
                    case Delivered delivered -> {
                        return StoppedEarly.answer(call, delivered.result());
                    }
                    case Failed failed -> {
                        call.settle(pick, failed.attempt(), failed.outcome());
                        failures.add(failed);
                        retry = retries.next(call, pick, failed);
                    }
                }
            }
            if (failures.isEmpty() && !deadlinePassed && fallbacks.limitedUntil() != null) {
                return atLimits(call, fallbacks);
            }
            return allFailed(call, failures, deadlinePassed, fallbacks.limitedUntil());
        } catch (ClientGoneException e) {
            return StoppedEarly.answer(call,
                    new RelayResult(499, null, null, TokenUsage.NONE, call.attempts, -1, EndReason.CLIENT_GONE));
        }
    }

    /**
     * Asks the next candidates, one at a time, to continue an answer whose stream broke after
     * content: each attempt is translated ({@link TranslatedAttempt#continuing}) and its stream
     * written by the same client encoder. Returns null when none could (the caller ends the stream
     * with the in-band error); a continuation that itself breaks after content continues in turn.
     */
    private Delivered continueStream(Call call, TranslatableRequest chat, StreamLoop.Continuable answer, Pick broke)
            throws ClientGoneException {
        Pick inWords = null;
        while (call.attempts.size() < call.failover.maxAttempts() && clock.nanoTime() < call.deadline) {
            Pick pick;
            boolean prefilled;
            if (inWords != null) {
                pick = inWords;
                inWords = null;
                prefilled = false;
            } else {
                Optional<Pick> next = call.next();
                if (next.isEmpty()) {
                    next = sameChannel(call, broke);
                }
                if (next.isEmpty()) {
                    return null;
                }
                pick = next.get();
                prefilled = prefill.supports(pick.candidate().upstreamModel());
            }
            long start = clock.nanoTime();
            Step step;
            try {
                Optional<PassThrough.Continued> own = chat.continuation(pick.channel().config().api(),
                        answer.text(), Continuation.PLEASE_CONTINUE);
                AttemptPath path = own.isPresent() ? new OwnApiContinuation(pick, own.get(), answer)
                        : TranslatedAttempt.continuing(chat, pick, clock.now().getEpochSecond(), answer,
                                prefilled);
                step = attempt(call, pick, path, start, call.cancel);
            } catch (ClientGoneException e) {
                call.settle(pick, null, Outcome.ABANDONED);
                throw e;
            } catch (RuntimeException e) {
                LOG.error("continuing the answer on channel {} failed unexpectedly", pick.channel().name(), e);
                step = call.failed(pick, start, 0, "gateway error: " + e.getClass().getSimpleName(), Failure.NETWORK);
            }
            switch (step) {
                case Delivered delivered -> {
                    return delivered;
                }
                case Failed failed -> {
                    call.settle(pick, failed.attempt(), Outcome.failed(failed.failure(), failed.retryAfter()));
                    if (prefilled && failed.failure() == Failure.CANNOT_SERVE) {
                        inWords = pick; // the model refused the prefill after all: the same channel, asked in words
                    }
                }
            }
        }
        return null;
    }

    /**
     * With no other candidate left, the channel whose stream broke is asked to continue its own
     * answer, at most {@code failover.continue_same_channel} times per request: after a short wait
     * (250 ms, doubling, never past {@code max_retry_wait} or the deadline), on another of its keys
     * when one is usable, else the same key, if its circuits and limits let the request through.
     */
    private Optional<Pick> sameChannel(Call call, Pick broke) throws ClientGoneException {
        if (call.sameChannelContinuations >= call.failover.continueSameChannel()) {
            return Optional.empty();
        }
        Duration wait = min(SameChannelRetries.FIRST_BACKOFF.multipliedBy(1L << Math.min(call.sameChannelContinuations,
                10)), call.failover.maxRetryWait());
        if (clock.nanoTime() + wait.toNanos() >= call.deadline) {
            return Optional.empty();
        }
        call.sameChannelContinuations++;
        SameChannelRetries.pause(call, wait);
        synchronized (call.selection) {
            return call.selection.again(broke);
        }
    }

    /**
     * One attempt, the same steps on both paths: build the provider call, send it, classify a
     * non-2xx answer, and relay a 2xx one whole or through the {@link StreamLoop}.
     */
    private Step attempt(Call call, Pick pick, AttemptPath path, long start, CancelSignal cancel)
            throws ClientGoneException {
        ProviderCall spec;
        try {
            spec = path.prepare();
        } catch (EndpointMissingException e) {
            // The channel's API lacks this endpoint: skipped without a verdict, the client told if none has it.
            return new Failed(call.attempt(pick, start, 0, "no such endpoint: " + e.getMessage()),
                    Failure.CANNOT_SERVE, null, new Refusal(pick, ErrorKind.INVALID_REQUEST.status(),
                            call.request.errorBody(ErrorKind.INVALID_REQUEST, e.getMessage())));
        } catch (GatewayException e) {
            // The request cannot be expressed for this provider: the client's to fix, like a provider 400.
            return call.refuse(pick, call.attempt(pick, start, e.kind().status(), "not translatable: "
                    + e.getMessage()), e.kind().status(), call.request.errorBody(e.kind(), e.getMessage()));
        } catch (RuntimeException e) {
            // A gateway bug while building the request: this request fails, the channel is not to blame.
            LOG.error("building the request for channel {} failed", pick.channel().name(), e);
            return call.refuse(pick, call.attempt(pick, start, 0, "gateway error: " + e.getClass().getSimpleName()),
                    ErrorKind.INTERNAL.status(), call.request.errorBody(ErrorKind.INTERNAL,
                            "The gateway could not build the provider request (" + e.getClass().getSimpleName()
                                    + "). This is a gateway bug; the request was not sent."));
        }
        UpstreamResponse response;
        try {
            response = send(call, pick, spec, start, cancel);
        } catch (UpstreamFailure failure) {
            return transportFailure(call, pick, start, 0, failure);
        }
        LearnedLimits.read(response, clock.now()).ifPresent(until ->
                pick.channel().exhausted(pick.key(), pick.candidate().upstreamModel(), until));
        try (response) {
            int status = response.status();
            if (status < 200 || status >= 300) {
                return rejected(call, pick, start, response, path.verbatimErrors());
            }
            if (path.raw(response.header("Content-Type"))) {
                return RawBody.run(call, pick, start, response);
            }
            if (call.request.stream() && path instanceof AttemptPath.Streaming streaming) {
                return StreamLoop.run(call, pick, start, response, streaming.stream());
            }
            byte[] body;
            try {
                body = response.readAll(MAX_RESPONSE_BYTES);
            } catch (UpstreamFailure failure) {
                return transportFailure(call, pick, start, status, failure);
            }
            return switch (path.whole(status, body)) {
                case AttemptPath.Answer answer -> call.respond(pick, start, answer, status);
                case AttemptPath.Unusable unusable -> call.failed(pick, start, status, unusable.outcome(),
                        unusable.failure());
            };
        }
    }

    /**
     * A chat-like request: the pass-through path when the channel speaks the client's API, else
     * translation. An endpoint request: the route it has for the channel's API.
     */
    private AttemptPath path(Call call, Pick pick) {
        ChannelApi api = pick.channel().config().api();
        return switch (call.request) {
            case TranslatableRequest chat -> {
                Optional<PassThrough> route = chat.passThrough(api);
                yield route.isPresent() ? new PassThroughAttempt(pick, route.get(), call.failover.continueStreams())
                        : new TranslatedAttempt(chat, pick, clock.now().getEpochSecond());
            }
            case EndpointRequest endpoint -> new EndpointAttempt(pick, endpoint.route(api), endpoint.stream());
        };
    }

    /**
     * How long this stream's first token may take before the next candidate is started in parallel
     * ({@code failover.hedge_after}), or null for no hedging: only streams, once per request, before
     * anything reached the client; with {@code p95} only once the model has enough recent samples.
     */
    private Duration hedgeAfter(Call call, Pick pick) {
        FailoverConfig.Hedge hedge = call.failover.hedge();
        if (!hedge.on() || !call.request.stream() || call.hedged || call.down.committed()) {
            return null;
        }
        return hedge.p95() ? firstTokens.p95(pick.candidate().upstreamModel()).orElse(null) : hedge.after();
    }

    /** A hedged attempt and what it came to. */
    record Tried(Pick pick, Step step) {
    }

    /**
     * Hedging: runs {@code first}, and if it has produced no content {@code after} its start (and
     * has not failed), starts the next candidate in parallel. The first of them to produce content
     * serves the stream; the other is cancelled at once and recorded as {@code hedged-cancelled}
     * (no usage: only the winner's tokens are counted). Returns the attempts that served or failed
     * (not the cancelled one), in the order they started.
     */
    private List<Tried> hedged(Call call, Pick first, long start, Duration after) throws ClientGoneException {
        Race race = new Race();
        call.race = race;
        List<Contender> contenders = new ArrayList<>(2);
        try {
            contenders.add(contend(call, race, first, start));
            race.awaitDecision(Race.nanos(after) - (clock.nanoTime() - start));
            if (!race.claimed() && !race.anyFinished()
                    && call.attempts.size() + 1 < call.failover.maxAttempts()) {
                Optional<Pick> second = call.nextBesides(first);
                if (second.isPresent()) {
                    contenders.add(contend(call, race, second.get(), clock.nanoTime()));
                }
            }
            for (Contender contender : contenders) {
                contender.thread.join();
            }
        } catch (InterruptedException e) {
            call.cancel.cancel();
            Thread.currentThread().interrupt();
            throw new ClientGoneException(e);
        } finally {
            call.race = null;
        }
        List<Tried> tried = new ArrayList<>(2);
        for (Contender contender : contenders) {
            if (contender.gone != null) {
                throw contender.gone;
            }
            if (contender.step != null) {
                tried.add(new Tried(contender.pick, contender.step));
            }
        }
        return tried;
    }

    private Contender contend(Call call, Race race, Pick pick, long start) {
        Contender contender = new Contender(call, race, pick, start);
        contender.thread = Thread.ofVirtual().name("junction-hedge").unstarted(contender);
        race.add(contender.thread, contender.cancel);
        call.cancel.onCancel(contender.cancel::cancel);
        contender.thread.start();
        return contender;
    }

    /** One hedged attempt, on its own thread with its own cancel signal. */
    private final class Contender implements Runnable {
        final Call call;
        final Race race;
        final Pick pick;
        final long start;
        final CancelSignal cancel = new CancelSignal();
        Thread thread;
        volatile Step step;
        volatile ClientGoneException gone;

        Contender(Call call, Race race, Pick pick, long start) {
            this.call = call;
            this.race = race;
            this.pick = pick;
            this.start = start;
        }

        @Override
        public void run() {
            try {
                step = attempt(call, pick, path(call, pick), start, cancel);
            } catch (ClientGoneException e) {
                gone = e;
            } catch (RuntimeException e) {
                if (!race.lost()) {
                    LOG.error("attempt on channel {} failed unexpectedly", pick.channel().name(), e);
                }
                step = call.failed(pick, start, 0, "gateway error: " + e.getClass().getSimpleName(), Failure.NETWORK);
            } finally {
                if (race.lost() && !(step instanceof Failed)) {
                    // cancelled because the other attempt produced content first
                    step = null;
                    gone = null;
                    call.settle(pick, call.attempt(pick, start, 0, "hedged-cancelled"), Outcome.ABANDONED);
                } else if (gone != null) {
                    call.settle(pick, null, Outcome.ABANDONED);
                }
                race.finished();
            }
        }
    }

    /** No channel of the model (nor of its fallbacks) can serve what the request needs: a 400 naming what is missing where. */
    private static RelayResult unservable(Call call, Fallbacks fallbacks) throws ClientGoneException {
        String message = "No channel for model '" + call.request.model() + "' can serve this request: "
                + fallbacks.missing() + ".";
        call.down.header("x-junction-attempts", "0");
        call.down.respond(400, "application/json", call.request.errorBody(ErrorKind.INVALID_REQUEST, message));
        return new RelayResult(400, null, null, TokenUsage.NONE, call.attempts, -1, EndReason.FAILED);
    }

    /** Every channel (fallbacks too) is at one of its limits: 429 with Retry-After at the soonest reset. */
    private RelayResult atLimits(Call call, Fallbacks fallbacks) throws ClientGoneException {
        Instant until = fallbacks.limitedUntil();
        long seconds = Math.max(1, (Duration.between(clock.now(), until).toMillis() + 999) / 1000);
        String message = "Every channel for model '" + call.request.model() + "' is at its limit ("
                + fallbacks.limitName() + "); retry in " + seconds + " s.";
        call.down.header("Retry-After", Long.toString(seconds));
        call.down.header("x-junction-attempts", "0");
        call.down.respond(429, "application/json", call.request.errorBody(ErrorKind.RATE_LIMITED, message));
        return new RelayResult(429, null, null, TokenUsage.NONE, call.attempts, -1, EndReason.FAILED);
    }

    private RelayResult allFailed(Call call, List<Failed> failures, boolean deadlinePassed, Instant limitedUntil)
            throws ClientGoneException {
        // A provider said the request itself cannot be served (prompt too long, an unsupported
        // feature) and no other channel could: that is the client's answer, with the provider's
        // status and words (Claude Code compacts the conversation on "prompt is too long").
        Refusal refusal = failures.reversed().stream().map(Failed::refusal).filter(Objects::nonNull).findFirst()
                .orElse(null);
        if (refusal != null) {
            call.announce(refusal.pick());
            call.down.respond(refusal.status(), "application/json", refusal.body());
            return call.delivered(refusal.pick(), refusal.status(), null, call.millisSince(call.started),
                    EndReason.UPSTREAM_REJECTED).result();
        }
        ErrorKind kind;
        String message;
        if (failures.isEmpty() && !deadlinePassed) {
            kind = ErrorKind.UPSTREAM_UNAVAILABLE;
            message = "No channel is available for model '" + call.request.model()
                    + "': every channel serving it has a disabled key or is out of rotation.";
        } else {
            kind = deadlinePassed || failures.stream().allMatch(f -> f.failure() == Failure.TIMEOUT)
                    ? ErrorKind.UPSTREAM_TIMEOUT
                    : failures.stream().allMatch(f -> f.failure() == Failure.INVALID_RESPONSE)
                    ? ErrorKind.UPSTREAM_INVALID
                    : ErrorKind.UPSTREAM_UNAVAILABLE;
            StringBuilder text = new StringBuilder("Every channel for model '").append(call.request.model())
                    .append("' failed (").append(call.attempts.size()).append(call.attempts.size() == 1
                            ? " attempt" : " attempts").append(deadlinePassed ? ", request deadline passed" : "")
                    .append("): ");
            for (int i = 0; i < call.attempts.size(); i++) {
                text.append(i == 0 ? "" : "; ").append(call.attempts.get(i).describe());
            }
            message = text.append('.').toString();
        }
        Optional<Duration> soonest = failures.stream().map(Failed::retryAfter).filter(Objects::nonNull)
                .min(Duration::compareTo);
        if (limitedUntil != null) {
            Duration limit = Duration.between(clock.now(), limitedUntil);
            soonest = Optional.of(soonest.isEmpty() || limit.compareTo(soonest.get()) < 0 ? limit : soonest.get());
        }
        soonest.ifPresent(wait -> call.down.header("Retry-After", Long.toString(Math.max(1,
                (wait.toMillis() + 999) / 1000))));
        call.down.header("x-junction-attempts", Integer.toString(call.attempts.size()));
        call.down.respond(kind.status(), "application/json", call.request.errorBody(kind, message));
        return new RelayResult(kind.status(), null, null, TokenUsage.NONE, call.attempts, -1, EndReason.FAILED);
    }

    /**
     * Sends one provider call with the channel's time limits (capped by what is left of the
     * request deadline) and waits for its status line.
     */
    private UpstreamResponse send(Call call, Pick pick, ProviderCall spec, long start, CancelSignal cancel)
            throws UpstreamFailure {
        ChannelConfig channel = pick.channel().config();
        Duration remaining = Duration.ofNanos(Math.max(1, call.deadline - start));
        UpstreamRequest request = new UpstreamRequest(uris.of(channel.baseUrl(), spec.path()), spec.headers(),
                spec.body(), channel.timeouts().connect(), min(channel.timeouts().firstByte(), remaining),
                channel.timeouts().idle(), min(channel.timeouts().total(), remaining), spec.upload());
        return upstream.send(request, cancel);
    }

    /** A transport failure as a failed attempt; a cancelled call means the client left. */
    static Failed transportFailure(Call call, Pick pick, long start, int status, UpstreamFailure failure)
            throws ClientGoneException {
        if (failure.kind() == UpstreamFailure.Kind.CANCELLED) {
            throw new ClientGoneException(failure);
        }
        Attempt tried = call.attempt(pick, start, status, failure.getMessage());
        return new Failed(tried, Failure.ofTransport(failure.kind()), null, null, switch (failure.kind()) {
            case CONNECT_REFUSED, CONNECT_TIMEOUT, TLS, RESET -> true;
            default -> false;
        });
    }

    /**
     * A non-2xx answer: classified by the failover table, else the provider's verdict on the
     * request itself, relayed to the client — verbatim when the provider speaks the client's API
     * and answered JSON, otherwise in the client's error shape with the provider's words.
     */
    private Step rejected(Call call, Pick pick, long start, UpstreamResponse response, boolean verbatim)
            throws ClientGoneException {
        int status = response.status();
        byte[] body = readError(response);
        ProviderError error = ProviderError.read(body);
        Attempt tried = call.attempt(pick, start, status, status >= 300 && status < 400
                ? "HTTP " + status + " (" + redirect(response.header("Location")) + ")"
                : "HTTP " + status + (body.length == 0 ? "" : " (" + describe(error) + ")"));
        Optional<Failure> failure = Failure.ofStatus(status, body);
        if (failure.isPresent()) {
            Duration wait = failure.get() == Failure.RATE_LIMITED ? RetryAfter.parse(response.header("retry-after-ms"),
                    response.header("Retry-After"), clock.now()).orElse(null) : null;
            Refusal refusal = failure.get() == Failure.CANNOT_SERVE && status != 404
                    ? new Refusal(pick, status, clientError(call, status, body, error, verbatim)) : null;
            return new Failed(tried, failure.get(), wait, refusal);
        }
        return call.refuse(pick, tried, status, clientError(call, status, body, error, verbatim));
    }

    /**
     * What a 3xx is said to be: a redirect, never followed (the provider key would go wherever it
     * points), named by the host it points at only (a query string may carry anything).
     */
    private static String redirect(String location) {
        String host = null;
        if (location != null) {
            try {
                host = java.net.URI.create(location.strip()).getHost();
            } catch (IllegalArgumentException e) {
                host = null;
            }
        }
        return "a redirect" + (host == null ? "" : " to " + host) + ", not followed: check the channel's base_url";
    }

    /** A provider's error as the client gets it. */
    private static byte[] clientError(Call call, int status, byte[] body, ProviderError error, boolean verbatim) {
        return verbatim && isJsonObject(body) ? body : call.request.relayedError(status, error);
    }

    static byte[] readError(UpstreamResponse response) {
        try {
            return response.readAll(MAX_ERROR_BYTES);
        } catch (UpstreamFailure failure) {
            return new byte[0];
        }
    }

    private static boolean isJsonObject(byte[] body) {
        try {
            return JsonTrees.MAPPER.readTree(body).isObject();
        } catch (RuntimeException e) {
            return false;
        }
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String describe(ProviderError error) {
        String text = error.type().isEmpty() ? error.message() : error.type() + ": " + error.message();
        return text.length() > 160 ? text.substring(0, 160) + "…" : text;
    }

    /** A short excerpt of an upstream body for attempt descriptions. */
    static String summary(byte[] body) {
        if (body.length == 0) {
            return "";
        }
        String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip()
                .replaceAll("\\s+", " ");
        return " (" + (text.length() > 160 ? text.substring(0, 160) + "…" : text) + ")";
    }
}
