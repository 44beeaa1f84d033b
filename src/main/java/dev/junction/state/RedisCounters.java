package dev.junction.state;

import dev.junction.core.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Pipeline;

/**
 * Counters in Redis, one key per subject, metric and window, expiring when the window ends (a
 * gauge such as requests in flight, counted in {@link Window#OPEN}, an hour after its last change).
 * A bounded increment, or several of them all or nothing, is one Lua script: one round trip.
 *
 * <p>While Redis is down, the counting goes on in memory with each limit divided by the number of
 * live instances (the last count the heartbeats gave), so together they stay within it. What was
 * counted locally (during an outage, or by one operation that failed) is added to Redis when it
 * answers again, at the next heartbeat, for windows that have not ended: in-flight gauges and
 * budgets come out right.
 */
final class RedisCounters implements Counters {

    static final Duration GAUGE_TTL = Duration.ofHours(1);
    /** Keeps a window's key a moment past its end, against clock differences between instances. */
    private static final long SLACK_MILLIS = 5_000;

    /**
     * KEYS: the counters. ARGV: per key, amount, limit and expiry (epoch ms), in order. All or
     * nothing; returns {admitted (1/0), count of each key after}.
     */
    private static final Script TRY_ADD_ALL = Script.of("""
            local n = #KEYS
            local counts = {}
            local admitted = 1
            for i = 1, n do
              local current = tonumber(redis.call('GET', KEYS[i]) or '0')
              counts[i] = current
              if current + tonumber(ARGV[3 * i - 2]) > tonumber(ARGV[3 * i - 1]) then admitted = 0 end
            end
            if admitted == 1 then
              for i = 1, n do
                counts[i] = redis.call('INCRBY', KEYS[i], ARGV[3 * i - 2])
                redis.call('PEXPIREAT', KEYS[i], ARGV[3 * i])
              end
            end
            local reply = {admitted}
            for i = 1, n do reply[i + 1] = counts[i] end
            return reply
            """);
    private static final Script ADD = Script.of("""
            local count = redis.call('INCRBY', KEYS[1], ARGV[1])
            redis.call('PEXPIREAT', KEYS[1], ARGV[2])
            return count
            """);

    private final RedisLink link;
    private final Clock clock;
    private final MemoryCounters local;

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

    @Override
    public Tally tryAdd(StateKey subject, String metric, Window window, long amount, long limit) {
        return tryAddAll(List.of(new Increment(subject, metric, window, amount, limit))).getFirst();
    }

    @Override
    public List<Tally> tryAddAll(List<Increment> increments) {
        if (increments.isEmpty()) {
            return List.of();
        }
        return link.call(jedis -> {
            List<String> keys = new ArrayList<>(increments.size());
            List<String> args = new ArrayList<>(increments.size() * 3);
            for (Increment inc : increments) {
                keys.add(key(inc.subject(), inc.metric(), inc.window()));
                args.add(Long.toString(inc.amount()));
                args.add(Long.toString(inc.limit()));
                args.add(Long.toString(expiry(inc.window())));
            }
            List<?> reply = (List<?>) TRY_ADD_ALL.eval(jedis, keys, args);
            boolean admitted = (Long) reply.getFirst() == 1;
            List<Tally> tallies = new ArrayList<>(increments.size());
            for (int i = 0; i < increments.size(); i++) {
                tallies.add(new Tally(admitted, (Long) reply.get(i + 1), increments.get(i).window()));
            }
            return tallies;
        }, () -> local.tryAddAll(increments.stream().map(inc -> new Increment(inc.subject(), inc.metric(),
                inc.window(), inc.amount(), share(inc.limit()))).toList()));
    }

    @Override
    public long add(StateKey subject, String metric, Window window, long amount) {
        return link.call(jedis -> (Long) ADD.eval(jedis, List.of(key(subject, metric, window)),
                List.of(Long.toString(amount), Long.toString(expiry(window)))),
                () -> local.add(subject, metric, window, amount));
    }

    @Override
    public long count(StateKey subject, String metric, Window window) {
        return link.call(jedis -> {
            String value = jedis.get(key(subject, metric, window));
            return value == null ? 0L : Long.parseLong(value);
        }, () -> local.count(subject, metric, window));
    }

    /** Adds what was counted locally during an outage to Redis, in one pipeline. */
    private void pushLocal() {
        List<MemoryCounters.Drained> drained = local.drain();
        if (drained.isEmpty()) {
            return;
        }
        Instant now = clock.now();
        try {
            link.direct(jedis -> {
                Pipeline pipeline = jedis.pipelined();
                for (MemoryCounters.Drained d : drained) {
                    if (d.window().end().isAfter(now)) {
                        String key = key(d.subject(), d.metric(), d.window());
                        pipeline.incrBy(key, d.value());
                        pipeline.pexpireAt(key, expiry(d.window()));
                    }
                }
                pipeline.sync();
                return null;
            });
        } catch (RuntimeException e) {
            for (MemoryCounters.Drained d : drained) {
                local.add(d.subject(), d.metric(), d.window(), d.value()); // kept for the next try
            }
            throw e;
        }
    }
}
