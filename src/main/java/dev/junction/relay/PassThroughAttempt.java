package dev.junction.relay;

import dev.junction.core.Attempt;
import dev.junction.core.EndReason;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.http.SseEvent;
import dev.junction.http.SseReader;
import dev.junction.http.UpstreamFailure;
import dev.junction.http.UpstreamResponse;
import dev.junction.protocol.PassThrough;
import dev.junction.protocol.PassThrough.StreamScanner;
import dev.junction.protocol.PassThrough.Whole;
import dev.junction.relay.Relay.Call;
import dev.junction.relay.Relay.Delivered;
import dev.junction.relay.Relay.Failed;
import dev.junction.relay.Relay.Step;
import dev.junction.routing.Pick;
import dev.junction.routing.ProviderKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One try of a channel that speaks the client's API: the client's bytes go upstream with only the
 * model and credential changed, and the answer comes back as the provider sent it, scanned on the
 * way (never rebuilt) for usage and for the first content, which is the commit point.
 */
final class PassThroughAttempt {

    /** Lifecycle-only events held before content; past this the stream is committed anyway. */
    private static final int MAX_HELD_EVENTS = 64;

    private final Relay relay;

    PassThroughAttempt(Relay relay) {
        this.relay = relay;
    }

    Step attempt(Call call, Pick pick, PassThrough route) throws ClientGoneException {
        long start = relay.clock().nanoTime();
        var channel = pick.channel().config();
        var spec = route.call(pick.candidate().upstreamModel(), pick.key().key().map(ProviderKey::secret).orElse(null),
                channel.quirks());
        UpstreamResponse response;
        try {
            response = relay.send(call, pick, spec, start);
        } catch (UpstreamFailure failure) {
            return relay.transportFailure(call, pick, start, 0, failure);
        }
        try (response) {
            int status = response.status();
            if (status < 200 || status >= 300) {
                return relay.rejected(call, pick, start, response, route.verbatimErrors());
            }
            return call.request.stream() ? stream(call, pick, route, response, start)
                    : whole(call, pick, route, response, start);
        }
    }

    private Step whole(Call call, Pick pick, PassThrough route, UpstreamResponse response, long start)
            throws ClientGoneException {
        byte[] body;
        try {
            body = response.readAll(Relay.MAX_RESPONSE_BYTES);
        } catch (UpstreamFailure failure) {
            return relay.transportFailure(call, pick, start, response.status(), failure);
        }
        Whole answer = route.inspect(body);
        if (answer.problem() != null) {
            boolean garbage = answer.problem() instanceof PassThrough.Problem.NotJson;
            return new Failed(new Attempt(pick.channel().name(), pick.key().suffix(), response.status(), "HTTP "
                    + response.status() + " with " + answer.problem().description() + (garbage ? "" : Relay.summary(body)),
                    call.millisSince(start)), garbage ? Failure.INVALID_RESPONSE : Failure.SERVER_ERROR);
        }
        pick.channel().succeeded(pick.key(), relay.clock().nanoTime());
        call.attempts.add(new Attempt(pick.channel().name(), pick.key().suffix(), response.status(), "ok",
                call.millisSince(start)));
        call.announce(pick.candidate());
        call.down.respond(response.status(), "application/json", answer.body() != null ? answer.body() : body);
        return new Delivered(call.result(response.status(), pick.candidate(), answer.usage(),
                call.millisSince(call.started), EndReason.DONE));
    }

    private Step stream(Call call, Pick pick, PassThrough route, UpstreamResponse response, long start)
            throws ClientGoneException {
        String contentType = Optional.ofNullable(response.header("Content-Type")).orElse("");
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            return new Failed(new Attempt(pick.channel().name(), pick.key().suffix(), response.status(), "HTTP "
                    + response.status() + " answered '" + contentType + "' instead of an event stream"
                    + Relay.summary(Relay.readError(response)), call.millisSince(start)), Failure.INVALID_RESPONSE);
        }
        SseReader reader = SseReader.of(response.body(), Relay.MAX_EVENT_BYTES);
        StreamScanner scanner = route.scanner();
        List<byte[]> held = new ArrayList<>();
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
                    if (!scanner.complete()) {
                        stop = StreamBreak.INCOMPLETE;
                        break;
                    }
                    // Complete but without the provider's own terminator: end it properly for the client.
                    if (!committed) {
                        firstByte = commit(call, pick, start, held);
                    }
                    call.down.send(scanner.terminator());
                    return new Delivered(call.result(200, pick.candidate(), scanner.usage(), firstByte,
                            EndReason.DONE));
                }
                if (!event.hasData()) {
                    if (committed) {
                        call.down.send(event.raw()); // keep-alive comments keep the client's connection warm
                    }
                    continue;
                }
                switch (scanner.scan(event)) {
                    case HIDDEN -> {
                    }
                    case LIFECYCLE -> {
                        if (committed) {
                            call.down.send(event.raw());
                        } else {
                            held.add(event.raw());
                            if (held.size() >= MAX_HELD_EVENTS) {
                                firstByte = commit(call, pick, start, held);
                                committed = true;
                            }
                        }
                    }
                    case CONTENT -> {
                        if (!committed) {
                            firstByte = commit(call, pick, start, held);
                            committed = true;
                        }
                        call.down.send(event.raw());
                    }
                    case DONE -> {
                        if (!committed) {
                            firstByte = commit(call, pick, start, held);
                        }
                        call.down.send(event.raw());
                        return new Delivered(call.result(200, pick.candidate(), scanner.usage(), firstByte,
                                EndReason.DONE));
                    }
                    case ERROR -> {
                        stop = StreamBreak.errorEvent(Relay.summary(event.data()));
                        break reading;
                    }
                    case MALFORMED -> {
                        stop = StreamBreak.malformed(Relay.summary(event.data()));
                        break reading;
                    }
                }
            }
        } catch (ClientGoneException e) {
            response.abort();
            pick.channel().abandoned();
            return new Delivered(call.result(499, pick.candidate(), scanner.usage(), firstByte,
                    EndReason.CLIENT_GONE));
        }
        response.abort();
        if (!committed) {
            return new Failed(new Attempt(pick.channel().name(), pick.key().suffix(), 200, stop.problem(),
                    call.millisSince(start)), stop.failure());
        }
        return relay.broken(call, pick, stop, scanner.usage(), firstByte);
    }

    /** Sends status, headers and the events held back; returns the time to first byte. */
    private static long commit(Call call, Pick pick, long start, List<byte[]> held) throws ClientGoneException {
        long firstByte = call.commitStream(pick, start);
        for (byte[] event : held) {
            call.down.send(event);
        }
        held.clear();
        return firstByte;
    }

}
