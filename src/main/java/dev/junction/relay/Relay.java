package dev.junction.relay;

import dev.junction.config.ChannelConfig;
import dev.junction.config.FailoverConfig;
import dev.junction.core.Attempt;
import dev.junction.core.Clock;
import dev.junction.core.EndReason;
import dev.junction.core.ErrorKind;
import dev.junction.core.TokenUsage;
import dev.junction.http.CancelSignal;
import dev.junction.http.Downstream;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.http.UpstreamClient;
import dev.junction.http.UpstreamFailure;
import dev.junction.http.UpstreamRequest;
import dev.junction.http.UpstreamResponse;
import dev.junction.protocol.ClientRequest;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.PassThrough;
import dev.junction.protocol.ProviderCall;
import dev.junction.protocol.ProviderError;
import dev.junction.routing.Candidate;
import dev.junction.routing.Pick;
import dev.junction.routing.Router;
import dev.junction.routing.Selection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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
 * <p>Commit rule for streams, on both paths: nothing reaches the client until the upstream has
 * produced content. A failure before that point is invisible to the client and the next channel
 * is tried. After it, a failure ends the stream with an in-band error event in the client's API,
 * never with a clean finish.
 */
public final class Relay {

    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
    static final int MAX_RESPONSE_BYTES = 64 << 20;
    static final int MAX_EVENT_BYTES = 16 << 20;
    static final int MAX_ERROR_BYTES = 1 << 20;

    private final Router router;
    private final UpstreamClient upstream;
    private final Clock clock;
    private final FailoverConfig failover;
    private final PassThroughAttempt passThrough;
    private final TranslatedAttempt translated;

    private Relay(Router router, UpstreamClient upstream, Clock clock, FailoverConfig failover) {
        this.router = router;
        this.upstream = upstream;
        this.clock = clock;
        this.failover = failover;
        this.passThrough = new PassThroughAttempt(this);
        this.translated = new TranslatedAttempt(this);
    }

    public static Relay create(Router router, UpstreamClient upstream, Clock clock, FailoverConfig failover) {
        return new Relay(Objects.requireNonNull(router, "router"), Objects.requireNonNull(upstream, "upstream"),
                Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(failover, "failover"));
    }

    sealed interface Step {
    }

    /** The client got its answer (or the upstream's own verdict); the request is over. */
    record Delivered(RelayResult result) implements Step {
    }

    /** This attempt failed in a way another channel or key may fix. */
    record Failed(Attempt attempt, Failure failure, Duration retryAfter) implements Step {
        Failed(Attempt attempt, Failure failure) {
            this(attempt, failure, null);
        }
    }

    /** Everything one request carries through its attempts. */
    final class Call {
        final ClientRequest request;
        final Downstream down;
        final CancelSignal cancel = new CancelSignal();
        final long started = clock.nanoTime();
        final long deadline = started + failover.requestTimeout().toNanos();
        final List<Attempt> attempts = new ArrayList<>();

        Call(ClientRequest request, Downstream down) {
            this.request = request;
            this.down = down;
        }

        long millisSince(long start) {
            return TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - start);
        }

        void announce(Candidate served) {
            down.header("x-junction-attempts", Integer.toString(attempts.size()));
            down.header("x-junction-channel", served.channel().name());
        }

        RelayResult result(int status, Candidate served, TokenUsage usage, long firstByteMillis, EndReason end) {
            return new RelayResult(status, served.channel().name(), served.upstreamModel(),
                    usage == null ? TokenUsage.NONE : usage, attempts, firstByteMillis, end);
        }

        /** The first content is ready: record the attempt as the one that serves, send status and headers. */
        long commitStream(Pick pick, long attemptStart) throws ClientGoneException {
            pick.channel().succeeded(pick.key(), clock.nanoTime());
            attempts.add(new Attempt(pick.channel().name(), pick.key().suffix(), 200, "ok", millisSince(attemptStart)));
            announce(pick.candidate());
            down.startStream(200);
            return millisSince(started);
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
        Call call = new Call(request, down);
        down.onClientGone(call.cancel::cancel);
        Selection selection = router.select(request.model());
        List<Failed> failures = new ArrayList<>();
        boolean deadlinePassed = false;
        try {
            while (call.attempts.size() < failover.maxAttempts()) {
                if (clock.nanoTime() >= call.deadline) {
                    deadlinePassed = true;
                    break;
                }
                Optional<Pick> next = selection.next();
                if (next.isEmpty()) {
                    break;
                }
                Pick pick = next.get();
                Step step;
                try {
                    Optional<PassThrough> route = request.passThrough(pick.channel().config().api());
                    step = route.isPresent() ? passThrough.attempt(call, pick, route.get())
                            : translated.attempt(call, pick);
                } catch (ClientGoneException e) {
                    pick.channel().abandoned();
                    throw e;
                } catch (RuntimeException e) {
                    if (down.committed()) {
                        throw e;
                    }
                    // A bug or an unforeseen upstream quirk: log it, and let another channel try.
                    LOG.error("attempt on channel {} failed unexpectedly", pick.channel().name(), e);
                    step = new Failed(new Attempt(pick.channel().name(), pick.key().suffix(), 0,
                            "gateway error: " + e.getClass().getSimpleName(), call.millisSince(call.started)),
                            Failure.NETWORK);
                }
                switch (step) {
                    case Delivered delivered -> {
                        return StoppedEarly.answer(call, delivered.result());
                    }
                    case Failed failed -> {
                        call.attempts.add(failed.attempt());
                        failures.add(failed);
                        report(selection, pick, failed);
                    }
                }
            }
            return allFailed(call, failures, deadlinePassed);
        } catch (ClientGoneException e) {
            return StoppedEarly.answer(call,
                    new RelayResult(499, null, null, TokenUsage.NONE, call.attempts, -1, EndReason.CLIENT_GONE));
        }
    }

    /** Tells routing what happened, and keeps this request away from what failed. */
    private void report(Selection selection, Pick pick, Failed failed) {
        long now = clock.nanoTime();
        switch (failed.failure()) {
            case RATE_LIMITED -> pick.channel().rateLimited(pick.key(), failed.retryAfter(), now);
            case KEY_REJECTED -> pick.channel().keyRejected(pick.key(), failed.attempt().outcome(), now);
            case CANNOT_SERVE -> pick.channel().abandoned();
            default -> pick.channel().failed(now);
        }
        if (failed.failure().keyScoped() && pick.key().key().isPresent()) {
            selection.keyFailed(pick.key());
        } else {
            selection.channelFailed(pick.channel());
        }
    }

    private RelayResult allFailed(Call call, List<Failed> failures, boolean deadlinePassed)
            throws ClientGoneException {
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
        failures.stream().map(Failed::retryAfter).filter(Objects::nonNull).min(Duration::compareTo)
                .ifPresent(wait -> call.down.header("Retry-After", Long.toString(Math.max(1,
                        (wait.toMillis() + 999) / 1000))));
        call.down.header("x-junction-attempts", Integer.toString(call.attempts.size()));
        call.down.respond(kind.status(), "application/json", call.request.errorBody(kind, message));
        return new RelayResult(kind.status(), null, null, TokenUsage.NONE, call.attempts, -1, EndReason.FAILED);
    }

    // --- shared by both attempt paths --------------------------------------------------------------

    /**
     * Sends one provider call with the channel's time limits (capped by what is left of the
     * request deadline) and waits for its status line.
     */
    UpstreamResponse send(Call call, Pick pick, ProviderCall spec, long start) throws UpstreamFailure {
        ChannelConfig channel = pick.channel().config();
        Duration remaining = Duration.ofNanos(Math.max(1, call.deadline - start));
        UpstreamRequest request = new UpstreamRequest(URI.create(channel.baseUrl() + spec.path()), spec.headers(),
                spec.body(), channel.timeouts().connect(), min(channel.timeouts().firstByte(), remaining),
                channel.timeouts().idle(), min(channel.timeouts().total(), remaining));
        return upstream.send(request, call.cancel);
    }

    /** A transport failure as a failed attempt; a cancelled call means the client left. */
    Failed transportFailure(Call call, Pick pick, long start, int status, UpstreamFailure failure)
            throws ClientGoneException {
        if (failure.kind() == UpstreamFailure.Kind.CANCELLED) {
            throw new ClientGoneException(failure);
        }
        return new Failed(new Attempt(pick.channel().name(), pick.key().suffix(), status, failure.getMessage(),
                call.millisSince(start)), Failure.ofTransport(failure.kind()));
    }

    /**
     * A non-2xx answer: classified by the failover table, else the provider's verdict on the
     * request itself, relayed to the client — verbatim when the provider speaks the client's API
     * and answered JSON, otherwise in the client's error shape with the provider's words.
     */
    Step rejected(Call call, Pick pick, long start, UpstreamResponse response, boolean verbatim)
            throws ClientGoneException {
        int status = response.status();
        byte[] body = readError(response);
        ProviderError error = ProviderError.read(body);
        Attempt tried = new Attempt(pick.channel().name(), pick.key().suffix(), status,
                "HTTP " + status + (body.length == 0 ? "" : " (" + describe(error) + ")"), call.millisSince(start));
        Optional<Failure> failure = Failure.ofStatus(status, body);
        if (failure.isPresent()) {
            Duration wait = failure.get() == Failure.RATE_LIMITED ? RetryAfter.parse(response.header("retry-after-ms"),
                    response.header("Retry-After"), clock.now()).orElse(null) : null;
            return new Failed(tried, failure.get(), wait);
        }
        pick.channel().abandoned();
        call.attempts.add(tried);
        call.announce(pick.candidate());
        call.down.respond(status, "application/json",
                verbatim && isJsonObject(body) ? body : call.request.relayedError(status, error));
        return new Delivered(call.result(status, pick.candidate(), null, call.millisSince(call.started),
                EndReason.UPSTREAM_REJECTED));
    }

    /**
     * A stream broke after content reached the client: the channel is charged with the failure
     * and the client learns in-band, in its own API, that the answer is incomplete.
     */
    Delivered broken(Call call, Pick pick, StreamBreak stop, TokenUsage usage, long firstByte)
            throws ClientGoneException {
        pick.channel().failed(clock.nanoTime());
        call.down.send(call.request.streamError(ErrorKind.UPSTREAM_UNAVAILABLE,
                "The upstream stream broke before the answer was complete (" + stop.problem() + ")."));
        return new Delivered(call.result(200, pick.candidate(), usage, firstByte, stop.end()));
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
