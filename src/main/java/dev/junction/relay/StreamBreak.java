package dev.junction.relay;

import dev.junction.core.EndReason;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.http.SseReader;
import dev.junction.http.UpstreamFailure;
import dev.junction.http.UpstreamResponse;
import java.io.IOException;

/**
 * Why an upstream stream stopped before its answer was complete: what to tell (in the attempt
 * record or the in-band error), how the failover table classifies it, and the end reason recorded
 * when content had already reached the client.
 */
record StreamBreak(String problem, Failure failure, EndReason end) implements StreamLoop.Next {

    /** The upstream closed the stream without finishing the answer. */
    static final StreamBreak INCOMPLETE = new StreamBreak("the stream ended before the answer was complete",
            Failure.NETWORK, EndReason.UPSTREAM_CUT);

    /** A read failed: a cut, a stall (idle timeout) or an event over the size limit. */
    static StreamBreak read(IOException error, UpstreamResponse response) throws ClientGoneException {
        UpstreamFailure cause = error instanceof SseReader.SseTooLargeException
                ? new UpstreamFailure(UpstreamFailure.Kind.BODY_TOO_LARGE, error.getMessage())
                : response.failure(error);
        if (cause.kind() == UpstreamFailure.Kind.CANCELLED) {
            throw new ClientGoneException(cause);
        }
        return new StreamBreak(cause.getMessage(), Failure.ofTransport(cause.kind()),
                cause.kind().isTimeout() ? EndReason.IDLE_TIMEOUT : EndReason.UPSTREAM_CUT);
    }

    /** No content came within the channel's {@code first_token} limit. */
    static StreamBreak firstTokenLate(java.time.Duration limit) {
        return new StreamBreak("no content within the first-token limit of " + limit.toMillis() + " ms",
                Failure.TIMEOUT, EndReason.IDLE_TIMEOUT);
    }

    /** The upstream reported an error inside the stream. */
    static StreamBreak errorEvent(String detail) {
        return new StreamBreak("the upstream sent an error event" + detail, Failure.SERVER_ERROR,
                EndReason.UPSTREAM_ERROR);
    }

    /** An event could not be read. */
    static StreamBreak malformed(String detail) {
        return new StreamBreak("malformed stream event" + detail, Failure.INVALID_RESPONSE, EndReason.UPSTREAM_ERROR);
    }
}
