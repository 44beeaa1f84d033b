package dev.junction.config;

/**
 * A channel's own quota ({@code limits:}, DESIGN.md §3.1): at a limit the channel is skipped, never
 * tried and failed. Each value is 0 when not set (no limit).
 *
 * @param rpm requests per minute (sliding window)
 * @param tpm tokens per minute, input plus output
 * @param concurrent requests in flight
 * @param tokensPerDay tokens per UTC day
 * @param usdPerDay spend per UTC day, in micro-dollars
 * @param usdPerMonth spend per calendar month (UTC), in micro-dollars
 */
public record ChannelLimits(long rpm, long tpm, long concurrent, long tokensPerDay, long usdPerDay,
        long usdPerMonth) {

    /** No limits. */
    public static final ChannelLimits NONE = new ChannelLimits(0, 0, 0, 0, 0, 0);

    public ChannelLimits {
        if (rpm < 0 || tpm < 0 || concurrent < 0 || tokensPerDay < 0 || usdPerDay < 0 || usdPerMonth < 0) {
            throw new IllegalArgumentException("a limit is never negative");
        }
    }

    /** Whether any limit is set. */
    public boolean any() {
        return rpm > 0 || tpm > 0 || concurrent > 0 || tokensPerDay > 0 || usdPerDay > 0 || usdPerMonth > 0;
    }

    /** Whether a limit on tokens or spend is set, which needs the request's size and price. */
    public boolean countsTokens() {
        return tpm > 0 || tokensPerDay > 0 || usdPerDay > 0 || usdPerMonth > 0;
    }
}
