package dev.junction.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.Clock;
import dev.junction.governance.Budget;
import dev.junction.governance.Demand;
import dev.junction.governance.Level;
import dev.junction.governance.Limiter;
import dev.junction.governance.Limits;
import dev.junction.governance.Period;
import dev.junction.governance.Quota;
import dev.junction.governance.SoftThresholds;
import dev.junction.testing.RedisKeys;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Issue 18: a counter operation whose answer from Redis is lost (the script ran, the client timed
 * out) is counted once, never twice. Real Redis behind {@link ReplyLosingProxy}: the retry with
 * the same id adds nothing; when the retry is lost too, the operation is counted locally and voided
 * in Redis at the next heartbeat; a settlement whose answer is lost still gives back exactly once.
 * Before ids, each of these left Redis counting the operation twice (or giving back twice).
 */
class RedisCountOnceTest {

    private final Clock clock = Clock.system();
    private String prefix;
    private ReplyLosingProxy proxy;
    private SharedState shared;
    private RedisCounters counters;
    private Jedis redis;

    @BeforeEach
    void open() throws Exception {
        prefix = "junction-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        proxy = new ReplyLosingProxy();
        // 1 s: a lost answer times out; a merely slow one on a loaded machine hardly ever does (and
        // would still be counted once, though a count returned might then be the local one).
        shared = SharedState.connect("redis://127.0.0.1:" + proxy.port() + "?prefix=" + prefix + "&timeout_ms=1000",
                clock);
        assertThat(shared.redisUp()).isTrue();
        counters = (RedisCounters) shared.state().counters();
        redis = new Jedis("127.0.0.1", 6379);
        // Loads the scripts, so the commands below go by SHA-1 (the proxy's marker).
        counters.reserve("warm-up", List.of(new Increment(StateKey.key(0, "w"), "requests", today(), 1, 10)));
        counters.settle("warm-up", List.of(new Increment(StateKey.key(0, "w"), "requests", today(), -1, 0)));
    }

    @AfterEach
    void close() throws Exception {
        shared.close();
        proxy.close();
        redis.close();
        RedisKeys.deleteAll(prefix);
    }

    /**
     * A fixed window that does not end during a test: a count is pushed back to Redis at a heartbeat
     * only while its window lasts, and a minute's window ended mid-test about one run in twelve.
     */
    private Window today() {
        return Window.fixed(Duration.ofDays(1), clock.now());
    }

    private long inRedis(StateKey subject, String metric, Window window) {
        String value = redis.get(prefix + "n:" + Subjects.encode(subject) + ":" + Subjects.escape(metric) + ":"
                + window.start().toEpochMilli());
        return value == null ? 0 : Long.parseLong(value);
    }

    /** Two heartbeats: whatever was left to void or push has reached Redis. */
    private void afterHeartbeats() throws InterruptedException {
        RedisStateTest.eventually("voided", () -> counters.uncertain() == 0);
        Thread.sleep(2 * RedisLink.BEAT_MILLIS + 200);
        assertThat(counters.uncertain()).isZero();
    }

    @Test
    void aRetryAfterALostAnswerCountsOnce() throws Exception {
        StateKey key = StateKey.key(1, "k");
        Window day = today();
        proxy.loseReplies(RedisCounters.ONCE.sha(), 1);
        List<Tally> tallies = counters.reserve("r-1", List.of(new Increment(key, "requests", day, 1, 10),
                new Increment(key, "spend", Window.OPEN, 500, 10_000)));
        assertThat(proxy.lost()).as("the first answer was lost").isEqualTo(1);
        assertThat(tallies).allMatch(Tally::admitted);
        assertThat(tallies.get(0).count()).isEqualTo(1);
        afterHeartbeats();
        assertThat(inRedis(key, "requests", day)).isEqualTo(1);
        assertThat(inRedis(key, "spend", Window.OPEN)).isEqualTo(500);
    }

    @Test
    void whenTheRetryIsLostTooItIsCountedLocallyAndVoidedInRedis() throws Exception {
        StateKey key = StateKey.key(2, "k");
        Window day = today();
        proxy.loseReplies(RedisCounters.ONCE.sha(), 2);
        assertThat(counters.reserve("r-2", List.of(new Increment(key, "requests", day, 1, 10))).getFirst()
                .admitted()).isTrue();
        assertThat(proxy.lost()).isEqualTo(2);
        // The first try ran in Redis; the local count is pushed and Redis's copy taken back.
        afterHeartbeats();
        assertThat(inRedis(key, "requests", day)).isEqualTo(1);
        assertThat(counters.count(key, "requests", day)).isEqualTo(1);
    }

    @Test
    void aSettlementWhoseAnswerIsLostGivesBackOnce() throws Exception {
        StateKey key = StateKey.key(3, "k");
        Window month = Period.MONTH.window(clock.now());
        counters.reserve("r-3", List.of(new Increment(key, "in_flight", Window.OPEN, 1, 5),
                new Increment(key, "spend", month, 1_000, 100_000)));
        assertThat(inRedis(key, "in_flight", Window.OPEN)).isEqualTo(1);
        proxy.loseReplies(RedisCounters.ONCE.sha(), 1);
        long[] after = counters.settle("r-3", List.of(new Increment(key, "in_flight", Window.OPEN, -1, 0),
                new Increment(key, "spend", month, -600, 0)));
        assertThat(proxy.lost()).isEqualTo(1);
        assertThat(after).containsExactly(0, 400);
        // Lost twice: counted locally, Redis's copy voided; still given back exactly once.
        counters.reserve("r-4", List.of(new Increment(key, "in_flight", Window.OPEN, 1, 5)));
        proxy.loseReplies(RedisCounters.ONCE.sha(), 2);
        counters.settle("r-4", List.of(new Increment(key, "in_flight", Window.OPEN, -1, 0)));
        assertThat(proxy.lost()).isEqualTo(2);
        afterHeartbeats();
        assertThat(inRedis(key, "in_flight", Window.OPEN)).isZero();
        assertThat(inRedis(key, "spend", month)).isEqualTo(400);
    }

    @Test
    void aTryThatReachesRedisAfterItsVoidAddsNothing() {
        StateKey key = StateKey.key(4, "k");
        Window day = today();
        String counter = prefix + "n:" + Subjects.encode(key) + ":requests:" + day.start().toEpochMilli();
        String record = prefix + "op:late";
        // The void comes first (the client gave up on the try), the try is still queued in Redis.
        RedisCounters.VOID.eval(redis, List.of(counter, record), List.of("1", "1", "2", "60000", "0"));
        List<?> reply = (List<?>) RedisCounters.ONCE.eval(redis, List.of(counter, record),
                List.of("1", "10", Long.toString(day.end().toEpochMilli() + 5000), "1", "2", "60000"));
        assertThat(reply.getFirst()).isEqualTo(0L);
        assertThat(inRedis(key, "requests", day)).isZero();
    }

    @Test
    void anAdmissionWhoseAnswersAreLostHoldsAndGivesBackExactlyWhatItShould() throws Exception {
        // The requests are counted per minute and read after the heartbeats, seconds later: start
        // where the minute has long enough left (one that ended mid-test read as 0 requests).
        Window minute = Window.fixed(Duration.ofMinutes(1), clock.now());
        long left = minute.end().toEpochMilli() - clock.now().toEpochMilli();
        if (left < 20_000) {
            Thread.sleep(left + 100);
        }
        Limiter limiter = new Limiter(counters, clock, new SoftThresholds(clock));
        Quota quota = new Quota(Level.KEY, 5, "k5", new Limits(10, 0, 1),
                Optional.of(new Budget(1_000_000, Period.DAY)));
        proxy.loseReplies(RedisCounters.ONCE.sha(), 1);
        Limiter.Reservation held = limiter.reserve(List.of(quota), new Demand(0, 2_000));
        proxy.loseReplies(RedisCounters.ONCE.sha(), 1);
        held.settle(0, 1_500);
        assertThat(proxy.lost()).isEqualTo(1);
        afterHeartbeats();
        Limiter.Usage usage = limiter.usage(quota);
        assertThat(usage.requests()).isEqualTo(1);
        assertThat(usage.inFlight()).isZero();
        assertThat(usage.spendMicros()).isEqualTo(1_500);
        // concurrent 1: the slot is free again, so a second request is admitted
        limiter.reserve(List.of(quota), new Demand(0, 2_000)).release();
        assertThat(limiter.usage(quota).inFlight()).isZero();
        assertThat(limiter.usage(quota).requests()).as("a release gives the request back too").isEqualTo(1);
    }
}
