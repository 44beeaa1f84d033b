package dev.junction.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.Clock;
import dev.junction.testing.RedisKeys;
import dev.junction.testing.TcpProxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The shared state on the machine's Redis (127.0.0.1:6379), each test under its own key prefix:
 * the {@link StateContract}, then what only sharing shows: two instances (two connections with
 * their own local copies, sharing only Redis) see one state; an outage (a proxy cut) fails no
 * operation and divides limits; Redis back, what was counted meanwhile is shared again.
 */
class RedisStateTest extends StateContract {

    static final String REDIS = "redis://127.0.0.1:6379";

    /** Set by {@link #newState}, which runs before this class's initializers: no initial values here. */
    String prefix;
    List<SharedState> opened;

    @Override
    State newState(Clock clock) {
        prefix = "junction-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        opened = new CopyOnWriteArrayList<>();
        return open(REDIS, clock).state();
    }

    SharedState open(String url, Clock clock) {
        // A generous timeout: the machine running the tests is loaded, and a timed-out operation
        // would count locally (correctly, but not exactly as these tests expect).
        SharedState shared = SharedState.connect(url + "?prefix=" + prefix + "&timeout_ms=1000", clock);
        opened.add(shared);
        return shared;
    }

    @AfterEach
    void cleanUp() {
        opened.forEach(SharedState::close);
        RedisKeys.deleteAll(prefix);
    }

    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /**
     * Requests admitted before Redis lost its data give their in-flight slot back to a gauge that no
     * longer counts them: it stays at zero instead of going below, which would let as many requests
     * too many past a concurrency limit.
     */
    @Test
    void aGiveBackToACounterRedisLostLeavesItAtZero() throws Exception {
        Counters counters = state.counters();
        assertThat(counters.tryAdd(key, "in_flight", Window.OPEN, 1, 2).admitted()).isTrue();
        assertThat(counters.tryAdd(key, "in_flight", Window.OPEN, 1, 2).admitted()).isTrue();
        try (Jedis jedis = new Jedis("127.0.0.1", 6379)) {
            RedisKeys.list(jedis, prefix).stream().filter(k -> k.contains("in_flight")).forEach(jedis::del);
        }
        assertThat(counters.add(key, "in_flight", Window.OPEN, -1)).isZero();
        assertThat(counters.add(key, "in_flight", Window.OPEN, -1)).isZero();
        assertThat(counters.count(key, "in_flight", Window.OPEN)).isZero();
        assertThat(counters.tryAdd(key, "in_flight", Window.OPEN, 1, 2).admitted()).isTrue();
        assertThat(counters.tryAdd(key, "in_flight", Window.OPEN, 1, 2).admitted()).isTrue();
        assertThat(counters.tryAdd(key, "in_flight", Window.OPEN, 1, 2).admitted()).as("the limit holds").isFalse();
    }

    @Test
    void twoInstancesCountExactlyTogether() throws Exception {
        State other = open(REDIS, clock).state();
        Window minute = Window.fixed(Duration.ofMinutes(1), clock.now());
        int[] turn = new int[1];
        List<Boolean> admitted = race(64, () -> {
            State which;
            synchronized (turn) {
                which = turn[0]++ % 2 == 0 ? state : other;
            }
            return which.counters().tryAdd(key, "requests", minute, 1, 10).admitted();
        });
        assertThat(admitted).filteredOn(a -> a).hasSize(10);
        assertThat(other.counters().count(key, "requests", minute)).isEqualTo(10);
    }

    @Test
    void aCooldownSetOnOneInstanceIsHonouredByTheOtherWithoutARoundTrip() throws Exception {
        SharedState b = open(REDIS, clock);
        Instant until = clock.now().plusSeconds(30);
        state.cooldowns().coolUntil(key, until);
        eventually("B learns the rest", () -> b.state().cooldowns().until(key).equals(until));
        b.state().cooldowns().clear(key);
        eventually("A learns it ended", () -> state.cooldowns().until(key).equals(Instant.EPOCH));
        SharedState late = open(REDIS, clock);
        state.cooldowns().coolUntil(key, until);
        eventually("B again", () -> b.state().cooldowns().until(key).equals(until));
        SharedState later = open(REDIS, clock);
        assertThat(later.state().cooldowns().until(key)).as("an instance started later loads it").isEqualTo(until);
        assertThat(late.state().cooldowns().until(key)).isEqualTo(until);
    }

    @Test
    void aCircuitOpenedOnOneInstanceIsOpenOnTheOtherAndOnlyOneProbeGoesThrough() throws Exception {
        BreakerPolicy policy = new BreakerPolicy(3, 0.5, 10, Duration.ofSeconds(60), Duration.ofSeconds(30));
        State b = open(REDIS, clock).state();
        StateKey channel = StateKey.channel(7);
        state.breakers().record(channel, true, policy, clock.now());
        b.breakers().record(channel, true, policy, clock.now());
        assertThat(state.breakers().record(channel, true, policy, clock.now()))
                .as("three failures in a row across the instances").isEqualTo(Circuit.OPEN);
        eventually("B sees it open", () -> b.breakers().circuit(channel, clock.now()) == Circuit.OPEN);
        assertThat(b.breakers().tryAcquire(channel, clock.now())).isFalse();
        assertThat(b.breakers().availableAt(channel, clock.now())).isEqualTo(clock.now().plusSeconds(30));
        millis.addAndGet(30_000);
        List<Boolean> probes = race(16, () -> (Thread.currentThread().threadId() % 2 == 0 ? state : b).breakers()
                .tryAcquire(channel, clock.now()));
        assertThat(probes).as("one half-open slot between both").filteredOn(p -> p).hasSize(1);
        b.breakers().record(channel, false, policy, clock.now());
        eventually("A sees it closed", () -> state.breakers().circuit(channel, clock.now()) == Circuit.CLOSED);
    }

    @Test
    void aSuspensionIsSharedAndItsCheckClaimedOnce() throws Exception {
        State b = open(REDIS, clock).state();
        state.suspensions().suspend(key, "HTTP 401", clock.now());
        eventually("B sees it", () -> b.suspensions().suspended(key));
        assertThat(b.suspensions().suspension(key)).hasValueSatisfying(s -> assertThat(s.reason()).isEqualTo("HTTP 401"));
        List<Boolean> claims = race(16, () -> (Thread.currentThread().threadId() % 2 == 0 ? state : b).suspensions()
                .claimCheck(key, clock.now(), Duration.ofMinutes(1)));
        assertThat(claims).filteredOn(c -> c).hasSize(1);
        b.suspensions().lift(key);
        eventually("A sees it lifted", () -> !state.suspensions().suspended(key));
    }

    @Test
    void configChangesReachTheOtherInstances() throws Exception {
        SharedState a = opened.getFirst();
        SharedState b = open(REDIS, clock);
        List<Long> heard = new CopyOnWriteArrayList<>();
        List<Long> heardByA = new CopyOnWriteArrayList<>();
        b.changes().subscribe(heard::add);
        a.changes().subscribe(heardByA::add);
        a.changes().announce(42);
        eventually("B hears version 42", () -> heard.contains(42L));
        assertThat(heardByA).as("not told of its own change").isEmpty();
    }

    @Test
    void everyKeyExpires() throws Exception {
        State b = open(REDIS, clock).state();
        Window minute = Window.fixed(Duration.ofMinutes(1), clock.now());
        state.counters().tryAdd(key, "requests", minute, 1, 10);
        state.counters().add(key, "in_flight", Window.OPEN, 1);
        state.cooldowns().coolUntil(key, clock.now().plusSeconds(30));
        state.suspensions().suspend(key, "HTTP 401", clock.now().plusSeconds(60));
        BreakerPolicy policy = new BreakerPolicy(1, 0.5, 10, Duration.ofSeconds(60), Duration.ofSeconds(30));
        b.breakers().record(StateKey.channel(7), true, policy, clock.now());
        state.breakers().record(StateKey.channel(8), false, policy, clock.now());
        try (Jedis jedis = new Jedis("127.0.0.1", 6379)) {
            List<String> keys = RedisKeys.list(jedis, prefix);
            assertThat(keys).hasSizeGreaterThanOrEqualTo(8);
            for (String k : keys) {
                assertThat(jedis.pttl(k)).as(k).isPositive();
            }
        }
    }

    @Test
    void redisDownFailsNothingDividesLimitsAndSharesAgainWhenBack() throws Exception {
        try (TcpProxy proxy = TcpProxy.to("127.0.0.1", 6379)) {
            SharedState a = open("redis://127.0.0.1:" + proxy.port(), clock);
            SharedState b = open(REDIS, clock);
            eventually("two instances more", () -> a.instances() >= 3 && b.instances() >= 3);
            Window minute = Window.fixed(Duration.ofMinutes(1), clock.now());
            StateKey subject = StateKey.key(9, "k");
            assertThat(a.state().counters().tryAdd(subject, "requests", minute, 1, 30).admitted()).isTrue();
            a.state().counters().add(subject, "in_flight", Window.OPEN, 1);

            proxy.cut();
            int admitted = 0;
            for (int i = 0; i < 30; i++) {
                if (a.state().counters().tryAdd(subject, "requests", minute, 1, 30).admitted()) {
                    admitted++;
                }
            }
            assertThat(a.redisUp()).isFalse();
            assertThat(admitted).as("its share: 30 / 3 instances").isEqualTo(10);
            a.state().counters().add(subject, "in_flight", Window.OPEN, -1); // the request before the outage ended
            Instant rest = clock.now().plusSeconds(20);
            a.state().cooldowns().coolUntil(key, rest);
            assertThat(a.state().cooldowns().until(key)).as("local while down").isEqualTo(rest);
            BreakerPolicy policy = new BreakerPolicy(1, 0.5, 10, Duration.ofSeconds(60), Duration.ofSeconds(30));
            assertThat(a.state().breakers().record(StateKey.channel(5), true, policy, clock.now()))
                    .isEqualTo(Circuit.OPEN);
            assertThat(a.fallbacks()).isPositive();

            proxy.restore();
            eventually("A reconnects", a::redisUp);
            assertThat(b.state().counters().count(subject, "requests", minute))
                    .as("what A counted while down is counted in Redis").isEqualTo(11);
            assertThat(b.state().counters().count(subject, "in_flight", Window.OPEN)).as("released while down")
                    .isZero();
            eventually("the rest A learned while down reaches B", () -> b.state().cooldowns().until(key).equals(rest));
            assertThat(a.state().counters().tryAdd(subject, "requests", minute, 19, 30).admitted()).isTrue();
            assertThat(b.state().counters().tryAdd(subject, "requests", minute, 1, 30).admitted())
                    .as("shared again: exactly 30").isFalse();
        }
    }
}
