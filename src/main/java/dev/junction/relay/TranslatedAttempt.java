package dev.junction.relay;

import dev.junction.config.ChannelConfig;
import dev.junction.core.Clock;
import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.http.SseEvent;
import dev.junction.http.SseReader;
import dev.junction.http.UpstreamClient;
import dev.junction.http.UpstreamFailure;
import dev.junction.http.UpstreamRequest;
import dev.junction.http.UpstreamResponse;
import dev.junction.protocol.ChannelCodec;
import dev.junction.protocol.MalformedAnswerException;
import dev.junction.protocol.ProviderCall;
import dev.junction.protocol.ProviderError;
import dev.junction.protocol.ProviderExchange;
import dev.junction.protocol.StreamDecoder;
import dev.junction.protocol.anthropic.AnthropicCodec;
import dev.junction.protocol.gemini.GeminiCodec;
import dev.junction.protocol.openai.ChatChunkEncoder;
import dev.junction.protocol.openai.ChatCompletionEncoder;
import dev.junction.protocol.openai.OpenAiChatDecoder;
import dev.junction.protocol.openai.OpenAiErrors;
import dev.junction.relay.ChatRelay.Call;
import dev.junction.relay.ChatRelay.Delivered;
import dev.junction.relay.ChatRelay.Failed;
import dev.junction.relay.ChatRelay.Step;
import dev.junction.routing.Candidate;
import dev.junction.routing.Pick;
import dev.junction.routing.ProviderKey;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One try of a channel whose wire format is not the client's: the OpenAI request is decoded into
 * the canonical model, encoded by the channel type's {@link ChannelCodec}, and the provider's
 * answer or event stream comes back through canonical form into OpenAI's shape. It follows the
 * pass-through attempt's rules exactly: the same {@link Failure} table, the same reports to routing
 * (success, failure, abandonment), the same commit point (nothing is sent before the first content),
 * an in-band error and no {@code [DONE]} after a break.
 */
final class TranslatedAttempt {

    private static final int MAX_RESPONSE_BYTES = 64 << 20;
    private static final int MAX_EVENT_BYTES = 16 << 20;
    private static final int MAX_ERROR_BYTES = 1 << 20;
    private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final char[] SEED_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private final UpstreamClient upstream;
    private final Clock clock;

    TranslatedAttempt(UpstreamClient upstream, Clock clock) {
        this.upstream = upstream;
        this.clock = clock;
    }

    /** The codec of a channel type reached by translation. */
    static ChannelCodec codec(ChannelConfig channel) {
        return switch (channel.type()) {
            case ANTHROPIC -> AnthropicCodec.INSTANCE;
            case GEMINI -> GeminiCodec.INSTANCE;
            case OPENAI -> throw new IllegalArgumentException("openai channels take the pass-through path");
        };
    }

    /**
     * What one try knows besides the call: where it went, since when, and the random seed that
     * makes the ids it generates (response, tool calls) unique.
     */
    private record Try(Pick pick, long start, String seed) {
        Candidate candidate() {
            return pick.candidate();
        }

        String channel() {
            return pick.channel().name();
        }

        String keySuffix() {
            return pick.key().suffix();
        }
    }

    Step attempt(Call call, Pick pick) throws ClientGoneException {
        Candidate candidate = pick.candidate();
        ChannelConfig channel = candidate.channel().config();
        Try attempt = new Try(pick, clock.nanoTime(), seed());
        ProviderExchange exchange;
        CanonicalRequest request;
        try {
            request = OpenAiChatDecoder.decode(call.request, channel.quirks());
            exchange = codec(channel).prepare(request, candidate.upstreamModel(),
                    pick.key().key().map(ProviderKey::secret).orElse(null), attempt.seed());
        } catch (GatewayException e) {
            // The request cannot be expressed for this provider: the client's to fix, like a provider 400.
            candidate.channel().abandoned();
            call.attempts.add(new Attempt(attempt.channel(), attempt.keySuffix(), e.kind().status(),
                    "not translatable: " + e.getMessage(), call.millisSince(attempt.start())));
            call.announce(candidate);
            call.down.respond(e.kind().status(), "application/json", call.format.errorBody(e.kind(), e.getMessage()));
            return new Delivered(call.result(e.kind().status(), candidate, null, call.millisSince(call.started),
                    EndReason.UPSTREAM_REJECTED));
        }
        ProviderCall spec = exchange.call();
        Duration remaining = Duration.ofNanos(Math.max(1, call.deadline - attempt.start()));
        UpstreamRequest http = new UpstreamRequest(URI.create(channel.baseUrl() + spec.path()), spec.headers(),
                spec.body(), channel.timeouts().connect(), ChatRelay.min(channel.timeouts().firstByte(), remaining),
                channel.timeouts().idle(), ChatRelay.min(channel.timeouts().total(), remaining));
        UpstreamResponse response;
        try {
            response = upstream.send(http, call.cancel);
        } catch (UpstreamFailure failure) {
            return failed(call, attempt, 0, failure);
        }
        try (response) {
            int status = response.status();
            if (status >= 200 && status < 300) {
                return request.stream() ? stream(call, attempt, response, exchange, request)
                        : whole(call, attempt, response, exchange);
            }
            return rejected(call, attempt, response, readError(response));
        }
    }

    private Step failed(Call call, Try attempt, int status, UpstreamFailure failure) throws ClientGoneException {
        if (failure.kind() == UpstreamFailure.Kind.CANCELLED) {
            throw new ClientGoneException(failure);
        }
        return new Failed(new Attempt(attempt.channel(), attempt.keySuffix(), status, failure.getMessage(),
                call.millisSince(attempt.start())), Failure.ofTransport(failure.kind()));
    }

    /** A non-2xx answer: classified by the failover table, else relayed to the client in the provider's words. */
    private Step rejected(Call call, Try attempt, UpstreamResponse response, byte[] body) throws ClientGoneException {
        int status = response.status();
        ProviderError error = ProviderError.read(body);
        String outcome = "HTTP " + status + (body.length == 0 ? "" : " (" + describe(error) + ")");
        Attempt tried = new Attempt(attempt.channel(), attempt.keySuffix(), status, outcome,
                call.millisSince(attempt.start()));
        Optional<Failure> failure = Failure.ofStatus(status, body);
        if (failure.isPresent()) {
            Duration wait = failure.get() == Failure.RATE_LIMITED ? RetryAfter.parse(response.header("retry-after-ms"),
                    response.header("Retry-After"), clock.now()).orElse(null) : null;
            return new Failed(tried, failure.get(), wait);
        }
        attempt.pick().channel().abandoned();
        call.attempts.add(tried);
        call.announce(attempt.candidate());
        call.down.respond(status, "application/json", OpenAiErrors.relayed(status, error.type(), error.message()));
        return new Delivered(call.result(status, attempt.candidate(), null, call.millisSince(call.started),
                EndReason.UPSTREAM_REJECTED));
    }

    private Step whole(Call call, Try attempt, UpstreamResponse response, ProviderExchange exchange)
            throws ClientGoneException {
        byte[] body;
        try {
            body = response.readAll(MAX_RESPONSE_BYTES);
        } catch (UpstreamFailure failure) {
            return failed(call, attempt, response.status(), failure);
        }
        CanonicalResponse answer;
        try {
            answer = exchange.decode(body);
        } catch (MalformedAnswerException e) {
            return new Failed(new Attempt(attempt.channel(), attempt.keySuffix(), response.status(), "HTTP "
                    + response.status() + " with an answer that could not be read: " + e.getMessage(),
                    call.millisSince(attempt.start())), Failure.INVALID_RESPONSE);
        }
        attempt.pick().channel().succeeded(attempt.pick().key(), clock.nanoTime());
        call.attempts.add(new Attempt(attempt.channel(), attempt.keySuffix(), response.status(), "ok",
                call.millisSince(attempt.start())));
        call.announce(attempt.candidate());
        call.down.respond(200, "application/json", ChatCompletionEncoder.encode(answer, clock.now().getEpochSecond()));
        return new Delivered(call.result(200, attempt.candidate(), answer.usage().tokens(),
                call.millisSince(call.started), EndReason.DONE));
    }

    private Step stream(Call call, Try attempt, UpstreamResponse response, ProviderExchange exchange,
            CanonicalRequest request) throws ClientGoneException {
        String contentType = Optional.ofNullable(response.header("Content-Type")).orElse("");
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            return new Failed(new Attempt(attempt.channel(), attempt.keySuffix(), response.status(), "HTTP "
                    + response.status() + " answered '" + contentType + "' instead of an event stream"
                    + ChatRelay.summary(readError(response)), call.millisSince(attempt.start())),
                    Failure.INVALID_RESPONSE);
        }
        SseReader reader = SseReader.of(response.body(), MAX_EVENT_BYTES);
        StreamDecoder decoder = exchange.streamDecoder();
        ChatChunkEncoder encoder = ChatChunkEncoder.create("chatcmpl-" + attempt.seed(),
                attempt.candidate().upstreamModel(), clock.now().getEpochSecond(), request.includeUsage());
        boolean committed = false;
        long firstByte = -1;
        String problem = null;
        Failure failure = Failure.NETWORK;
        EndReason endReason = EndReason.UPSTREAM_CUT;
        try {
            reading:
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
                    if (!decoder.complete()) {
                        problem = "the stream ended before the answer was complete";
                    }
                    break;
                }
                List<StreamEvent> events;
                try {
                    events = decoder.decode(event);
                } catch (MalformedAnswerException e) {
                    problem = "malformed stream event: " + e.getMessage();
                    failure = Failure.INVALID_RESPONSE;
                    endReason = EndReason.UPSTREAM_ERROR;
                    break;
                }
                for (StreamEvent canonical : events) {
                    if (canonical instanceof StreamEvent.Error error) {
                        problem = "the upstream sent an error event (" + error.type() + ": " + error.message() + ")";
                        failure = Failure.SERVER_ERROR;
                        endReason = EndReason.UPSTREAM_ERROR;
                        break reading;
                    }
                    if (canonical instanceof StreamEvent.Ping) {
                        if (committed) {
                            call.down.send(PING); // keeps the client's connection warm
                        }
                        continue;
                    }
                    byte[] bytes = encoder.encode(canonical);
                    if (bytes == null) {
                        continue;
                    }
                    if (!committed) {
                        firstByte = commit(call, attempt);
                        committed = true;
                    }
                    call.down.send(bytes);
                }
            }
        } catch (ClientGoneException e) {
            response.abort();
            attempt.pick().channel().abandoned();
            return new Delivered(call.result(499, attempt.candidate(), encoder.usage().tokens(), firstByte,
                    EndReason.CLIENT_GONE));
        }
        if (problem == null) {
            if (!committed) {
                firstByte = commit(call, attempt);
            }
            call.down.send(encoder.end());
            return new Delivered(call.result(200, attempt.candidate(), encoder.usage().tokens(), firstByte,
                    EndReason.DONE));
        }
        response.abort();
        if (!committed) {
            return new Failed(new Attempt(attempt.channel(), attempt.keySuffix(), 200, problem,
                    call.millisSince(attempt.start())), failure);
        }
        // Content already reached the client: the channel is charged, the client learns in-band.
        attempt.pick().channel().failed(clock.nanoTime());
        call.down.send(call.format.streamError(ErrorKind.UPSTREAM_UNAVAILABLE,
                "The upstream stream broke before the answer was complete (" + problem + ")."));
        return new Delivered(call.result(200, attempt.candidate(), encoder.usage().tokens(), firstByte, endReason));
    }

    /** Sends status and headers; returns the time to first byte in milliseconds. */
    private long commit(Call call, Try attempt) throws ClientGoneException {
        attempt.pick().channel().succeeded(attempt.pick().key(), clock.nanoTime());
        call.attempts.add(new Attempt(attempt.channel(), attempt.keySuffix(), 200, "ok",
                call.millisSince(attempt.start())));
        call.announce(attempt.candidate());
        call.down.startStream(200);
        return call.millisSince(call.started);
    }

    private static byte[] readError(UpstreamResponse response) {
        try {
            return response.readAll(MAX_ERROR_BYTES);
        } catch (UpstreamFailure failure) {
            return new byte[0];
        }
    }

    private static String describe(ProviderError error) {
        String message = error.message().length() > 160 ? error.message().substring(0, 160) + "…" : error.message();
        return error.type().isEmpty() ? message : error.type() + ": " + message;
    }

    /** A short random string, so generated ids differ between answers. */
    private static String seed() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] seed = new char[10];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = SEED_ALPHABET[random.nextInt(SEED_ALPHABET.length)];
        }
        return new String(seed);
    }
}
