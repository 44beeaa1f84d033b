package dev.junction.state;

import dev.junction.core.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Counters in Redis, one key per subject, metric and window, expiring when the window ends (a
 * gauge such as requests in flight, counted in {@link Window#OPEN}, an hour after its last change).
 * A bounded increment, or several of them all or nothing, is one Lua script: one round trip.
 *
 * <p><b>Each operation counts once.</b> Every operation carries an id, and its script records the
 * id ({@code <prefix>op:<id>}, a few bytes, for {@link #RECORD_TTL}) in the same atomic step as its
 * additions; a script that finds its id recorded adds nothing. So an operation whose answer timed
 * out is retried with the same id (it counts once, whether the first try ran or not), and one that
 * still fails is counted in local state and <em>voided</em> in Redis at the next heartbeat: the
 * void script takes back what the first try added if it ran, and marks the id so a try still queued
 * in Redis adds nothing when it arrives. Local counts then reach Redis as before, so every
 * operation is counted exactly once wherever it ran. An admission's reservation and its
 * settlement share one id (one record, one bit each).
 *
 * <p>While Redis is down, the counting goes on in memory with each limit divided by the number of
 * live instances (the last count the heartbeats gave), so together they stay within it. What was
 * counted locally (during an outage, or by one operation that failed) is added to Redis when it
 * answers again, at the next heartbeat, for windows that have not ended: in-flight gauges and
 * budgets come out right. That push is itself one such operation with an id, retried with the same
 * id until it gets through.
 */
final class RedisCounters implements Counters {

    static final Duration GAUGE_TTL = Duration.ofHours(1);
    /** How long an operation's id is remembered: how late a retry, a void or a queued try may come. */
    static final Duration RECORD_TTL = Duration.ofMinutes(10);
    /** A push of local counts is remembered longer: it is retried until Redis takes it. */
    static final Duration PUSH_RECORD_TTL = Duration.ofDays(1);
    /** Keeps a window's key a moment past its end, against clock differences between instances. */
    private static final long SLACK_MILLIS = 5_000;
    private static final String UNBOUNDED = Long.toString(Long.MAX_VALUE);

    /** The record bits: an admission's reservation and its settlement, each applied or voided. */
    static final int RESERVED = 1;
    static final int RESERVE_VOIDED = 2;
    static final int SETTLED = 4;
    static final int SETTLE_VOIDED = 8;

    /**
     * KEYS: the counters, then the operation's record. ARGV: per counter amount, limit and expiry
     * (epoch ms), in order; then the operation's applied bit, its voided bit and the record's TTL
     * (ms). All or nothing, and once: when the record has either bit, nothing is added. A counter
     * never goes below zero: a give-back finding less than it gives back means Redis lost what it
     * was given for (restarted without its data, or flushed), and a gauge of requests in flight left
     * at -3 would let 3 requests too many past a concurrency limit for as long as the key lives (it
     * expires an hour after its last change). Returns {admitted (1/0), count of each counter after}.
     */
    static final Script ONCE = Script.of("""
            local n = #KEYS - 1
            local rec = KEYS[n + 1]
            local done = tonumber(ARGV[3 * n + 1])
            local void = tonumber(ARGV[3 * n + 2])
            local state = tonumber(redis.call('GET', rec) or '0')
            local counts = {}
            local admitted = 1
            if bit.band(state, done + void) ~= 0 then
              if bit.band(state, done) == 0 then admitted = 0 end
              for i = 1, n do counts[i] = tonumber(redis.call('GET', KEYS[i]) or '0') end
            else
              for i = 1, n do
                local current = tonumber(redis.call('GET', KEYS[i]) or '0')
                counts[i] = current
                if current + tonumber(ARGV[3 * i - 2]) > tonumber(ARGV[3 * i - 1]) then admitted = 0 end
              end
              if admitted == 1 then
                for i = 1, n do
                  counts[i] = redis.call('INCRBY', KEYS[i], ARGV[3 * i - 2])
                  if counts[i] < 0 then
                    redis.call('SET', KEYS[i], 0)
                    counts[i] = 0
                  end
                  redis.call('PEXPIREAT', KEYS[i], ARGV[3 * i])
                end
                redis.call('SET', rec, bit.bor(state, done), 'PX', ARGV[3 * n + 3])
              end
            end
            local reply = {admitted}
            for i = 1, n do reply[i + 1] = counts[i] end
            return reply
            """);

    /** KEYS: one counter. ARGV: the floor, the expiry (epoch ms). Raises the counter to the floor; returns the count. */
    static final Script RAISE = Script.of("""
            local current = tonumber(redis.call('GET', KEYS[1]) or '0')
            local floor = tonumber(ARGV[1])
            if current >= floor then return current end
            redis.call('SET', KEYS[1], ARGV[1])
            redis.call('PEXPIREAT', KEYS[1], ARGV[2])
            return floor
            """);

    /**
     * KEYS: the counters, then the record. ARGV: per counter the amount the operation added; then its
     * applied bit, its voided bit, the record's TTL (ms) and whether the record may have expired (1/0).
     * Takes back what the operation added if it ran, and marks it voided so it never adds later.
     * A record that may have expired (the void comes after {@link #RECORD_TTL}) cannot tell: then
     * only give-backs (negative amounts) are taken back, so the error can only refuse early.
     * Returns 1 when something was taken back.
     */
    static final Script VOID = Script.of("""
            local n = #KEYS - 1
            local rec = KEYS[n + 1]
            local done = tonumber(ARGV[n + 1])
            local void = tonumber(ARGV[n + 2])
            local state = tonumber(redis.call('GET', rec) or '0')
            if bit.band(state, void) ~= 0 then return 0 end
            local undone = 0
            local applied = bit.band(state, done) ~= 0
            local unknown = state == 0 and ARGV[n + 4] == '1'
            if applied or unknown then
              for i = 1, n do
                local amount = tonumber(ARGV[i])
                if (applied or amount < 0) and redis.call('EXISTS', KEYS[i]) == 1 then
                  redis.call('DECRBY', KEYS[i], ARGV[i])
                  undone = 1
                end
              end
            end
            redis.call('SET', rec, bit.bor(state, void), 'PX', ARGV[n + 3])
            return undone
            """);

    private final RedisLink link;
    private final Clock clock;
    private final MemoryCounters local;
    /** Operations that failed after they may have reached Redis: voided at the next heartbeat. */
    private final Queue<Uncertain> uncertain = new ConcurrentLinkedQueue<>();
    /** Pushes of local counts not yet acknowledged, retried with their ids. */
    private final Queue<Push> unpushed = new ConcurrentLinkedQueue<>();

    /** One operation whose outcome in Redis is unknown. */
    private record Uncertain(String id, int done, int void_, List<Increment> increments, long at) {
    }

    /** Local counts on their way to Redis, under one id. */
    private record Push(String id, List<MemoryCounters.Drained> drained) {
    }

    RedisCounters(RedisLink link, Clock clock) {
        this.link = link;
        this.clock = clock;
        this.local = new MemoryCounters(clock);
        link.onFlush(this::pushLocal);
    }

    private String key(StateKey subject, String metric, Window window) {
        return link.key("n", Subjects.encode(subject), Subjects.escape(metric),
                Long.toString(window.start().toEpochMilli()));
    }

    private String record(String id) {
        return link.key("op", id);
    }

    private long expiry(Window window) {
        if (window.end().isAfter(Instant.ofEpochMilli(Long.MAX_VALUE / 2))) {
            return clock.now().plus(GAUGE_TTL).toEpochMilli();
        }
        return Math.max(window.end().toEpochMilli(), clock.now().toEpochMilli()) + SLACK_MILLIS;
    }

    /** A limit's share for one of the live instances: what each may count while they cannot share. */
    long share(long limit) {
        if (limit <= 0) {
            return limit;
        }
        return Math.max(1, limit / link.instances());
    }

    /** Operations waiting to be voided (tests). */
    int uncertain() {
        return uncertain.size();
    }

    @Override
    public Tally tryAdd(StateKey subject, String metric, Window window, long amount, long limit) {
        return tryAddAll(List.of(new Increment(subject, metric, window, amount, limit))).getFirst();
    }

    @Override
    public List<Tally> tryAddAll(List<Increment> increments) {
        return reserve(link.nextId(), increments);
    }

    @Override
    public List<Tally> reserve(String id, List<Increment> increments) {
        if (increments.isEmpty()) {
            return List.of();
        }
        return once(id, RESERVED, RESERVE_VOIDED, increments, true, () -> local.tryAddAll(increments.stream()
                .map(inc -> new Increment(inc.subject(), inc.metric(), inc.window(), inc.amount(), share(inc.limit())))
                .toList()));
    }

    @Override
    public long[] settle(String id, List<Increment> changes) {
        if (changes.isEmpty()) {
            return new long[0];
        }
        List<Tally> tallies = once(id, SETTLED, SETTLE_VOIDED, changes, false, () -> {
            List<Tally> after = new ArrayList<>(changes.size());
            for (Increment c : changes) {
                after.add(new Tally(true, local.add(c.subject(), c.metric(), c.window(), c.amount()), c.window()));
            }
            return after;
        });
        long[] counts = new long[tallies.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = tallies.get(i).count();
        }
        return counts;
    }

    @Override
    public long add(StateKey subject, String metric, Window window, long amount) {
        return settle(link.nextId(), List.of(new Increment(subject, metric, window, amount, Long.MAX_VALUE)))[0];
    }

    /**
     * One operation, once: the script, retried with the same id after a timeout; when it still
     * fails, {@code fallback} counts it locally and the id is voided in Redis at the next heartbeat.
     */
    private List<Tally> once(String id, int done, int voided, List<Increment> increments, boolean bounded,
            java.util.function.Supplier<List<Tally>> fallback) {
        return link.callOnce(jedis -> {
            List<String> keys = new ArrayList<>(increments.size() + 1);
            List<String> args = new ArrayList<>(increments.size() * 3 + 3);
            for (Increment inc : increments) {
                keys.add(key(inc.subject(), inc.metric(), inc.window()));
                args.add(Long.toString(inc.amount()));
                args.add(bounded ? Long.toString(inc.limit()) : UNBOUNDED);
                args.add(Long.toString(expiry(inc.window())));
            }
            keys.add(record(id));
            args.add(Integer.toString(done));
            args.add(Integer.toString(voided));
            args.add(Long.toString(RECORD_TTL.toMillis()));
            List<?> reply = (List<?>) ONCE.eval(jedis, keys, args);
            boolean admitted = (Long) reply.getFirst() == 1;
            List<Tally> tallies = new ArrayList<>(increments.size());
            for (int i = 0; i < increments.size(); i++) {
                tallies.add(new Tally(admitted, (Long) reply.get(i + 1), increments.get(i).window()));
            }
            return tallies;
        }, fallback, () -> uncertain.add(new Uncertain(id, done, voided, List.copyOf(increments),
                System.nanoTime())));
    }

    @Override
    public long count(StateKey subject, String metric, Window window) {
        return link.call(jedis -> {
            String value = jedis.get(key(subject, metric, window));
            return value == null ? 0L : Long.parseLong(value);
        }, () -> local.count(subject, metric, window));
    }

    /**
     * Atomically in Redis. While Redis is away nothing is raised (what is counted locally then is
     * added to Redis later, so a local floor would be added twice); the caller raises again when
     * Redis is back without its data ({@link SharedState#onStateLost}).
     */
    @Override
    public long raiseTo(StateKey subject, String metric, Window window, long atLeast) {
        return link.call(jedis -> (Long) RAISE.eval(jedis, List.of(key(subject, metric, window)),
                List.of(Long.toString(atLeast), Long.toString(expiry(window)))),
                () -> local.count(subject, metric, window));
    }

    /**
     * At every heartbeat that reaches Redis: voids the operations whose outcome was unknown, then
     * adds what was counted locally to Redis, each push once under its own id.
     */
    private void pushLocal() {
        for (Iterator<Uncertain> it = uncertain.iterator(); it.hasNext(); ) {
            Uncertain u = it.next();
            boolean stale = System.nanoTime() - u.at() >= RECORD_TTL.toNanos() * 9 / 10;
            link.direct(jedis -> {
                List<String> keys = new ArrayList<>(u.increments().size() + 1);
                List<String> args = new ArrayList<>(u.increments().size() + 4);
                for (Increment inc : u.increments()) {
                    keys.add(key(inc.subject(), inc.metric(), inc.window()));
                    args.add(Long.toString(inc.amount()));
                }
                keys.add(record(u.id()));
                args.add(Integer.toString(u.done()));
                args.add(Integer.toString(u.void_()));
                args.add(Long.toString(RECORD_TTL.toMillis()));
                args.add(stale ? "1" : "0");
                return VOID.eval(jedis, keys, args);
            });
            it.remove();
        }
        List<MemoryCounters.Drained> drained = local.drain();
        if (!drained.isEmpty()) {
            unpushed.add(new Push(link.nextId(), drained));
        }
        for (Iterator<Push> it = unpushed.iterator(); it.hasNext(); ) {
            Push push = it.next();
            Instant now = clock.now();
            List<String> keys = new ArrayList<>();
            List<String> args = new ArrayList<>();
            for (MemoryCounters.Drained d : push.drained()) {
                if (d.window().end().isAfter(now)) {
                    keys.add(key(d.subject(), d.metric(), d.window()));
                    args.add(Long.toString(d.value()));
                    args.add(UNBOUNDED);
                    args.add(Long.toString(expiry(d.window())));
                }
            }
            if (!keys.isEmpty()) {
                keys.add(record(push.id()));
                args.add(Integer.toString(RESERVED));
                args.add(Integer.toString(RESERVE_VOIDED));
                args.add(Long.toString(PUSH_RECORD_TTL.toMillis()));
                link.direct(jedis -> ONCE.eval(jedis, keys, args));
            }
            it.remove();
        }
    }
}
