package dev.junction.relay;

import dev.junction.core.EndReason;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.http.UpstreamFailure;
import dev.junction.http.UpstreamResponse;
import dev.junction.relay.Relay.Call;
import dev.junction.relay.Relay.Step;
import dev.junction.routing.Pick;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;

/**
 * A 2xx answer relayed byte for byte as it arrives, whatever it is (speech audio, a transcript in
 * text, SRT or an event stream): the commit point is the first byte. A failure before it is
 * invisible to the client and the relay tries the next candidate; after it the answer cannot be
 * continued or completed, so a cut ends the client's response as broken ({@link
 * dev.junction.http.Downstream#abort}: no last chunk), never as a clean end.
 */
final class RawBody {

    /** Bytes read from the provider per write to the client. */
    static final int CHUNK = 64 << 10;

    private RawBody() {
    }

    static Step run(Call call, Pick pick, long start, UpstreamResponse response) throws ClientGoneException {
        int status = response.status();
        String contentType = Optional.ofNullable(response.header("Content-Type")).orElse("application/octet-stream");
        InputStream in = response.body();
        byte[] buffer = new byte[CHUNK];
        int n;
        try {
            n = readSome(in, buffer);
        } catch (IOException e) {
            return Relay.transportFailure(call, pick, start, status, response.failure(e));
        }
        if (n < 0) {
            call.settle(pick, call.attempt(pick, start, status, "ok"), Outcome.SERVED);
            call.announce(pick);
            call.down.respond(status, contentType, new byte[0]);
            return call.delivered(pick, status, null, call.millisSince(call.started), EndReason.DONE);
        }
        call.settle(pick, call.attempt(pick, start, status, "ok"), Outcome.SERVED);
        call.announce(pick);
        call.down.startBody(status, contentType);
        long firstByte = call.millisSince(call.started);
        call.firstByte = firstByte;
        while (n >= 0) {
            if (n > 0) {
                call.down.send(Arrays.copyOf(buffer, n));
            }
            try {
                n = readSome(in, buffer);
            } catch (IOException e) {
                UpstreamFailure failure = response.failure(e);
                if (failure.kind() == UpstreamFailure.Kind.CANCELLED) {
                    throw new ClientGoneException(failure);
                }
                call.settle(pick, null, Outcome.BROKEN);
                call.down.abort();
                return call.delivered(pick, status, null, firstByte, switch (failure.kind()) {
                    case IDLE_TIMEOUT, TOTAL_TIMEOUT, FIRST_BYTE_TIMEOUT -> EndReason.IDLE_TIMEOUT;
                    default -> EndReason.UPSTREAM_CUT;
                });
            }
        }
        call.down.finish();
        return call.delivered(pick, status, null, firstByte, EndReason.DONE);
    }

    /** One read: what has arrived, up to the buffer's size; -1 at the end. */
    private static int readSome(InputStream in, byte[] buffer) throws IOException {
        return in.read(buffer, 0, buffer.length);
    }
}
