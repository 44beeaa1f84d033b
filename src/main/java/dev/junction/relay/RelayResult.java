package dev.junction.relay;

import dev.junction.core.Attempt;
import dev.junction.core.EndReason;
import dev.junction.core.TokenSource;
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
 * @param tokenSource whether {@code usage} is the provider's report or the gateway's estimate
 */
public record RelayResult(int status, String channel, String upstreamModel, TokenUsage usage,
        List<Attempt> attempts, long firstByteMillis, EndReason end, TokenSource tokenSource) {

    public RelayResult {
        attempts = List.copyOf(attempts);
        java.util.Objects.requireNonNull(tokenSource, "tokenSource");
    }

    /** A result whose tokens are the provider's (none when {@code usage} is empty). */
    public RelayResult(int status, String channel, String upstreamModel, TokenUsage usage,
            List<Attempt> attempts, long firstByteMillis, EndReason end) {
        this(status, channel, upstreamModel, usage, attempts, firstByteMillis, end,
                usage == null || usage.equals(TokenUsage.NONE) ? TokenSource.NONE : TokenSource.PROVIDER);
    }
}
