package dev.junction.state;

import dev.junction.core.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Cooldowns in Redis (one key per subject holding the end of its rest, expiring then) with a
 * local copy that every read uses: a rest set on any instance is announced and copied by the
 * others, so reading costs no round trip. While Redis is down, rests are set in the local copy and
 * pushed to Redis when it is back.
 */
final class RedisCooldowns implements Cooldowns {

    /** KEYS: the rest. ARGV: until (ms), now (ms), channel, announcement. Never shortens a rest. */
    private static final Script COOL = Script.of("""
            local current = tonumber(redis.call('GET', KEYS[1]) or '0')
            local untilMs = tonumber(ARGV[1])
            if untilMs > current and untilMs > tonumber(ARGV[2]) then
              redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[1])
              redis.call('PUBLISH', ARGV[3], ARGV[4])
              return untilMs
            end
            return current
            """);
    /** Announced even when Redis no longer holds the rest: another instance's copy may. */
    private static final Script CLEAR = Script.of("""
            redis.call('DEL', KEYS[1])
            redis.call('PUBLISH', ARGV[1], ARGV[2])
            return 0
            """);

    private final RedisLink link;
    private final Clock clock;
    private final MemoryCooldowns copy;
    private final Set<StateKey> pending = ConcurrentHashMap.newKeySet();

    RedisCooldowns(RedisLink link, Clock clock) {
        this.link = link;
        this.clock = clock;
        this.copy = new MemoryCooldowns(clock);
        link.on("cool", fields -> copy.coolUntil(Subjects.decode(fields.get(0)),
                Instant.ofEpochMilli(Long.parseLong(fields.get(1)))));
        link.on("uncool", fields -> copy.clear(Subjects.decode(fields.get(0))));
        link.onFlush(this::pushPending);
        link.onReload(this::reload);
    }

    private String key(StateKey subject) {
        return link.key("cool", Subjects.encode(subject));
    }

    @Override
    public void coolUntil(StateKey subject, Instant until) {
        copy.coolUntil(subject, until);
        boolean shared = link.call(jedis -> {
            cool(jedis, subject, until);
            return true;
        }, () -> false);
        if (!shared) {
            pending.add(subject);
        }
    }

    private void cool(redis.clients.jedis.Jedis jedis, StateKey subject, Instant until) {
        String encoded = Subjects.encode(subject);
        COOL.eval(jedis, List.of(key(subject)), List.of(Long.toString(until.toEpochMilli()),
                Long.toString(clock.now().toEpochMilli()), link.events(),
                link.message("cool", encoded, Long.toString(until.toEpochMilli()))));
    }

    @Override
    public Instant until(StateKey subject) {
        return copy.until(subject);
    }

    @Override
    public void clear(StateKey subject) {
        copy.clear(subject);
        boolean shared = link.call(jedis -> {
            CLEAR.eval(jedis, List.of(key(subject)), List.of(link.events(),
                    link.message("uncool", Subjects.encode(subject))));
            return true;
        }, () -> false);
        if (!shared) {
            pending.add(subject);
        }
    }

    /** Rests set or ended while Redis was down, as they now stand locally, into Redis. */
    private void pushPending() {
        for (StateKey subject : List.copyOf(pending)) {
            Instant until = copy.until(subject);
            link.direct(jedis -> {
                if (until.isAfter(clock.now())) {
                    cool(jedis, subject, until);
                } else {
                    CLEAR.eval(jedis, List.of(key(subject)), List.of(link.events(),
                            link.message("uncool", Subjects.encode(subject))));
                }
                return null;
            });
            pending.remove(subject);
        }
    }

    /** Copies every rest Redis holds. */
    private void reload() {
        link.direct(jedis -> {
            String cursor = ScanParams.SCAN_POINTER_START;
            ScanParams match = new ScanParams().match(link.key("cool", "*")).count(500);
            do {
                ScanResult<String> page = jedis.scan(cursor, match);
                List<String> keys = new ArrayList<>(page.getResult());
                if (!keys.isEmpty()) {
                    List<String> values = jedis.mget(keys.toArray(String[]::new));
                    for (int i = 0; i < keys.size(); i++) {
                        if (values.get(i) != null) {
                            String token = keys.get(i).substring(link.key("cool", "").length());
                            copy.coolUntil(Subjects.decode(token), Instant.ofEpochMilli(Long.parseLong(values.get(i))));
                        }
                    }
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            return null;
        });
    }
}
