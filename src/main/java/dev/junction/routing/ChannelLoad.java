package dev.junction.routing;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What this instance measures about one channel for the strategies, kept across snapshots by
 * channel id: requests in flight, moving averages of time to first token and output speed, and the
 * remaining share of its quota as last counted. Reads are plain field reads, so ordering fifty
 * candidates costs no lookups; updates race benignly (a lost sample of a moving average does no harm).
 */
final class ChannelLoad {

    /** Weight of a new sample in the moving averages. */
    private static final double ALPHA = 0.2;

    final AtomicInteger inFlight = new AtomicInteger();
    private volatile double ttftMillis;
    private volatile double tokensPerSecond;
    private volatile int samples;
    private volatile double remainingShare = 1.0;

    /** A served attempt: milliseconds to the first byte, output tokens and milliseconds after it. */
    void measured(long ttft, long outputTokens, long generationMillis) {
        int n = samples;
        if (ttft >= 0) {
            ttftMillis = n == 0 ? ttft : ttftMillis + ALPHA * (ttft - ttftMillis);
        }
        if (outputTokens > 0 && generationMillis > 0) {
            double speed = outputTokens * 1000.0 / generationMillis;
            tokensPerSecond = tokensPerSecond == 0 ? speed : tokensPerSecond + ALPHA * (speed - tokensPerSecond);
        }
        samples = n + 1;
    }

    /**
     * Expected milliseconds to a typical answer (first token plus 256 tokens); 0 while unmeasured,
     * so a new channel is tried and measured first.
     */
    double expectedMillis() {
        if (samples == 0) {
            return 0;
        }
        double speed = tokensPerSecond;
        return ttftMillis + (speed > 0 ? 256_000.0 / speed : 0);
    }

    int samples() {
        return samples;
    }

    double ttftMillis() {
        return ttftMillis;
    }

    double tokensPerSecond() {
        return tokensPerSecond;
    }

    double remainingShare() {
        return remainingShare;
    }

    void remainingShare(double share) {
        remainingShare = share;
    }
}
