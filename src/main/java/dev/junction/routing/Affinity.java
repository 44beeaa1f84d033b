package dev.junction.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;

/**
 * Which channel and key served each conversation last, per public model, so the next turn goes
 * there too (the provider's prompt cache is warm). Bounded (least recently used entries go first)
 * and each entry expires its model's {@code affinity_ttl} after its last use. An entry moves when its
 * channel fails or reaches a limit: the channel that serves instead is remembered.
 */
final class Affinity {

    static final long MAX_SESSIONS = 100_000;

    /** The channel (by stable id) and key (by id) a conversation sticks to. */
    record Sticky(long channel, String key, Duration ttl) {
    }

    private record Id(String model, String session) {
    }

    private final Cache<Id, Sticky> sessions;

    Affinity(com.github.benmanes.caffeine.cache.Ticker ticker) {
        this.sessions = Caffeine.newBuilder()
                .maximumSize(MAX_SESSIONS)
                .ticker(ticker)
                .expireAfter(Expiry.accessing((Id id, Sticky sticky) -> sticky.ttl()))
                .build();
    }

    Sticky get(String model, String session) {
        return sessions.getIfPresent(new Id(model, session));
    }

    void put(String model, String session, Sticky sticky) {
        sessions.put(new Id(model, session), sticky);
    }

    long size() {
        return sessions.estimatedSize();
    }
}
