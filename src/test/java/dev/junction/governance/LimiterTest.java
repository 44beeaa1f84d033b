package dev.junction.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.junction.core.Clock;
import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import dev.junction.state.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The limiter over in-memory counters with a clock set by hand. */
class LimiterTest {

    /** A clock that stays where it is put. */
    static final class FixedClock implements Clock {
        final AtomicReference<Instant> now;

        FixedClock(String at) {
            now = new AtomicReference<>(Instant.parse(at));
        }

        void advance(Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }

        @Override
        public Instant now() {
            return now.get();
        }

        @Override
        public long nanoTime() {
            return now.get().toEpochMilli() * 1_000_000;
        }
    }

    private final FixedClock clock = new FixedClock("2026-12-03T10:15:30Z");
    private final SoftThresholds soft = new SoftThresholds(clock);
    private final Limiter limiter = new Limiter(State.inMemory(clock).counters(), clock, soft);

    private static Quota key(Limits limits, Optional<Budget> budget) {
        return new Quota(Level.KEY, 1, "alice", limits, budget);
    }

    private static GatewayException refused(Runnable call) {
        GatewayException e = catchThrowableOfType(GatewayException.class, call::run);
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        return e;
    }

    @Test
    void periodsAreCalendarPeriodsInUtc() {
        Instant thursday = Instant.parse("2026-12-03T10:15:30Z");
        assertThat(Period.DAY.window(thursday).start()).isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
        assertThat(Period.DAY.window(thursday).end()).isEqualTo(Instant.parse("2026-12-04T00:00:00Z"));
        assertThat(Period.WEEK.window(thursday).start()).isEqualTo(Instant.parse("2026-11-30T00:00:00Z"));
        assertThat(Period.WEEK.window(thursday).end()).isEqualTo(Instant.parse("2026-12-07T00:00:00Z"));
        assertThat(Period.MONTH.window(thursday).start()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(Period.MONTH.window(thursday).end()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    }

    @Test
    void rpmIsExactPerCalendarMinuteAndTheRefusalSaysHowLongToWait() {
        Quota quota = key(new Limits(2, 0, 0), Optional.empty());
        limiter.reserve(List.of(quota), Demand.NONE).settle(0, 0);
        limiter.reserve(List.of(quota), Demand.NONE).settle(0, 0);
        GatewayException e = refused(() -> limiter.reserve(List.of(quota), Demand.NONE));
        assertThat(e.getMessage()).isEqualTo("key alice: rpm limit 2 reached; retry in 30 s");
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(30));
        limiter.reserve(List.of(quota), Demand.NONE);
    }

    @Test
    void aRefusalByALaterLevelGivesBackWhatTheEarlierOnesTook() {
        Quota key = key(new Limits(10, 0, 5), Optional.empty());
        Quota team = new Quota(Level.TEAM, 7, "backend", new Limits(0, 0, 1), Optional.empty());
        Limiter.Reservation first = limiter.reserve(List.of(key, team), Demand.NONE);
        GatewayException e = refused(() -> limiter.reserve(List.of(key, team), Demand.NONE));
        assertThat(e.getMessage()).isEqualTo("team backend: concurrent limit 1 reached; retry in 1 s");
        assertThat(limiter.usage(key).requests()).as("the refused request counts nowhere").isEqualTo(1);
        assertThat(limiter.usage(key).inFlight()).isEqualTo(1);
        first.settle(0, 0);
        assertThat(limiter.usage(key).inFlight()).isZero();
        assertThat(limiter.usage(team).inFlight()).isZero();
    }

    @Test
    void aBudgetReservesTheUpperBoundAndTheRealCostReplacesIt() {
        Quota quota = key(Limits.NONE, Optional.of(new Budget(1_000, Period.DAY)));
        Limiter.Reservation a = limiter.reserve(List.of(quota), new Demand(0, 600));
        refused(() -> limiter.reserve(List.of(quota), new Demand(0, 600)));
        a.settle(0, 100);
        assertThat(limiter.usage(quota).spendMicros()).isEqualTo(100);
        Limiter.Reservation b = limiter.reserve(List.of(quota), new Demand(0, 900));
        b.release();
        b.settle(0, 900);
        assertThat(limiter.usage(quota).spendMicros()).as("released once, never charged after").isEqualTo(100);
        GatewayException tooBig = refused(() -> limiter.reserve(List.of(quota), new Demand(0, 2_000)));
        assertThat(tooBig.getMessage()).contains("more than its whole budget of $0.001 per day");
        assertThat(tooBig.retryAfter()).contains(Duration.ofSeconds(13 * 3600 + 44 * 60 + 30));
    }

    @Test
    void concurrentReservationsNeverPassABudget() throws Exception {
        Quota quota = key(Limits.NONE, Optional.of(new Budget(10_000, Period.MONTH)));
        List<Future<Boolean>> admitted = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 1_000; i++) {
                admitted.add(pool.submit(() -> {
                    try {
                        limiter.reserve(List.of(quota), new Demand(0, 100)).settle(0, 100);
                        return true;
                    } catch (GatewayException e) {
                        return false;
                    }
                }));
            }
        }
        long served = 0;
        for (Future<Boolean> f : admitted) {
            served += f.get() ? 1 : 0;
        }
        assertThat(served).isEqualTo(100);
        assertThat(limiter.usage(quota).spendMicros()).isEqualTo(10_000);
    }

    @Test
    void theSoftThresholdIsRecordedOncePerWindow() {
        List<String> crossings = new ArrayList<>();
        soft.listen((quota, limit, count, of) -> crossings.add(quota.name() + " " + limit + " " + count + "/" + of));
        Quota quota = key(new Limits(5, 0, 0), Optional.empty());
        for (int i = 0; i < 5; i++) {
            limiter.reserve(List.of(quota), Demand.NONE).settle(0, 0);
        }
        assertThat(crossings).containsExactly("alice rpm 4/5");
        clock.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 4; i++) {
            limiter.reserve(List.of(quota), Demand.NONE).settle(0, 0);
        }
        assertThat(crossings).containsExactly("alice rpm 4/5", "alice rpm 4/5");
    }

    @Test
    void seededSpendCountsOnlyInTheCurrentPeriodAndOnlyOnce() {
        Quota quota = key(Limits.NONE, Optional.of(new Budget(1_000, Period.DAY)));
        limiter.seedSpend(quota, 700);
        limiter.seedSpend(quota, 700);
        assertThat(limiter.usage(quota).spendMicros()).isEqualTo(700);
        refused(() -> limiter.reserve(List.of(quota), new Demand(0, 400)));
        clock.advance(Duration.ofDays(1));
        limiter.reserve(List.of(quota), new Demand(0, 400));
    }

    @Test
    void aKeyPassesItsOwnersAndItsTeamsQuotas() {
        Quota key = new Quota(Level.KEY, 1, "k1", new Limits(9, 0, 0), Optional.empty());
        Quota user = new Quota(Level.USER, 10, "ann", new Limits(8, 0, 0), Optional.empty());
        Quota team = new Quota(Level.TEAM, 100, "backend", new Limits(3, 0, 0), Optional.empty());
        // Keys 1 and 2 of two users in one team; key 3 names its team itself; key 4 has nothing.
        Quotas quotas = Quotas.of(List.of(key, user, team), Map.of(3L, List.of(100L)), Map.of(1L, 10L, 2L, 20L),
                Map.of(10L, Set.of(100L), 20L, Set.of(100L)));
        assertThat(quotas.of(1)).containsExactly(key, user, team);
        assertThat(quotas.of(2)).containsExactly(team);
        assertThat(quotas.of(3)).containsExactly(team);
        assertThat(quotas.of(4)).isEmpty();
        limiter.reserve(quotas.of(1), Demand.NONE);
        limiter.reserve(quotas.of(2), Demand.NONE);
        limiter.reserve(quotas.of(3), Demand.NONE);
        assertThat(refused(() -> limiter.reserve(quotas.of(2), Demand.NONE)).getMessage())
                .startsWith("team backend: rpm limit 3 reached");
    }

    @Test
    void everyLevelOfAnAdmissionIsReservedInOneAtomicStep() {
        // Counts the calls the limiter makes: the key's, user's and team's counters go in one
        // tryAddAll (one Redis round trip, no partial holds), never in separate tryAdds.
        dev.junction.state.Counters memory = State.inMemory(clock).counters();
        List<String> calls = new ArrayList<>();
        dev.junction.state.Counters recording = new dev.junction.state.Counters() {
            @Override
            public dev.junction.state.Tally tryAdd(dev.junction.state.StateKey subject, String metric,
                    dev.junction.state.Window window, long amount, long limit) {
                calls.add("tryAdd");
                return memory.tryAdd(subject, metric, window, amount, limit);
            }

            @Override
            public long add(dev.junction.state.StateKey subject, String metric, dev.junction.state.Window window,
                    long amount) {
                calls.add("add");
                return memory.add(subject, metric, window, amount);
            }

            @Override
            public long count(dev.junction.state.StateKey subject, String metric, dev.junction.state.Window window) {
                return memory.count(subject, metric, window);
            }

            @Override
            public List<dev.junction.state.Tally> tryAddAll(List<dev.junction.state.Increment> increments) {
                calls.add("tryAddAll " + increments.size());
                return memory.tryAddAll(increments);
            }
        };
        Limiter atomic = new Limiter(recording, clock, soft);
        Quota key = new Quota(Level.KEY, 1, "k1", new Limits(9, 5000, 2), Optional.of(new Budget(10_000, Period.DAY)));
        Quota user = new Quota(Level.USER, 10, "ann", new Limits(8, 0, 0), Optional.of(new Budget(10_000, Period.MONTH)));
        Quota team = new Quota(Level.TEAM, 100, "backend", new Limits(1, 0, 0), Optional.empty());
        atomic.reserve(List.of(key, user, team), new Demand(100, 50));
        assertThat(calls).containsExactly("tryAddAll 7");
        calls.clear();
        GatewayException e = refused(() -> atomic.reserve(List.of(key, user, team), new Demand(100, 50)));
        assertThat(e.getMessage()).startsWith("team backend: rpm limit 1 reached");
        assertThat(calls).as("a refusal gives nothing back: nothing was taken").containsExactly("tryAddAll 7");
        assertThat(atomic.usage(key).requests()).isEqualTo(1);
        assertThat(atomic.usage(key).inFlight()).isEqualTo(1);
        assertThat(atomic.usage(user).spendMicros()).isEqualTo(50);
    }
}
