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
import dev.junction.relay.ChatRelay.FailureClass;
import dev.junction.relay.ChatRelay.Retry;
import dev.junction.relay.ChatRelay.Step;
import dev.junction.routing.Candidate;
import dev.junction.routing.ProviderKey;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One try of a channel whose wire format is not the client's: the OpenAI request is decoded into
 * the canonical model, encoded by the channel type's {@link ChannelCodec}, and the provider's
 * answer or event stream comes back through canonical form into OpenAI's shape. It follows the
 * pass-through attempt's rules exactly: the same failure classes, the same commit point (nothing
 * is sent before the first content), an in-band error and no {@code [DONE]} after a break.
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

    private static ChannelCodec codec(ChannelConfig channel) {
        return switch (channel.type()) {
            case ANTHROPIC -> AnthropicCodec.INSTANCE;
            case GEMINI -> GeminiCodec.INSTANCE;
            case OPENAI -> throw new IllegalArgumentException("openai channels take the pass-through path");
        };
    }

    /** What one try knows besides the call: where it went and since when. */
    private record Try(Candidate candidate, String keySuffix, long start) {
        String channel() {
            return candidate.channel().name();
        }
    }

    Step attempt(Call call, Candidate candidate) throws ClientGoneException {
        ChannelConfig channel = candidate.channel().config();
        Optional<ProviderKey> key = candidate.channel().nextKey();
        Try attempt = new Try(candidate, key.map(ProviderKey::suffix).orElse(""), clock.nanoTime());
        ProviderExchange exchange;
        CanonicalRequest request;
        try {
            request = OpenAiChatDecoder.decode(call.request, channel.quirks());
            exchange = codec(channel).prepare(request, candidate.upstreamModel(),
                    key.map(ProviderKey::secret).orElse(null), seed());
        } catch (GatewayException e) {
            // The request cannot be expressed for this provider: the client's to fix, like a provider 400.
            call.attempts.add(new Attempt(attempt.channel(), attempt.keySuffix(), e.kind().status(),
                    "not translatable: " + e.getMessage(), call.millisSince(attempt.start())));
            call.announce(candidate);
            call.down.respond(e.kind().status(), "application/json", call.format.errorBody(e.kind(), e.getMessage()));
            return new Delivered(call.result(e.kind().status(), candidate, null, call.millisSince(call.started),
                    EndReason.UPSTREAM_REJECTED));
        }
        ProviderCall spec = exchange.call();
        UpstreamRequest http = new UpstreamRequest(URI.create(channel.baseUrl() + spec.path()), spec.headers(),
                spec.body(), channel.timeouts().connect(), channel.timeouts().firstByte(), channel.timeouts().idle());
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
            return rejected(call, attempt, status, readError(response));
        }
    }

    private Step failed(Call call, Try attempt, int status, UpstreamFailure failure) throws ClientGoneException {
        if (failure.kind() == UpstreamFailure.Kind.CANCELLED) {
            throw new ClientGoneException(failure);
        }
        return new Retry(new Attempt(attempt.channel(), attempt.keySuffix(), status, failure.getMessage(),
                call.millisSince(attempt.start())), failure.kind().isTimeout() ? FailureClass.TIMEOUT
                        : FailureClass.UNAVAILABLE);
    }

    /** A non-2xx answer: the next channel for capacity and credential trouble, else the provider's words. */
    private Step rejected(Call call, Try attempt, int status, byte[] body) throws ClientGoneException {
        ProviderError error = ProviderError.read(body);
        String outcome = "HTTP " + status + (body.length == 0 ? "" : " (" + describe(error) + ")");
        Attempt tried = new Attempt(attempt.channel(), attempt.keySuffix(), status, outcome,
                call.millisSince(attempt.start()));
        if (ChatRelay.isRetryable(status)) {
            return new Retry(tried, FailureClass.UNAVAILABLE);
        }
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
            return new Retry(new Attempt(attempt.channel(), attempt.keySuffix(), response.status(), "HTTP "
                    + response.status() + " with an answer that could not be read: " + e.getMessage(),
                    call.millisSince(attempt.start())), FailureClass.INVALID);
        }
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
            return new Retry(new Attempt(attempt.channel(), attempt.keySuffix(), response.status(), "HTTP "
                    + response.status() + " answered '" + contentType + "' instead of an event stream"
                    + ChatRelay.summary(readError(response)), call.millisSince(attempt.start())), FailureClass.INVALID);
        }
        SseReader reader = SseReader.of(response.body(), MAX_EVENT_BYTES);
        StreamDecoder decoder = exchange.streamDecoder();
        ChatChunkEncoder encoder = ChatChunkEncoder.create("chatcmpl-" + seed(), attempt.candidate().upstreamModel(),
                clock.now().getEpochSecond(), request.includeUsage());
        boolean committed = false;
        long firstByte = -1;
        String failure = null;
        EndReason failureReason = EndReason.UPSTREAM_CUT;
        FailureClass failureClass = FailureClass.UNAVAILABLE;
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
                    failure = cause.getMessage();
                    if (cause.kind().isTimeout()) {
                        failureReason = EndReason.IDLE_TIMEOUT;
                        failureClass = FailureClass.TIMEOUT;
                    }
                    break;
                }
                if (event == null) {
                    if (!decoder.complete()) {
                        failure = "the stream ended before the answer was complete";
                    }
                    break;
                }
                List<StreamEvent> events;
                try {
                    events = decoder.decode(event);
                } catch (MalformedAnswerException e) {
                    failure = "malformed stream event: " + e.getMessage();
                    failureReason = EndReason.UPSTREAM_ERROR;
                    failureClass = FailureClass.INVALID;
                    break;
                }
                for (StreamEvent canonical : events) {
                    if (canonical instanceof StreamEvent.Error error) {
                        failure = "the upstream sent an error event (" + error.type() + ": " + error.message() + ")";
                        failureReason = EndReason.UPSTREAM_ERROR;
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
            return new Delivered(call.result(499, attempt.candidate(), encoder.usage().tokens(), firstByte,
                    EndReason.CLIENT_GONE));
        }
        if (failure == null) {
            if (!committed) {
                firstByte = commit(call, attempt);
            }
            call.down.send(encoder.end());
            return new Delivered(call.result(200, attempt.candidate(), encoder.usage().tokens(), firstByte,
                    EndReason.DONE));
        }
        response.abort();
        if (!committed) {
            return new Retry(new Attempt(attempt.channel(), attempt.keySuffix(), 200, failure,
                    call.millisSince(attempt.start())), failureClass);
        }
        call.down.send(call.format.streamError(ErrorKind.UPSTREAM_UNAVAILABLE,
                "The upstream stream broke before the answer was complete (" + failure + ")."));
        return new Delivered(call.result(200, attempt.candidate(), encoder.usage().tokens(), firstByte,
                failureReason));
    }

    /** Sends status and headers; returns the time to first byte in milliseconds. */
    private static long commit(Call call, Try attempt) throws ClientGoneException {
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

    /** A short random string that makes generated ids unique per answer. */
    private static String seed() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] seed = new char[10];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = SEED_ALPHABET[random.nextInt(SEED_ALPHABET.length)];
        }
        return new String(seed);
    }
}
