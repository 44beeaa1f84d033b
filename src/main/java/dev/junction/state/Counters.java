package dev.junction.state;

/**
 * Counters per subject, metric ({@code "requests"}, {@code "tokens"}, {@code "in_flight"}, …) and
 * window. The check and the increment are one step, so concurrent callers can never together
 * pass a limit (no check-then-add race).
 */
public interface Counters {

    /** Adds {@code amount} unless the count would then exceed {@code limit}; atomic. */
    Tally tryAdd(StateKey subject, String metric, Window window, long amount, long limit);

    /**
     * Adds {@code amount} (negative to give back, e.g. a reservation replaced by the real cost or a
     * request that ended) without a limit; returns the count after it.
     */
    long add(StateKey subject, String metric, Window window, long amount);

    /** The current count; 0 for a window never counted in. */
    long count(StateKey subject, String metric, Window window);
}
