package dev.junction.state;

import java.util.ArrayList;
import java.util.List;

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

    /**
     * Raises the count to {@code atLeast} when it is lower (never lowers it) and returns the count
     * after: idempotent, so instances doing it at once raise it once. For putting back what a store
     * lost (a budget's spend, read from the usage records, after Redis lost its data). This default
     * is not atomic; both implementations are.
     */
    default long raiseTo(StateKey subject, String metric, Window window, long atLeast) {
        long count = count(subject, metric, window);
        return count >= atLeast ? count : add(subject, metric, window, atLeast - count);
    }

    /**
     * Adds every increment, or none: all or nothing, so an admission that counts several subjects
     * (key, user, team, channel) is one step, and with Redis one round trip. Returns one tally per
     * increment, in order; when one would pass its limit, every tally says not admitted (with the
     * counts as they stand) and nothing changed.
     *
     * <p>Both implementations (in memory and Redis) do it atomically: no other change to those
     * counters comes between the check and the additions. This default, for other implementations,
     * takes them one by one and gives back what it took when one is refused, so concurrent callers
     * may briefly see each other's partial increments.
     */
    default List<Tally> tryAddAll(List<Increment> increments) {
        List<Tally> tallies = new ArrayList<>(increments.size());
        for (int i = 0; i < increments.size(); i++) {
            Increment inc = increments.get(i);
            Tally tally = tryAdd(inc.subject(), inc.metric(), inc.window(), inc.amount(), inc.limit());
            if (!tally.admitted()) {
                List<Tally> refused = new ArrayList<>(increments.size());
                for (int j = 0; j < i; j++) {
                    Increment taken = increments.get(j);
                    long count = add(taken.subject(), taken.metric(), taken.window(), -taken.amount());
                    refused.add(new Tally(false, count, taken.window()));
                }
                refused.add(tally);
                for (int j = i + 1; j < increments.size(); j++) {
                    Increment rest = increments.get(j);
                    refused.add(new Tally(false, count(rest.subject(), rest.metric(), rest.window()), rest.window()));
                }
                return refused;
            }
            tallies.add(tally);
        }
        return tallies;
    }

    /**
     * {@link #tryAddAll} for one admission named {@code id} (unique per admission): a store that may
     * see the call twice (a retry after a timeout, whose first try may have run) counts it once.
     */
    default List<Tally> reserve(String id, List<Increment> increments) {
        return tryAddAll(increments);
    }

    /**
     * Adds every change of {@code changes} (their amounts; limits are not checked) for the end of
     * reservation {@code id} (its settlement or release), once: a retry after a timeout never
     * adds them twice. Returns the count of each after, in order.
     */
    default long[] settle(String id, List<Increment> changes) {
        long[] after = new long[changes.size()];
        for (int i = 0; i < changes.size(); i++) {
            Increment c = changes.get(i);
            after[i] = add(c.subject(), c.metric(), c.window(), c.amount());
        }
        return after;
    }
}
