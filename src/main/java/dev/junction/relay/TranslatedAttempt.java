package dev.junction.relay;

import dev.junction.config.ChannelConfig;
import dev.junction.core.Attempt;
import dev.junction.core.Clock;
import dev.junction.core.EndReason;
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
import dev.junction.protocol.ClientStream;
import dev.junction.protocol.MalformedAnswerException;
import dev.junction.protocol.ProviderCall;
import dev.junction.protocol.ProviderError;
import dev.junction.protocol.ProviderExchange;
import dev.junction.protocol.StreamDecoder;
import dev.junction.protocol.TranslatableRequest;
import dev.junction.relay.Relay.Call;
import dev.junction.relay.Relay.Delivered;
import dev.junction.relay.Relay.Failed;
import dev.junction.relay.Relay.Step;
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

    private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final char[] SEED_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private final Relay relay;
    private final Clock clock;

    TranslatedAttempt(Relay relay) {
        this.relay = relay;
        this.clock = relay.clock();
    }

    /** The codec of a channel type reached by translation. */
    static ChannelCodec codec(ChannelConfig channel) {
        return Codecs.of(channel.type());
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
        TranslatableRequest client;
        ProviderExchange exchange;
        CanonicalRequest request;
        try {
            client = call.request.translatable(channel.api());
            request = client.canonical(channel.quirks());
            exchange = codec(channel).prepare(request, candidate.upstreamModel(),
                    pick.key().key().map(ProviderKey::secret).orElse(null), attempt.seed(), channel.quirks());
        } catch (GatewayException e) {
            // The request cannot be expressed for this provider: the client's to fix, like a provider 400.
            candidate.channel().abandoned();
            call.attempts.add(new Attempt(attempt.channel(), attempt.keySuffix(), e.kind().status(),
                    "not translatable: " + e.getMessage(), call.millisSince(attempt.start())));
            call.announce(candidate);
            call.down.respond(e.kind().status(), "application/json", call.request.errorBody(e.kind(), e.getMessage()));
            return new Delivered(call.result(e.kind().status(), candidate, null, call.millisSince(call.started),
                    EndReason.UPSTREAM_REJECTED));
        }
        UpstreamResponse response;
        try {
            response = relay.send(call, pick, exchange.call(), attempt.start());
        } catch (UpstreamFailure failure) {
            return relay.transportFailure(call, pick, attempt.start(), 0, failure);
        }
        try (response) {
            int status = response.status();
            if (status >= 200 && status < 300) {
                return request.stream() ? stream(call, client, attempt, response, exchange, request)
                        : whole(call, client, attempt, response, exchange);
            }
            return relay.rejected(call, pick, attempt.start(), response, false);
        }
    }

    private Step whole(Call call, TranslatableRequest client, Try attempt, UpstreamResponse response,
            ProviderExchange exchange) throws ClientGoneException {
        byte[] body;
        try {
            body = response.readAll(Relay.MAX_RESPONSE_BYTES);
        } catch (UpstreamFailure failure) {
            return relay.transportFailure(call, attempt.pick(), attempt.start(), response.status(), failure);
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
        call.down.respond(200, "application/json", client.encode(answer, clock.now().getEpochSecond()));
        return new Delivered(call.result(200, attempt.candidate(), answer.usage().tokens(),
                call.millisSince(call.started), EndReason.DONE));
    }

    private Step stream(Call call, TranslatableRequest client, Try attempt, UpstreamResponse response,
            ProviderExchange exchange, CanonicalRequest request) throws ClientGoneException {
        String contentType = Optional.ofNullable(response.header("Content-Type")).orElse("");
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            return new Failed(new Attempt(attempt.channel(), attempt.keySuffix(), response.status(), "HTTP "
                    + response.status() + " answered '" + contentType + "' instead of an event stream"
                    + Relay.summary(Relay.readError(response)), call.millisSince(attempt.start())),
                    Failure.INVALID_RESPONSE);
        }
        SseReader reader = SseReader.of(response.body(), Relay.MAX_EVENT_BYTES);
        StreamDecoder decoder = exchange.streamDecoder();
        ClientStream encoder = client.streamEncoder(attempt.seed(), attempt.candidate().upstreamModel(),
                clock.now().getEpochSecond());
        boolean committed = false;
        long firstByte = -1;
        StreamBreak stop = null;
        try {
            reading:
            while (true) {
                SseEvent event;
                try {
                    event = reader.next();
                } catch (IOException e) {
                    stop = StreamBreak.read(e, response);
                    break;
                }
                if (event == null) {
                    if (!decoder.complete()) {
                        stop = StreamBreak.INCOMPLETE;
                    }
                    break;
                }
                List<StreamEvent> events;
                try {
                    events = decoder.decode(event);
                } catch (MalformedAnswerException e) {
                    stop = StreamBreak.malformed(": " + e.getMessage());
                    break;
                }
                for (StreamEvent canonical : events) {
                    if (canonical instanceof StreamEvent.Error error) {
                        stop = StreamBreak.errorEvent(" (" + error.type() + ": " + error.message() + ")");
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
                        firstByte = call.commitStream(attempt.pick(), attempt.start());
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
        if (stop == null) {
            if (!committed) {
                firstByte = call.commitStream(attempt.pick(), attempt.start());
            }
            call.down.send(encoder.end());
            return new Delivered(call.result(200, attempt.candidate(), encoder.usage().tokens(), firstByte,
                    EndReason.DONE));
        }
        response.abort();
        if (!committed) {
            return new Failed(new Attempt(attempt.channel(), attempt.keySuffix(), 200, stop.problem(),
                    call.millisSince(attempt.start())), stop.failure());
        }
        return relay.broken(call, attempt.pick(), stop, encoder.usage().tokens(), firstByte);
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
