package dev.junction.usage;

import dev.junction.core.Attempt;
import dev.junction.core.EndReason;
import dev.junction.core.TokenUsage;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One request, as stored: who asked for what, where it went, what it cost in tokens and time.
 *
 * @param requestId the {@code x-request-id} the client saw
 * @param at when the request arrived
 * @param keyName gateway key name, null when authentication failed
 * @param publicModel model the client asked for
 * @param channel channel that answered, null if none
 * @param upstreamModel model name sent to that channel
 * @param status HTTP status the client received (499: client went away)
 * @param tokens tokens counted, all five counts
 * @param latencyMillis time to the end of the answer
 * @param firstByteMillis time to the first byte sent, -1 if none
 * @param stream whether the client asked for a stream
 * @param attempts every channel tried
 * @param endReason how the request ended
 * @param keyId stable id of the gateway key, null when authentication failed (the name is its label)
 * @param channelId stable id of the channel that answered, null if none
 */
public record UsageRecord(String requestId, Instant at, String keyName, String publicModel, String channel,
        String upstreamModel, int status, TokenUsage tokens, long latencyMillis, long firstByteMillis, boolean stream,
        List<Attempt> attempts, EndReason endReason, Long keyId, Long channelId) {

    public UsageRecord {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(tokens, "tokens");
        attempts = List.copyOf(attempts);
        Objects.requireNonNull(endReason, "endReason");
    }

    /** A record without ids. */
    public UsageRecord(String requestId, Instant at, String keyName, String publicModel, String channel,
            String upstreamModel, int status, TokenUsage tokens, long latencyMillis, long firstByteMillis,
            boolean stream, List<Attempt> attempts, EndReason endReason) {
        this(requestId, at, keyName, publicModel, channel, upstreamModel, status, tokens, latencyMillis,
                firstByteMillis, stream, attempts, endReason, null, null);
    }
}
