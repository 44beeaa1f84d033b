package dev.junction.relay;

import dev.junction.core.Attempt;
import dev.junction.core.EndReason;
import dev.junction.core.TokenUsage;
import java.util.List;

/**
 * What the relay did for one request, for the usage record.
 *
 * @param status HTTP status the client received
 * @param channel channel that served the answer, or null
 * @param upstreamModel model name sent to that channel, or null
 * @param usage tokens counted
 * @param attempts every try, in order
 * @param firstByteMillis time to the first byte sent to the client, -1 if none
 * @param end how the answer ended
 */
public record RelayResult(int status, String channel, String upstreamModel, TokenUsage usage,
        List<Attempt> attempts, long firstByteMillis, EndReason end) {

    public RelayResult {
        attempts = List.copyOf(attempts);
    }
}
