package dev.junction.governance;

import dev.junction.core.Clock;
import dev.junction.core.GatewayException;
import dev.junction.state.Counters;
import dev.junction.state.Increment;
import dev.junction.state.StateKey;
import dev.junction.state.Tally;
import dev.junction.state.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Enforces {@link Quota quotas} with {@link Counters}, so limits are exact per instance and, with a
 * shared store, across instances. A request's counters at every level (key, user, teams: requests,
 * tokens, in flight, spend) are taken in one atomic {@link Counters#tryAddAll}, all or nothing (with
 * Redis one script, one round trip): concurrent requests can never together pass a limit (no
 * check-then-increment race), and a request refused at one level never holds, even briefly, what
 * it would have taken at another (which could wrongly refuse a concurrent request there).
 *
 * <ul>
 *   <li><b>rpm</b>: requests per calendar minute (a fixed window aligned to the minute). Exact: never
 *       more than {@code rpm} admitted with their start in one minute (a burst may straddle two).</li>
 *   <li><b>tpm</b>: tokens per calendar minute. A request reserves its upper bound (prompt estimate
 *       plus most output) when admitted, the real count replaces it when it ends.</li>
 *   <li><b>concurrent</b>: requests in flight; taken when admitted, given back when the request ends.</li>
 *   <li><b>budget</b>: micro-dollars per calendar period (UTC). A request reserves the cost of its
 *       upper bound at the dearest model that may serve it, the real cost replaces it when it ends,
 *       so requests in flight together can never spend past the budget.</li>
 * </ul>
 * A request counts in the minute and the period it started in. A refused request counts nowhere.
 */
public final class Limiter {

    public static final String RPM = "rpm";
    public static final String TPM = "tpm";
    public static final String CONCURRENT = "concurrent";
    public static final String BUDGET = "budget";

    /** Counter metrics (the names shared state is kept under). */
    static final String REQUESTS = "requests";
    static final String TOKENS = "tokens";
    static final String IN_FLIGHT = "in_flight";
    static final String SPEND = "spend_micros";

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final Counters counters;
    private final Clock clock;
    private final SoftThresholds soft;

    public Limiter(Counters counters, Clock clock, SoftThresholds soft) {
        this.counters = Objects.requireNonNull(counters, "counters");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.soft = Objects.requireNonNull(soft, "soft");
    }

    /** One counter increment, to give back or correct later. */
    private record Taken(Quota quota, StateKey key, String metric, Window window, long amount) {
    }

    /**
     * Reserves {@code demand} against every quota in {@code quotas}, or refuses.
     *
     * @throws GatewayException 429 naming the first limit reached, with the wait until it frees
     */
    public Reservation reserve(List<Quota> quotas, Demand demand) {
        Objects.requireNonNull(demand, "demand");
        if (quotas.isEmpty()) {
            return Reservation.NONE;
        }
        Instant now = clock.now();
        Window minute = null;
        List<Taken> taken = new ArrayList<>(quotas.size() * 4);
        List<String> names = new ArrayList<>(quotas.size() * 4);
        List<Increment> increments = new ArrayList<>(quotas.size() * 4);
        for (Quota quota : quotas) {
            Limits limits = quota.limits();
            StateKey key = quota.stateKey();
            if (limits.rpm() > 0) {
                minute = minute != null ? minute : Window.fixed(MINUTE, now);
                want(taken, names, increments, quota, key, REQUESTS, minute, 1, limits.rpm(), RPM);
            }
            if (limits.tpm() > 0) {
                minute = minute != null ? minute : Window.fixed(MINUTE, now);
                if (demand.tokens() > limits.tpm()) {
                    throw GatewayException.rateLimited(quota.label() + ": this request may use up to "
                            + demand.tokens() + " tokens, above its tpm limit " + limits.tpm()
                            + "; ask for fewer output tokens (max_tokens)", wait(now, minute.end()));
                }
                want(taken, names, increments, quota, key, TOKENS, minute, demand.tokens(), limits.tpm(), TPM);
            }
            if (limits.concurrent() > 0) {
                want(taken, names, increments, quota, key, IN_FLIGHT, Window.OPEN, 1, limits.concurrent(), CONCURRENT);
            }
            if (quota.budget().isPresent()) {
                Budget budget = quota.budget().get();
                Window period = budget.period().window(now);
                if (demand.micros() > budget.micros()) {
                    throw GatewayException.rateLimited(quota.label() + ": this request may cost up to "
                            + Budget.shown(demand.micros()) + ", more than its whole budget of "
                            + Budget.shown(budget.micros()) + " per " + budget.period().wire()
                            + "; ask for fewer output tokens (max_tokens)", wait(now, period.end()));
                }
                want(taken, names, increments, quota, key, SPEND, period, demand.micros(), budget.micros(), BUDGET);
            }
        }
        String id = newId();
        List<Tally> tallies = counters.reserve(id, increments);
        for (int i = 0; i < tallies.size(); i++) {
            Tally tally = tallies.get(i);
            Increment inc = increments.get(i);
            if (!tally.admitted()) {
                int over = refused(increments, tallies);
                throw refusal(taken.get(over).quota(), names.get(over), tallies.get(over),
                        increments.get(over).limit(), increments.get(over).amount(), now);
            }
            soft.counted(taken.get(i).quota(), names.get(i), tally.window(), tally.count() - inc.amount(), tally.count(),
                    inc.limit());
        }
        return new Held(id, taken, demand);
    }

    /**
     * A reservation's id, unique across instances (128 random bits): a shared store counts the
     * reservation, and then its settlement, once under it, even when a call is retried after a timeout.
     */
    private static String newId() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        return Long.toUnsignedString(random.nextLong(), 36) + "." + Long.toUnsignedString(random.nextLong(), 36);
    }

    private static void want(List<Taken> taken, List<String> names, List<Increment> increments, Quota quota,
            StateKey key, String metric, Window window, long amount, long limit, String name) {
        taken.add(new Taken(quota, key, metric, window, amount));
        names.add(name);
        increments.add(new Increment(key, metric, window, amount, limit));
    }

    /**
     * Which increment of a refused {@code tryAddAll} was over its limit: the first whose count as it
     * stood plus its amount passes the limit (the first one when the counts moved meanwhile).
     */
    private static int refused(List<Increment> increments, List<Tally> tallies) {
        for (int i = 0; i < increments.size(); i++) {
            Increment inc = increments.get(i);
            if (tallies.get(i).count() + inc.amount() > inc.limit()) {
                return i;
            }
        }
        return 0;
    }

    private static GatewayException refusal(Quota quota, String name, Tally tally, long limit, long amount,
            Instant now) {
        Duration wait = name.equals(CONCURRENT) ? Duration.ofSeconds(1) : wait(now, tally.window().end());
        String what = switch (name) {
            case BUDGET -> "budget of " + Budget.shown(limit) + " per " + quota.budget().orElseThrow().period().wire()
                    + " reached (" + Budget.shown(tally.count()) + " spent or reserved; this request may cost up to "
                    + Budget.shown(amount) + ")";
            case TPM -> "tpm limit " + limit + " reached (" + tally.count() + " tokens used or reserved this minute;"
                    + " this request may use up to " + amount + ")";
            default -> name + " limit " + limit + " reached";
        };
        return GatewayException.rateLimited(quota.label() + ": " + what + "; retry in " + shown(wait), wait);
    }

    /** The whole seconds until {@code end}, at least one. */
    private static Duration wait(Instant now, Instant end) {
        long millis = Duration.between(now, end).toMillis();
        return Duration.ofSeconds(Math.max(1, (millis + 999) / 1000));
    }

    /** A wait for people: {@code 12 s}, {@code 5 min}, {@code 3 h}, {@code 2 d}. */
    static String shown(Duration wait) {
        long s = wait.toSeconds();
        if (s < 120) {
            return s + " s";
        }
        if (s < 2 * 3600) {
            return (s + 59) / 60 + " min";
        }
        if (s < 48 * 3600) {
            return (s + 3599) / 3600 + " h";
        }
        return (s + 86_399) / 86_400 + " d";
    }

    /**
     * Raises a budget's spend this period to at least {@code micros}, what the usage table says its
     * keys spent (at start, and when Redis lost its data): a counter that holds as much already (a
     * shared store that outlived the restart, with requests in flight reserved on top) is left as
     * it is, and instances doing it together raise it once.
     */
    public void seedSpend(Quota quota, long micros) {
        if (quota.budget().isEmpty() || micros <= 0) {
            return;
        }
        Window period = quota.budget().get().period().window(clock.now());
        counters.raiseTo(quota.stateKey(), SPEND, period, micros);
    }

    /** What a quota has used now: this minute's requests and tokens, requests in flight, this period's spend. */
    public Usage usage(Quota quota) {
        Instant now = clock.now();
        Window minute = Window.fixed(MINUTE, now);
        StateKey key = quota.stateKey();
        Window period = quota.budget().map(b -> b.period().window(now)).orElse(null);
        return new Usage(counters.count(key, REQUESTS, minute), counters.count(key, TOKENS, minute),
                counters.count(key, IN_FLIGHT, Window.OPEN), period == null ? 0 : counters.count(key, SPEND, period),
                minute, period);
    }

    /**
     * What one quota has used.
     *
     * @param period the budget's current period, or null without a budget
     */
    public record Usage(long requests, long tokens, long inFlight, long spendMicros, Window minute, Window period) {
    }

    /** What admission holds for one request until it ends. */
    public interface Reservation {

        /** Nothing held. */
        Reservation NONE = new Reservation() {
            @Override
            public void settle(long tokens, long micros) {
            }

            @Override
            public void release() {
            }
        };

        /**
         * The request ran: its real tokens and cost replace what was reserved, its concurrency slot
         * is given back. Once.
         */
        void settle(long tokens, long micros);

        /** The request was refused after all (nothing was sent anywhere): everything is given back. Once. */
        void release();
    }

    private final class Held implements Reservation {

        private final String id;
        private final List<Taken> taken;
        private final Demand demand;
        private boolean done;

        Held(String id, List<Taken> taken, Demand demand) {
            this.id = id;
            this.taken = taken;
            this.demand = demand;
        }

        /**
         * Gives back the concurrency slots and replaces the reserved tokens and cost by the real
         * ones: one settlement of the reservation's id, so a retried call never counts it twice.
         */
        @Override
        public void settle(long tokens, long micros) {
            if (done) {
                return;
            }
            done = true;
            List<Taken> changed = new ArrayList<>(taken.size());
            List<Increment> changes = new ArrayList<>(taken.size());
            for (int i = taken.size() - 1; i >= 0; i--) {
                Taken t = taken.get(i);
                long delta = switch (t.metric()) {
                    case IN_FLIGHT -> -1;
                    case TOKENS -> tokens - demand.tokens();
                    case SPEND -> micros - demand.micros();
                    default -> 0;
                };
                if (delta != 0) {
                    changed.add(t);
                    changes.add(new Increment(t.key(), t.metric(), t.window(), delta, Long.MAX_VALUE));
                }
            }
            if (changes.isEmpty()) {
                return;
            }
            long[] after = counters.settle(id, changes);
            for (int i = 0; i < changed.size(); i++) {
                Taken t = changed.get(i);
                long delta = changes.get(i).amount();
                switch (t.metric()) {
                    case TOKENS -> soft.counted(t.quota(), TPM, t.window(), after[i] - delta, after[i],
                            t.quota().limits().tpm());
                    case SPEND -> soft.counted(t.quota(), BUDGET, t.window(), after[i] - delta, after[i],
                            t.quota().budget().orElseThrow().micros());
                    default -> {
                    }
                }
            }
        }

        /** Gives everything back: one settlement of the reservation's id with every amount negated. */
        @Override
        public void release() {
            if (done) {
                return;
            }
            done = true;
            List<Increment> changes = new ArrayList<>(taken.size());
            for (int i = taken.size() - 1; i >= 0; i--) {
                Taken t = taken.get(i);
                changes.add(new Increment(t.key(), t.metric(), t.window(), -t.amount(), Long.MAX_VALUE));
            }
            counters.settle(id, changes);
        }
    }
}
