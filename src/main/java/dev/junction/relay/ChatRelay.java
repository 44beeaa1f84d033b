package dev.junction.relay;

import dev.junction.config.ChannelConfig;
import dev.junction.config.FailoverConfig;
import dev.junction.core.ChannelType;
import dev.junction.core.Clock;
import dev.junction.core.ErrorKind;
import dev.junction.core.TokenUsage;
import dev.junction.http.CancelSignal;
import dev.junction.http.Downstream;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.http.SseEvent;
import dev.junction.http.SseReader;
import dev.junction.http.UpstreamClient;
import dev.junction.http.UpstreamFailure;
import dev.junction.http.UpstreamRequest;
import dev.junction.http.UpstreamResponse;
import dev.junction.protocol.openai.ChatRequest;
import dev.junction.protocol.openai.ChunkScan;
import dev.junction.routing.Candidate;
import dev.junction.routing.Pick;
import dev.junction.routing.Router;
import dev.junction.routing.Selection;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempt loop for {@code /v1/chat/completions}: pick a channel and key, send, classify the
 * outcome with the {@link Failure} table, report it to routing (cooldowns, breakers, disabled
 * keys), and move on until an answer is delivered, the attempts or the request deadline run out,
 * or the client leaves.
 *
 * <p>OpenAI-style channels take the pass-through path: the client's bytes go upstream with only
 * {@code model} and the credential changed, and the answer comes back as the upstream sent it.
 *
 * <p>Commit rule for streams: nothing reaches the client until the upstream has produced content
 * (a non-empty delta or a finish). Any failure before that point is invisible to the client and
 * the next channel is tried. After it, a failure ends the stream with an in-band error event,
 * never with {@code [DONE]}.
 */
public final class ChatRelay {

    private static final Logger LOG = LoggerFactory.getLogger(ChatRelay.class);
    private static final int MAX_RESPONSE_BYTES = 64 << 20;
    private static final int MAX_EVENT_BYTES = 16 << 20;
    private static final int MAX_ERROR_BYTES = 1 << 20;
    /** Lifecycle-only events held before content; past this the stream is committed anyway. */
    private static final int MAX_HELD_EVENTS = 64;
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Router router;
    private final UpstreamClient upstream;
    private final Clock clock;
    private final FailoverConfig failover;
    private final TranslatedAttempt translated;

    private ChatRelay(Router router, UpstreamClient upstream, Clock clock, FailoverConfig failover) {
        this.router = router;
        this.upstream = upstream;
        this.clock = clock;
        this.failover = failover;
        this.translated = new TranslatedAttempt(upstream, clock);
    }

    public static ChatRelay create(Router router, UpstreamClient upstream, Clock clock, FailoverConfig failover) {
        return new ChatRelay(Objects.requireNonNull(router, "router"), Objects.requireNonNull(upstream, "upstream"),
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
        final ChatRequest request;
        final Downstream down;
        final ClientFormat format;
        final CancelSignal cancel = new CancelSignal();
        final long started = clock.nanoTime();
        final long deadline = started + failover.requestTimeout().toNanos();
        final List<Attempt> attempts = new ArrayList<>();

        Call(ChatRequest request, Downstream down, ClientFormat format) {
            this.request = request;
            this.down = down;
            this.format = format;
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
    }

    /**
     * Serves one request: tries channels until one answers, and writes the answer (or the
     * gateway's error in the client's format) to {@code down}.
     */
    public RelayResult relay(ChatRequest request, Downstream down, ClientFormat format) {
        Call call = new Call(request, down, format);
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
                    step = attempt(call, pick);
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
                        return delivered.result();
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
            return new RelayResult(499, null, null, TokenUsage.NONE, call.attempts, -1, EndReason.CLIENT_GONE);
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
        call.down.respond(kind.status(), "application/json", call.format.errorBody(kind, message));
        return new RelayResult(kind.status(), null, null, TokenUsage.NONE, call.attempts, -1, EndReason.FAILED);
    }

    private Step attempt(Call call, Pick pick) throws ClientGoneException {
        Candidate candidate = pick.candidate();
        ChannelConfig channel = candidate.channel().config();
        if (channel.type() != ChannelType.OPENAI) {
            return translated.attempt(call, pick); // a different wire format: through the canonical model
        }
        String keySuffix = pick.key().suffix();
        long start = clock.nanoTime();
        Duration remaining = Duration.ofNanos(Math.max(1, call.deadline - start));
        Map<String, String> headers = new HashMap<>();
        pick.key().key().ifPresent(k -> headers.put("Authorization", "Bearer " + k.secret()));
        headers.put("Accept", call.request.stream() ? "text/event-stream" : "application/json");
        UpstreamRequest spec = new UpstreamRequest(URI.create(channel.baseUrl() + "/chat/completions"), headers,
                call.request.forUpstream(candidate.upstreamModel(), channel.quirks()), channel.timeouts().connect(),
                min(channel.timeouts().firstByte(), remaining), channel.timeouts().idle(),
                min(channel.timeouts().total(), remaining));
        UpstreamResponse response;
        try {
            response = upstream.send(spec, call.cancel);
        } catch (UpstreamFailure failure) {
            if (failure.kind() == UpstreamFailure.Kind.CANCELLED) {
                throw new ClientGoneException(failure);
            }
            return new Failed(new Attempt(channel.name(), keySuffix, 0, failure.getMessage(), call.millisSince(start)),
                    Failure.ofTransport(failure.kind()));
        }
        try (response) {
            int status = response.status();
            if (status >= 200 && status < 300) {
                return call.request.stream()
                        ? stream(call, pick, response, start)
                        : whole(call, pick, response, start);
            }
            byte[] body;
            try {
                body = response.readAll(MAX_ERROR_BYTES);
            } catch (UpstreamFailure failure) {
                body = new byte[0];
            }
            String outcome = "HTTP " + status + summary(body);
            Attempt attempt = new Attempt(channel.name(), keySuffix, status, outcome, call.millisSince(start));
            Optional<Failure> failure = Failure.ofStatus(status, body);
            if (failure.isPresent()) {
                Duration wait = failure.get() == Failure.RATE_LIMITED ? RetryAfter.parse(
                        response.header("retry-after-ms"), response.header("Retry-After"), clock.now()).orElse(null)
                        : null;
                return new Failed(attempt, failure.get(), wait);
            }
            // The upstream judged the request itself bad: relay its answer, keeping its message.
            candidate.channel().abandoned();
            call.attempts.add(attempt);
            call.announce(candidate);
            byte[] relayed = isJsonObject(body) ? body : call.format.errorBody(ErrorKind.INVALID_REQUEST,
                    "The provider rejected the request: " + text(body));
            call.down.respond(status, "application/json", relayed);
            return new Delivered(call.result(status, candidate, null, call.millisSince(call.started),
                    EndReason.UPSTREAM_REJECTED));
        }
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private Step whole(Call call, Pick pick, UpstreamResponse response, long start) throws ClientGoneException {
        Candidate candidate = pick.candidate();
        String channel = candidate.channel().name();
        String keySuffix = pick.key().suffix();
        byte[] body;
        try {
            body = response.readAll(MAX_RESPONSE_BYTES);
        } catch (UpstreamFailure failure) {
            if (failure.kind() == UpstreamFailure.Kind.CANCELLED) {
                throw new ClientGoneException(failure);
            }
            return new Failed(new Attempt(channel, keySuffix, response.status(), failure.getMessage(),
                    call.millisSince(start)), Failure.ofTransport(failure.kind()));
        }
        ChunkScan scan;
        try {
            scan = ChunkScan.of(body);
        } catch (IllegalArgumentException e) {
            return new Failed(new Attempt(channel, keySuffix, response.status(),
                    "HTTP " + response.status() + " with a body that is not JSON", call.millisSince(start)),
                    Failure.INVALID_RESPONSE);
        }
        if (scan.error() && !scan.hasChoices()) {
            return new Failed(new Attempt(channel, keySuffix, response.status(),
                    "HTTP " + response.status() + " carrying an error" + summary(body), call.millisSince(start)),
                    Failure.SERVER_ERROR);
        }
        candidate.channel().succeeded(pick.key(), clock.nanoTime());
        call.attempts.add(new Attempt(channel, keySuffix, response.status(), "ok", call.millisSince(start)));
        call.announce(candidate);
        call.down.respond(response.status(), "application/json", body);
        return new Delivered(call.result(response.status(), candidate, scan.usage(), call.millisSince(call.started),
                EndReason.DONE));
    }

    private Step stream(Call call, Pick pick, UpstreamResponse response, long start) throws ClientGoneException {
        Candidate candidate = pick.candidate();
        String channel = candidate.channel().name();
        String keySuffix = pick.key().suffix();
        String contentType = Optional.ofNullable(response.header("Content-Type")).orElse("");
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            byte[] body;
            try {
                body = response.readAll(MAX_ERROR_BYTES);
            } catch (UpstreamFailure failure) {
                body = new byte[0];
            }
            return new Failed(new Attempt(channel, keySuffix, response.status(), "HTTP " + response.status()
                    + " answered '" + contentType + "' instead of an event stream" + summary(body),
                    call.millisSince(start)), Failure.INVALID_RESPONSE);
        }
        SseReader reader = SseReader.of(response.body(), MAX_EVENT_BYTES);
        List<byte[]> held = new ArrayList<>();
        boolean committed = false;
        boolean finished = false;
        long firstByte = -1;
        TokenUsage usage = null;
        String problem = null;
        Failure failure = Failure.NETWORK;
        EndReason endReason = EndReason.UPSTREAM_CUT;
        boolean hideUsageChunk = !call.request.clientWantsUsage();
        try {
            while (true) {
                SseEvent event;
                try {
                    event = reader.next();
                } catch (IOException e) {
                    UpstreamFailure cause = e instanceof SseReader.SseTooLargeException
                            ? new UpstreamFailure(UpstreamFailure.Kind.BODY_TOO_LARGE, e.getMessage())
                            : response.failure(e);
                    if (cause.kind() == UpstreamFailure.Kind.CANCELLED) {
                        throw new ClientGoneException(cause);
                    }
                    problem = cause.getMessage();
                    failure = Failure.ofTransport(cause.kind());
                    if (cause.kind().isTimeout()) {
                        endReason = EndReason.IDLE_TIMEOUT;
                    }
                    break;
                }
                if (event == null) {
                    if (!finished) {
                        problem = "the stream ended before the answer was complete";
                    }
                    break;
                }
                if (!event.hasData()) {
                    if (committed) {
                        call.down.send(event.raw()); // keep-alive comments keep the client's connection warm
                    }
                    continue;
                }
                if (ChunkScan.isDone(event.data())) {
                    if (!committed) {
                        firstByte = commit(call, pick, start, held);
                        committed = true;
                    }
                    call.down.send(event.raw());
                    return new Delivered(call.result(200, candidate, usage, firstByte, EndReason.DONE));
                }
                ChunkScan scan;
                try {
                    scan = ChunkScan.of(event.data());
                } catch (IllegalArgumentException e) {
                    problem = "malformed stream event: " + e.getMessage();
                    failure = Failure.INVALID_RESPONSE;
                    endReason = EndReason.UPSTREAM_ERROR;
                    break;
                }
                if (scan.error()) {
                    problem = "the upstream sent an error event" + summary(event.data());
                    failure = Failure.SERVER_ERROR;
                    endReason = EndReason.UPSTREAM_ERROR;
                    break;
                }
                if (scan.usage() != null) {
                    usage = scan.usage();
                }
                finished |= scan.finished();
                if (hideUsageChunk && scan.usage() != null && scan.choicesEmpty()) {
                    continue; // the usage chunk the gateway asked for; this client did not
                }
                if (committed) {
                    call.down.send(event.raw());
                } else {
                    held.add(event.raw());
                    if (scan.hasContent() || held.size() >= MAX_HELD_EVENTS) {
                        firstByte = commit(call, pick, start, held);
                        committed = true;
                    }
                }
            }
        } catch (ClientGoneException e) {
            response.abort();
            candidate.channel().abandoned();
            return new Delivered(call.result(499, candidate, usage, firstByte, EndReason.CLIENT_GONE));
        }
        if (problem == null) {
            // A finished stream without [DONE]: complete it rather than leave the client waiting.
            if (!committed) {
                firstByte = commit(call, pick, start, held);
            }
            call.down.send(DONE);
            return new Delivered(call.result(200, candidate, usage, firstByte, EndReason.DONE));
        }
        response.abort();
        if (!committed) {
            return new Failed(new Attempt(channel, keySuffix, 200, problem, call.millisSince(start)), failure);
        }
        // Content already reached the client: the attempt stays recorded as the one that served,
        // the channel is charged with the failure, and the client learns in-band.
        candidate.channel().failed(clock.nanoTime());
        call.down.send(call.format.streamError(ErrorKind.UPSTREAM_UNAVAILABLE,
                "The upstream stream broke before the answer was complete (" + problem + ")."));
        return new Delivered(call.result(200, candidate, usage, firstByte, endReason));
    }

    /** Sends headers and the held events; returns the time to first byte in milliseconds. */
    private long commit(Call call, Pick pick, long start, List<byte[]> held) throws ClientGoneException {
        Candidate candidate = pick.candidate();
        candidate.channel().succeeded(pick.key(), clock.nanoTime());
        call.attempts.add(new Attempt(candidate.channel().name(), pick.key().suffix(), 200, "ok",
                call.millisSince(start)));
        call.announce(candidate);
        call.down.startStream(200);
        for (byte[] event : held) {
            call.down.send(event);
        }
        held.clear();
        return call.millisSince(call.started);
    }

    private static boolean isJsonObject(byte[] body) {
        try {
            ChunkScan.of(body);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String text(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "(empty body)" : text.replaceAll("\\s+", " ");
    }

    /** A short excerpt of an upstream body for attempt descriptions. */
    static String summary(byte[] body) {
        if (body.length == 0) {
            return "";
        }
        String text = text(body);
        return " (" + (text.length() > 160 ? text.substring(0, 160) + "…" : text) + ")";
    }
}
