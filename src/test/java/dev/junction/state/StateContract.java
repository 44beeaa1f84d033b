package dev.junction.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What every {@link State} must do: the in-memory one ({@link MemoryStateTest}) and the shared one
 * on Redis ({@link RedisStateTest}). Times start at the next minute (Redis expires keys by its
 * own clock) and move by hand.
 */
abstract class StateContract {

    static final Instant T0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(60);
    private static final BreakerPolicy POLICY = new BreakerPolicy(3, 0.5, 10, Duration.ofSeconds(60),
            Duration.ofSeconds(30));

    final AtomicLong millis = new AtomicLong(T0.toEpochMilli());
    final Clock clock = new Clock() {
        @Override
        public Instant now() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public long nanoTime() {
            return millis.get() * 1_000_000;
        }
    };
    final State state = newState(clock);
    final StateKey key = StateKey.key(7, "k1");

    /** The state under test; called once per test, during construction. */
    abstract State newState(Clock clock);

    @Test
    void aCooldownIsNeverShortenedAndEndsOnItsOwn() {
        assertThat(state.cooldowns().until(key)).isEqualTo(Instant.EPOCH);
        state.cooldowns().coolUntil(key, T0.plusSeconds(30));
        state.cooldowns().coolUntil(key, T0.plusSeconds(10));
        assertThat(state.cooldowns().until(key)).isEqualTo(T0.plusSeconds(30));
        assertThat(state.cooldowns().until(StateKey.key(7, "k2"))).isEqualTo(Instant.EPOCH);
        assertThat(state.cooldowns().until(StateKey.channel(7))).as("a key's rest is not the channel's")
                .isEqualTo(Instant.EPOCH);
        millis.addAndGet(31_000);
        assertThat(state.cooldowns().until(key)).isBeforeOrEqualTo(clock.now());
    }

    @Test
    void aBreakerOpensAfterConsecutiveFailuresLetsOneProbeThroughAndClosesOnItsSuccess() {
        StateKey channel = StateKey.channel(7);
        assertThat(state.breakers().circuit(channel, clock.now())).isEqualTo(Circuit.CLOSED);
        assertThat(state.breakers().record(channel, true, POLICY, clock.now())).isEqualTo(Circuit.CLOSED);
        state.breakers().record(channel, true, POLICY, clock.now());
        assertThat(state.breakers().record(channel, true, POLICY, clock.now())).isEqualTo(Circuit.OPEN);
        assertThat(state.breakers().tryAcquire(channel, clock.now())).isFalse();
        assertThat(state.breakers().availableAt(channel, clock.now())).isEqualTo(T0.plusSeconds(30));
        assertThat(state.breakers().tryAcquire(StateKey.channel(8), clock.now())).as("another channel").isTrue();
        millis.addAndGet(30_000);
        assertThat(state.breakers().circuit(channel, clock.now())).isEqualTo(Circuit.HALF_OPEN);
        assertThat(state.breakers().tryAcquire(channel, clock.now())).as("the probe").isTrue();
        assertThat(state.breakers().tryAcquire(channel, clock.now())).as("only one probe").isFalse();
        state.breakers().release(channel);
        assertThat(state.breakers().tryAcquire(channel, clock.now())).as("released probe slot").isTrue();
        assertThat(state.breakers().record(channel, false, POLICY, clock.now())).isEqualTo(Circuit.CLOSED);
        assertThat(state.breakers().tryAcquire(channel, clock.now())).isTrue();
    }

    @Test
    void aBreakerOpensOnTheFailureRateOverItsWindow() {
        StateKey channel = StateKey.channel(7);
        for (int i = 0; i < 10; i++) {
            state.breakers().record(channel, i % 2 == 1, POLICY, clock.now()); // never 3 in a row
        }
        assertThat(state.breakers().circuit(channel, clock.now())).isEqualTo(Circuit.OPEN);
    }

    @Test
    void aSuspendedKeysCheckIsClaimedByExactlyOneOfManyCallers() throws Exception {
        state.suspensions().suspend(key, "HTTP 401", T0.plusSeconds(60));
        assertThat(state.suspensions().claimCheck(key, clock.now(), Duration.ofMinutes(5))).as("not due").isFalse();
        millis.addAndGet(60_000);
        List<Boolean> claims = race(32, () -> state.suspensions().claimCheck(key, clock.now(), Duration.ofMinutes(5)));
        assertThat(claims).filteredOn(c -> c).hasSize(1);
        assertThat(state.suspensions().suspension(key)).hasValueSatisfying(s -> {
            assertThat(s.reason()).isEqualTo("HTTP 401");
            assertThat(s.nextCheck()).isEqualTo(clock.now().plus(Duration.ofMinutes(5)));
        });
        state.suspensions().lift(key);
        assertThat(state.suspensions().suspended(key)).isFalse();
        assertThat(state.suspensions().claimCheck(key, clock.now(), Duration.ofMinutes(5))).isFalse();
    }

    @Test
    void concurrentIncrementsNeverPassTheLimit() throws Exception {
        Window minute = Window.fixed(Duration.ofMinutes(1), clock.now());
        List<Boolean> admitted = race(64, () -> state.counters().tryAdd(key, "requests", minute, 1, 10).admitted());
        assertThat(admitted).filteredOn(a -> a).hasSize(10);
        assertThat(state.counters().count(key, "requests", minute)).isEqualTo(10);
        Tally refused = state.counters().tryAdd(key, "requests", minute, 1, 10);
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.count()).isEqualTo(10);
        assertThat(refused.window().end()).as("when to retry").isEqualTo(T0.plusSeconds(60));
        assertThat(state.counters().count(key, "tokens", minute)).as("another metric").isZero();
        Window next = Window.fixed(Duration.ofMinutes(1), T0.plusSeconds(60));
        assertThat(state.counters().tryAdd(key, "requests", next, 1, 10).admitted()).as("the next window").isTrue();
    }

    @Test
    void aFloorRaisesACountOnceNeverLowersItAndLeavesTheWindowCountingOn() throws Exception {
        Window month = Window.fixed(Duration.ofDays(30), clock.now());
        state.counters().add(key, "spend", month, 300);
        assertThat(state.counters().raiseTo(key, "spend", month, 200)).as("never lowered").isEqualTo(300);
        List<Long> raised = race(16, () -> state.counters().raiseTo(key, "spend", month, 1000));
        assertThat(raised).containsOnly(1000L);
        assertThat(state.counters().count(key, "spend", month)).as("raised once by 16 at once").isEqualTo(1000);
        assertThat(state.counters().add(key, "spend", month, 5)).isEqualTo(1005);
        Window other = Window.fixed(Duration.ofDays(30), clock.now().plus(Duration.ofDays(30)));
        assertThat(state.counters().raiseTo(key, "spend", other, 70)).as("an empty window").isEqualTo(70);
        assertThat(state.counters().tryAdd(key, "spend", other, 40, 100).admitted()).isFalse();
    }

    @Test
    void admissionsAcrossKeyUserAndTeamLevelsNeverOverspendAnyLevelAndRefuseNoneWrongly() throws Exception {
        // A team of 3 users with 2 keys each: key rpm 3, user rpm 5, team rpm 10 and a team budget of
        // 1000 micro-dollars at 100 a request (also 10). 120 racers, half listing the levels key first,
        // half team first, as different quota sets may. Atomic all-or-nothing admits exactly 10: a
        // request refused at one level never holds another level's count meanwhile.
        Window minute = Window.fixed(Duration.ofMinutes(1), clock.now());
        Window month = Window.fixed(Duration.ofDays(30), clock.now());
        StateKey team = StateKey.key(0, "team-t");
        List<Boolean> admitted = race(120, (Indexed<Boolean>) i -> {
            int k = i % 6;
            StateKey keyOf = StateKey.key(0, "key-" + k);
            StateKey userOf = StateKey.key(0, "user-" + k / 2);
            List<Increment> levels = new java.util.ArrayList<>(List.of(new Increment(keyOf, "requests", minute, 1, 3),
                    new Increment(userOf, "requests", minute, 1, 5), new Increment(team, "requests", minute, 1, 10),
                    new Increment(team, "spend", month, 100, 1000)));
            if (i % 2 == 1) {
                java.util.Collections.reverse(levels);
            }
            List<Tally> tallies = state.counters().tryAddAll(levels);
            assertThat(tallies).extracting(Tally::admitted).containsOnly(tallies.getFirst().admitted());
            return tallies.getFirst().admitted();
        });
        assertThat(admitted).filteredOn(a -> a).hasSize(10);
        assertThat(state.counters().count(team, "requests", minute)).isEqualTo(10);
        assertThat(state.counters().count(team, "spend", month)).isEqualTo(1000);
        long keys = 0;
        for (int k = 0; k < 6; k++) {
            long count = state.counters().count(StateKey.key(0, "key-" + k), "requests", minute);
            assertThat(count).as("key %s", k).isBetween(0L, 3L);
            keys += count;
        }
        long users = 0;
        for (int u = 0; u < 3; u++) {
            long count = state.counters().count(StateKey.key(0, "user-" + u), "requests", minute);
            assertThat(count).as("user %s", u).isBetween(0L, 5L);
            users += count;
        }
        assertThat(keys).isEqualTo(10);
        assertThat(users).isEqualTo(10);
    }

    @Test
    void twoAdmissionsCrossingOverTwoLastSlotsAdmitExactlyOne() throws Exception {
        // Taken one counter after the other, A-then-B and B-then-A can each take one slot, each be
        // refused by the other's, and both give back: neither admitted. All or nothing admits one.
        for (int round = 0; round < 200; round++) {
            Window minute = Window.fixed(Duration.ofMinutes(1), clock.now());
            StateKey a = StateKey.key(0, "a-" + round);
            StateKey b = StateKey.key(0, "b-" + round);
            List<Boolean> admitted = race(2, (Indexed<Boolean>) i -> state.counters().tryAddAll(i == 0
                    ? List.of(new Increment(a, "requests", minute, 1, 1), new Increment(b, "requests", minute, 1, 1))
                    : List.of(new Increment(b, "requests", minute, 1, 1), new Increment(a, "requests", minute, 1, 1)))
                    .getFirst().admitted());
            assertThat(admitted).as("round %s", round).containsExactlyInAnyOrder(true, false);
        }
    }

    @Test
    void severalIncrementsAreAddedAllOrNothing() {
        Window minute = Window.fixed(Duration.ofMinutes(1), clock.now());
        StateKey user = StateKey.key(0, "user-1");
        List<Increment> admission = List.of(new Increment(key, "requests", minute, 1, 10),
                new Increment(user, "requests", minute, 1, 2), new Increment(key, "tokens", Window.OPEN, 500, 1000));
        assertThat(state.counters().tryAddAll(admission)).allMatch(Tally::admitted).extracting(Tally::count)
                .containsExactly(1L, 1L, 500L);
        assertThat(state.counters().tryAddAll(admission)).allMatch(Tally::admitted).extracting(Tally::count)
                .containsExactly(2L, 2L, 1000L);
        List<Tally> refused = state.counters().tryAddAll(admission);
        assertThat(refused).noneMatch(Tally::admitted);
        assertThat(refused).extracting(Tally::count).containsExactly(2L, 2L, 1000L);
        assertThat(state.counters().count(key, "requests", minute)).as("nothing taken").isEqualTo(2);
        assertThat(state.counters().count(key, "tokens", Window.OPEN)).isEqualTo(1000);
    }

    @Test
    void aReservationIsReplacedByTheRealAmount() {
        Window open = Window.OPEN;
        assertThat(state.counters().tryAdd(key, "usd_micros", open, 900, 1000).admitted()).isTrue();
        assertThat(state.counters().tryAdd(key, "usd_micros", open, 200, 1000).admitted()).isFalse();
        assertThat(state.counters().add(key, "usd_micros", open, 300 - 900)).isEqualTo(300);
        assertThat(state.counters().tryAdd(key, "usd_micros", open, 700, 1000).admitted()).isTrue();
    }

    @Test
    void fixedWindowsAreAlignedToTheEpoch() {
        Window w = Window.fixed(Duration.ofMinutes(1), T0.plusSeconds(90));
        assertThat(w.start()).isEqualTo(T0.plusSeconds(60));
        assertThat(w.end()).isEqualTo(T0.plusSeconds(120));
    }

    interface Indexed<T> {
        T call(int index) throws Exception;
    }

    static <T> List<T> race(int callers, Callable<T> call) throws Exception {
        return race(callers, (Indexed<T>) index -> call.call());
    }

    static <T> List<T> race(int callers, Indexed<T> call) throws Exception {
        CyclicBarrier start = new CyclicBarrier(callers);
        try (var threads = Executors.newFixedThreadPool(callers)) {
            List<Future<T>> results = new java.util.ArrayList<>();
            for (int i = 0; i < callers; i++) {
                int index = i;
                results.add(threads.submit(() -> {
                    start.await();
                    return call.call(index);
                }));
            }
            List<T> out = new java.util.ArrayList<>();
            for (Future<T> f : results) {
                out.add(f.get());
            }
            return out;
        }
    }
}
