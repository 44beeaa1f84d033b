package dev.junction.usage;

import dev.junction.core.Attempt;
import dev.junction.core.EndReason;
import dev.junction.core.TokenSource;
import dev.junction.core.TokenUsage;
import dev.junction.core.Units;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One request, as stored: who asked for what, where it went, what it cost in tokens, money and time.
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
 * @param costMicros cost in micro-dollars from the serving channel's price of the upstream model;
 *     null when unknown (a model without a price) or not yet priced (see {@link Pricing})
 * @param clientApi the API the client spoke: {@code openai}, {@code anthropic}, {@code responses},
 *     {@code gemini} or {@code embeddings}; null when not a model route
 * @param tokenSource whether the provider reported the counts or the gateway estimated them
 * @param clientIp the client's address, null when unknown
 * @param userId the user the key belongs to, null until keys belong to users
 * @param teamId the team the key belongs to, null when none
 * @param configVersion the routing-config version the request was routed under, null until versions exist
 * @param endpoint what was asked of the model ({@code chat}, {@code embeddings},
 *     {@code images/generations}, {@code audio/speech}, …); null when not a model route
 * @param units what the request is billed by: its tokens, or its images, characters, seconds of
 *     audio or searches
 */
public record UsageRecord(String requestId, Instant at, String keyName, String publicModel, String channel,
        String upstreamModel, int status, TokenUsage tokens, long latencyMillis, long firstByteMillis, boolean stream,
        List<Attempt> attempts, EndReason endReason, Long keyId, Long channelId, Long costMicros, String clientApi,
        TokenSource tokenSource, String clientIp, Long userId, Long teamId, Integer configVersion, String endpoint,
        Units units) {

    public UsageRecord {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(tokens, "tokens");
        attempts = List.copyOf(attempts);
        Objects.requireNonNull(endReason, "endReason");
        Objects.requireNonNull(tokenSource, "tokenSource");
        Objects.requireNonNull(units, "units");
    }

    /** A record billed by its tokens, with no endpoint named. */
    public UsageRecord(String requestId, Instant at, String keyName, String publicModel, String channel,
            String upstreamModel, int status, TokenUsage tokens, long latencyMillis, long firstByteMillis,
            boolean stream, List<Attempt> attempts, EndReason endReason, Long keyId, Long channelId, Long costMicros,
            String clientApi, TokenSource tokenSource, String clientIp, Long userId, Long teamId,
            Integer configVersion) {
        this(requestId, at, keyName, publicModel, channel, upstreamModel, status, tokens, latencyMillis,
                firstByteMillis, stream, attempts, endReason, keyId, channelId, costMicros, clientApi, tokenSource,
                clientIp, userId, teamId, configVersion, null, Units.tokens(tokens));
    }

    /** A record with ids and nothing of the rest (cost unknown, tokens as the provider reported them). */
    public UsageRecord(String requestId, Instant at, String keyName, String publicModel, String channel,
            String upstreamModel, int status, TokenUsage tokens, long latencyMillis, long firstByteMillis,
            boolean stream, List<Attempt> attempts, EndReason endReason, Long keyId, Long channelId) {
        this(requestId, at, keyName, publicModel, channel, upstreamModel, status, tokens, latencyMillis,
                firstByteMillis, stream, attempts, endReason, keyId, channelId, null, null,
                tokens.equals(TokenUsage.NONE) ? TokenSource.NONE : TokenSource.PROVIDER, null, null, null, null);
    }

    /** A record without ids. */
    public UsageRecord(String requestId, Instant at, String keyName, String publicModel, String channel,
            String upstreamModel, int status, TokenUsage tokens, long latencyMillis, long firstByteMillis,
            boolean stream, List<Attempt> attempts, EndReason endReason) {
        this(requestId, at, keyName, publicModel, channel, upstreamModel, status, tokens, latencyMillis,
                firstByteMillis, stream, attempts, endReason, null, null);
    }

    /** This record with its cost in micro-dollars (null: unknown). */
    public UsageRecord withCost(Long micros) {
        return new UsageRecord(requestId, at, keyName, publicModel, channel, upstreamModel, status, tokens,
                latencyMillis, firstByteMillis, stream, attempts, endReason, keyId, channelId, micros, clientApi,
                tokenSource, clientIp, userId, teamId, configVersion, endpoint, units);
    }

    /** This record with who asked and how: the client API, address, user, team and config version. */
    public UsageRecord withClient(String api, String ip, Long user, Long team, Integer version) {
        return new UsageRecord(requestId, at, keyName, publicModel, channel, upstreamModel, status, tokens,
                latencyMillis, firstByteMillis, stream, attempts, endReason, keyId, channelId, costMicros, api,
                tokenSource, ip, user, team, version, endpoint, units);
    }

    /** This record with its tokens and where they came from. */
    public UsageRecord withTokens(TokenUsage counted, TokenSource source) {
        return new UsageRecord(requestId, at, keyName, publicModel, channel, upstreamModel, status, counted,
                latencyMillis, firstByteMillis, stream, attempts, endReason, keyId, channelId, costMicros, clientApi,
                source, clientIp, userId, teamId, configVersion, endpoint,
                units.isTokens() ? Units.tokens(counted) : units);
    }

    /** This record with the endpoint it was asked at and what it is billed by. */
    public UsageRecord withUnits(String asked, Units billed) {
        return new UsageRecord(requestId, at, keyName, publicModel, channel, upstreamModel, status, tokens,
                latencyMillis, firstByteMillis, stream, attempts, endReason, keyId, channelId, costMicros, clientApi,
                tokenSource, clientIp, userId, teamId, configVersion, asked, billed);
    }

    /** The status class for rollups: 2, 4 or 5 (a status under 200 counts as 5: nothing was answered). */
    public int statusClass() {
        int c = status / 100;
        return c < 2 ? 5 : Math.min(c, 5);
    }
}
