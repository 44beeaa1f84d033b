package dev.junction.relay;

import dev.junction.config.ChannelConfig;
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
import dev.junction.routing.ProviderKey;
import dev.junction.routing.Router;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The attempt loop for {@code /v1/chat/completions} over OpenAI-style channels, on the
 * pass-through path: the client's bytes go upstream with only {@code model} and the credential
 * changed, and the answer comes back as the upstream sent it.
 *
 * <p>Commit rule: nothing reaches the client until the upstream has produced content (a
 * non-empty delta or a finish). Any failure before that point is invisible to the client and the
 * next channel is tried. After it, a failure ends the stream with an in-band error event, never
 * with {@code [DONE]}.
 */
public final class ChatRelay {

    private static final int MAX_RESPONSE_BYTES = 64 << 20;
    private static final int MAX_EVENT_BYTES = 16 << 20;
    private static final int MAX_ERROR_BYTES = 1 << 20;
    /** Lifecycle-only events held before content; past this the stream is committed anyway. */
    private static final int MAX_HELD_EVENTS = 64;
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Router router;
    private final UpstreamClient upstream;
    private final Clock clock;
    private final int maxAttempts;
    private final TranslatedAttempt translated;

    private ChatRelay(Router router, UpstreamClient upstream, Clock clock, int maxAttempts) {
        this.router = router;
        this.upstream = upstream;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
        this.translated = new TranslatedAttempt(upstream, clock);
    }

    public static ChatRelay create(Router router, UpstreamClient upstream, Clock clock, int maxAttempts) {
        return new ChatRelay(Objects.requireNonNull(router, "router"), Objects.requireNonNull(upstream, "upstream"),
                Objects.requireNonNull(clock, "clock"), maxAttempts);
    }

    /** Why an attempt failed, for choosing the final status when every attempt failed. */
    enum FailureClass { TIMEOUT, INVALID, UNAVAILABLE }

    sealed interface Step {
    }

    record Delivered(RelayResult result) implements Step {
    }

    record Retry(Attempt attempt, FailureClass failure) implements Step {
    }

    /** Everything one request carries through its attempts. */
    final class Call {
        final ChatRequest request;
        final Downstream down;
        final ClientFormat format;
        final CancelSignal cancel = new CancelSignal();
        final long started = clock.nanoTime();
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
     * Serves one request: tries candidates in router order until one answers, and writes the
     * answer (or the gateway's error in the client's format) to {@code down}.
     */
    public RelayResult relay(ChatRequest request, Downstream down, ClientFormat format) {
        Call call = new Call(request, down, format);
        down.onClientGone(call.cancel::cancel);
        List<FailureClass> failures = new ArrayList<>();
        try {
            for (Candidate candidate : router.candidates(request.model())) {
                if (call.attempts.size() >= maxAttempts) {
                    break;
                }
                if (call.cancel.cancelled()) {
                    return clientGone(call, candidate);
                }
                switch (attempt(call, candidate)) {
                    case Delivered delivered -> {
                        return delivered.result();
                    }
                    case Retry retry -> {
                        call.attempts.add(retry.attempt());
                        failures.add(retry.failure());
                    }
                }
            }
            return allFailed(call, failures);
        } catch (ClientGoneException e) {
            return new RelayResult(499, null, null, TokenUsage.NONE, call.attempts, -1, EndReason.CLIENT_GONE);
        }
    }

    private RelayResult clientGone(Call call, Candidate candidate) {
        return call.result(499, candidate, null, -1, EndReason.CLIENT_GONE);
    }

    private RelayResult allFailed(Call call, List<FailureClass> failures) throws ClientGoneException {
        ErrorKind kind;
        String message;
        if (failures.isEmpty()) {
            kind = ErrorKind.UPSTREAM_UNAVAILABLE;
            message = "No channel is available for model '" + call.request.model() + "'.";
        } else {
            kind = failures.stream().allMatch(f -> f == FailureClass.TIMEOUT) ? ErrorKind.UPSTREAM_TIMEOUT
                    : failures.stream().allMatch(f -> f == FailureClass.INVALID) ? ErrorKind.UPSTREAM_INVALID
                    : ErrorKind.UPSTREAM_UNAVAILABLE;
            StringBuilder text = new StringBuilder("Every channel for model '").append(call.request.model())
                    .append("' failed (").append(call.attempts.size()).append(call.attempts.size() == 1
                            ? " attempt): " : " attempts): ");
            for (int i = 0; i < call.attempts.size(); i++) {
                text.append(i == 0 ? "" : "; ").append(call.attempts.get(i).describe());
            }
            message = text.append('.').toString();
        }
        call.down.header("x-junction-attempts", Integer.toString(call.attempts.size()));
        call.down.respond(kind.status(), "application/json", call.format.errorBody(kind, message));
        return new RelayResult(kind.status(), null, null, TokenUsage.NONE, call.attempts, -1, EndReason.FAILED);
    }

    private Step attempt(Call call, Candidate candidate) throws ClientGoneException {
        ChannelConfig channel = candidate.channel().config();
        if (channel.type() != ChannelType.OPENAI) {
            return translated.attempt(call, candidate); // a different wire format: through the canonical model
        }
        Optional<ProviderKey> key = candidate.channel().nextKey();
        String keySuffix = key.map(ProviderKey::suffix).orElse("");
        long start = clock.nanoTime();
        Map<String, String> headers = new HashMap<>();
        key.ifPresent(k -> headers.put("Authorization", "Bearer " + k.secret()));
        headers.put("Accept", call.request.stream() ? "text/event-stream" : "application/json");
        UpstreamRequest spec = new UpstreamRequest(URI.create(channel.baseUrl() + "/chat/completions"), headers,
                call.request.forUpstream(candidate.upstreamModel(), channel.quirks()), channel.timeouts().connect(),
                channel.timeouts().firstByte(), channel.timeouts().idle());
        UpstreamResponse response;
        try {
            response = upstream.send(spec, call.cancel);
        } catch (UpstreamFailure failure) {
            if (failure.kind() == UpstreamFailure.Kind.CANCELLED) {
                throw new ClientGoneException(failure);
            }
            return new Retry(new Attempt(channel.name(), keySuffix, 0, failure.getMessage(), call.millisSince(start)),
                    failure.kind().isTimeout() ? FailureClass.TIMEOUT : FailureClass.UNAVAILABLE);
        }
        try (response) {
            int status = response.status();
            if (status >= 200 && status < 300) {
                return call.request.stream()
                        ? stream(call, candidate, response, keySuffix, start)
                        : whole(call, candidate, response, keySuffix, start);
            }
            byte[] body;
            try {
                body = response.readAll(MAX_ERROR_BYTES);
            } catch (UpstreamFailure failure) {
                body = new byte[0];
            }
            String outcome = "HTTP " + status + summary(body);
            if (isRetryable(status)) {
                return new Retry(new Attempt(channel.name(), keySuffix, status, outcome, call.millisSince(start)),
                        FailureClass.UNAVAILABLE);
            }
            // The upstream judged the request itself bad: relay its answer, keeping its message.
            call.attempts.add(new Attempt(channel.name(), keySuffix, status, outcome, call.millisSince(start)));
            call.announce(candidate);
            byte[] relayed = isJsonObject(body) ? body : call.format.errorBody(ErrorKind.INVALID_REQUEST,
                    "The provider rejected the request: " + text(body));
            call.down.respond(status, "application/json", relayed);
            return new Delivered(call.result(status, candidate, null, call.millisSince(call.started),
                    EndReason.UPSTREAM_REJECTED));
        }
    }

    /** Statuses after which another channel may well succeed. */
    static boolean isRetryable(int status) {
        return status == 401 || status == 403 || status == 404 || status == 408 || status == 425 || status == 429
                || status >= 500;
    }

    private Step whole(Call call, Candidate candidate, UpstreamResponse response, String keySuffix, long start)
            throws ClientGoneException {
        String channel = candidate.channel().name();
        byte[] body;
        try {
            body = response.readAll(MAX_RESPONSE_BYTES);
        } catch (UpstreamFailure failure) {
            return new Retry(new Attempt(channel, keySuffix, response.status(), failure.getMessage(),
                    call.millisSince(start)), failure.kind().isTimeout() ? FailureClass.TIMEOUT : FailureClass.UNAVAILABLE);
        }
        ChunkScan scan;
        try {
            scan = ChunkScan.of(body);
        } catch (IllegalArgumentException e) {
            return new Retry(new Attempt(channel, keySuffix, response.status(),
                    "HTTP " + response.status() + " with a body that is not JSON", call.millisSince(start)),
                    FailureClass.INVALID);
        }
        if (scan.error() && !scan.hasChoices()) {
            return new Retry(new Attempt(channel, keySuffix, response.status(),
                    "HTTP " + response.status() + " carrying an error" + summary(body), call.millisSince(start)),
                    FailureClass.UNAVAILABLE);
        }
        call.attempts.add(new Attempt(channel, keySuffix, response.status(), "ok", call.millisSince(start)));
        call.announce(candidate);
        call.down.respond(response.status(), "application/json", body);
        return new Delivered(call.result(response.status(), candidate, scan.usage(), call.millisSince(call.started),
                EndReason.DONE));
    }

    private Step stream(Call call, Candidate candidate, UpstreamResponse response, String keySuffix, long start)
            throws ClientGoneException {
        String channel = candidate.channel().name();
        String contentType = Optional.ofNullable(response.header("Content-Type")).orElse("");
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            byte[] body;
            try {
                body = response.readAll(MAX_ERROR_BYTES);
            } catch (UpstreamFailure failure) {
                body = new byte[0];
            }
            return new Retry(new Attempt(channel, keySuffix, response.status(), "HTTP " + response.status()
                    + " answered '" + contentType + "' instead of an event stream" + summary(body),
                    call.millisSince(start)), FailureClass.INVALID);
        }
        SseReader reader = SseReader.of(response.body(), MAX_EVENT_BYTES);
        List<byte[]> held = new ArrayList<>();
        boolean committed = false;
        boolean finished = false;
        long firstByte = -1;
        TokenUsage usage = null;
        String failure = null;
        EndReason failureReason = EndReason.UPSTREAM_CUT;
        FailureClass failureClass = FailureClass.UNAVAILABLE;
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
                    failure = cause.getMessage();
                    if (cause.kind().isTimeout()) {
                        failureReason = EndReason.IDLE_TIMEOUT;
                        failureClass = FailureClass.TIMEOUT;
                    }
                    break;
                }
                if (event == null) {
                    if (!finished) {
                        failure = "the stream ended before the answer was complete";
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
                        firstByte = commit(call, candidate, keySuffix, start, held);
                        committed = true;
                    }
                    call.down.send(event.raw());
                    return new Delivered(call.result(200, candidate, usage, firstByte, EndReason.DONE));
                }
                ChunkScan scan;
                try {
                    scan = ChunkScan.of(event.data());
                } catch (IllegalArgumentException e) {
                    failure = "malformed stream event: " + e.getMessage();
                    failureReason = EndReason.UPSTREAM_ERROR;
                    failureClass = FailureClass.INVALID;
                    break;
                }
                if (scan.error()) {
                    failure = "the upstream sent an error event" + summary(event.data());
                    failureReason = EndReason.UPSTREAM_ERROR;
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
                        firstByte = commit(call, candidate, keySuffix, start, held);
                        committed = true;
                    }
                }
            }
        } catch (ClientGoneException e) {
            response.abort();
            return new Delivered(call.result(499, candidate, usage, firstByte, EndReason.CLIENT_GONE));
        }
        if (failure == null) {
            // A finished stream without [DONE]: complete it rather than leave the client waiting.
            if (!committed) {
                firstByte = commit(call, candidate, keySuffix, start, held);
            }
            call.down.send(DONE);
            return new Delivered(call.result(200, candidate, usage, firstByte, EndReason.DONE));
        }
        if (!committed) {
            response.abort();
            return new Retry(new Attempt(channel, keySuffix, 200, failure, call.millisSince(start)), failureClass);
        }
        response.abort();
        call.down.send(call.format.streamError(ErrorKind.UPSTREAM_UNAVAILABLE,
                "The upstream stream broke before the answer was complete (" + failure + ")."));
        return new Delivered(call.result(200, candidate, usage, firstByte, failureReason));
    }

    /** Sends headers and the held events; returns the time to first byte in milliseconds. */
    private long commit(Call call, Candidate candidate, String keySuffix, long start, List<byte[]> held)
            throws ClientGoneException {
        call.attempts.add(new Attempt(candidate.channel().name(), keySuffix, 200, "ok", call.millisSince(start)));
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
