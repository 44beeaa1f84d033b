package dev.junction.relay;

import dev.junction.core.EndReason;
import dev.junction.core.ErrorKind;
import dev.junction.core.TokenUsage;
import dev.junction.http.Downstream.ClientGoneException;

/**
 * A request the stopping gateway ended after its grace period ({@link dev.junction.http.Downstream#stopped()}):
 * the upstream call was cancelled as if the client had left, but the client is still there. A
 * stream that has started ends with the in-band error event in the client's API (never a clean
 * finish, never a bare reset); a request with nothing sent yet gets a 503 to retry elsewhere.
 */
final class StoppedEarly {

    private static final String MESSAGE = "The gateway is shutting down and ended this request before it was "
            + "complete; retry it.";

    private StoppedEarly() {
    }

    /** {@code result} unchanged unless the request was cut by the stop; then the answer that tells the client. */
    static RelayResult answer(Relay.Call call, RelayResult result) {
        if (result.end() != EndReason.CLIENT_GONE || !call.down.stopped()) {
            return result;
        }
        try {
            if (call.down.committed()) {
                call.down.send(call.request.streamError(ErrorKind.UPSTREAM_UNAVAILABLE, MESSAGE));
                return new RelayResult(200, result.channel(), result.upstreamModel(), result.usage(), call.attempts,
                        result.firstByteMillis(), EndReason.SHUTDOWN);
            }
            call.down.header("Retry-After", "2");
            call.down.respond(503, "application/json", call.request.errorBody(ErrorKind.UPSTREAM_UNAVAILABLE, MESSAGE));
            return new RelayResult(503, null, null, TokenUsage.NONE, call.attempts, -1, EndReason.SHUTDOWN);
        } catch (ClientGoneException e) {
            return result;
        }
    }
}
