package dev.junction.relay;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Recent times to first token per upstream model (the last {@value #KEEP} streams that produced
 * content), for {@code hedge_after: p95}. One small ring per model, written once per stream.
 */
final class FirstTokens {

    static final int KEEP = 100;
    /** Fewer samples than this give no percentile (no hedging on a guess). */
    static final int MIN_SAMPLES = 20;

    private final ConcurrentMap<String, Ring> models = new ConcurrentHashMap<>();

    void record(String upstreamModel, long millis) {
        models.computeIfAbsent(upstreamModel, m -> new Ring()).add(millis);
    }

    /** The 95th percentile of the model's recent first-token times, when there are enough. */
    Optional<Duration> p95(String upstreamModel) {
        Ring ring = models.get(upstreamModel);
        return ring == null ? Optional.empty() : ring.p95().map(Duration::ofMillis);
    }

    private static final class Ring {
        private final long[] values = new long[KEEP];
        private int next;
        private int size;

        synchronized void add(long millis) {
            values[next] = millis;
            next = (next + 1) % KEEP;
            size = Math.min(KEEP, size + 1);
        }

        synchronized Optional<Long> p95() {
            if (size < MIN_SAMPLES) {
                return Optional.empty();
            }
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return Optional.of(sorted[Math.min(size - 1, (int) Math.ceil(size * 0.95) - 1)]);
        }
    }
}
