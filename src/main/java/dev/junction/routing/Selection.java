package dev.junction.routing;

import dev.junction.core.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The channels one request may still try, in the order to try them. A channel or key that failed
 * in this request is never offered again for it. Resting (rate-limited), open-circuit and
 * unhealthy channels are passed over; when nothing else is left, the one that frees soonest is
 * offered anyway rather than failing the request without a try. Not thread-safe: one per request.
 */
public final class Selection {

    private final List<Candidate> ordered;
    private final Clock clock;
    private final Set<Channel> failedChannels = new HashSet<>();
    private final Set<KeyState> failedKeys = new HashSet<>();

    Selection(List<Candidate> ordered, Clock clock) {
        this.ordered = ordered;
        this.clock = clock;
    }

    /** Whether any channel serves the model at all. */
    public boolean isEmpty() {
        return ordered.isEmpty();
    }

    /** The next channel and key to try, or empty when none is left. */
    public Optional<Pick> next() {
        Instant now = clock.now();
        for (Candidate candidate : ordered) {
            Channel channel = candidate.channel();
            if (failedChannels.contains(channel) || !channel.healthy()) {
                continue;
            }
            KeyState key = channel.usableKey(failedKeys, candidate.upstreamModel(), now);
            if (key != null && channel.tryAcquire(candidate.upstreamModel(), now)) {
                return Optional.of(new Pick(candidate, key, false));
            }
        }
        // Everything is resting: offer the candidate that frees soonest (healthy ones first).
        Candidate best = null;
        KeyState bestKey = null;
        Instant bestAt = Instant.MAX;
        for (Candidate candidate : ordered) {
            Channel channel = candidate.channel();
            KeyState key = failedChannels.contains(channel) ? null : channel.soonestKey(failedKeys,
                    candidate.upstreamModel());
            if (key == null) {
                continue;
            }
            Instant cool = key.coolUntil(candidate.upstreamModel());
            Instant open = channel.availableAt(candidate.upstreamModel(), now);
            Instant at = cool.isAfter(open) ? cool : open;
            if (!channel.healthy()) {
                at = Instant.MAX.minusSeconds(1);
            }
            if (best == null || at.isBefore(bestAt)) {
                best = candidate;
                bestKey = key;
                bestAt = at;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        best.channel().force(best.upstreamModel(), now);
        return Optional.of(new Pick(best, bestKey, true));
    }

    /** The channel failed for this request: offer it no more. */
    public void channelFailed(Channel channel) {
        failedChannels.add(channel);
    }

    /** The key failed for this request: offer it no more (other keys of its channel stay). */
    public void keyFailed(KeyState key) {
        failedKeys.add(key);
    }
}
