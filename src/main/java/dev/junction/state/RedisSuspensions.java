package dev.junction.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Suspensions in Redis (a hash per subject: reason and next check, kept a day past its last
 * change, so a subject no instance checks any more is eventually forgotten) with a local copy
 * that reads use; changes are announced. Claiming a check is a script, so one instance runs it.
 */
final class RedisSuspensions implements Suspensions {

    static final Duration TTL = Duration.ofDays(1);

    /** KEYS: the hash. ARGV: reason, next check (ms), ttl (ms), channel, announcement. */
    private static final Script SUSPEND = Script.of("""
            redis.call('HSET', KEYS[1], 'reason', ARGV[1], 'next', ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            redis.call('PUBLISH', ARGV[4], ARGV[5])
            return 1
            """);
    /** KEYS: the hash. ARGV: now, next check if claimed, ttl. Returns -1 (not suspended), 0 (claimed) or the due time. */
    private static final Script CLAIM = Script.of("""
            local next = redis.call('HGET', KEYS[1], 'next')
            if not next then return -1 end
            if tonumber(ARGV[1]) < tonumber(next) then return tonumber(next) end
            redis.call('HSET', KEYS[1], 'next', ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return 0
            """);
    private static final Script LIFT = Script.of("""
            if redis.call('DEL', KEYS[1]) == 1 then redis.call('PUBLISH', ARGV[1], ARGV[2]) end
            return 0
            """);

    private final RedisLink link;
    private final MemorySuspensions copy = new MemorySuspensions();
    private final Set<StateKey> pending = ConcurrentHashMap.newKeySet();

    RedisSuspensions(RedisLink link) {
        this.link = link;
        link.on("suspend", fields -> copy.suspend(Subjects.decode(fields.get(0)), Subjects.unescape(fields.get(2)),
                Instant.ofEpochMilli(Long.parseLong(fields.get(1)))));
        link.on("lift", fields -> copy.lift(Subjects.decode(fields.get(0))));
        link.onFlush(this::pushPending);
        link.onReload(this::reload);
    }

    private String key(StateKey subject) {
        return link.key("susp", Subjects.encode(subject));
    }

    @Override
    public void suspend(StateKey subject, String reason, Instant nextCheck) {
        copy.suspend(subject, reason, nextCheck);
        if (!link.call(jedis -> {
            share(jedis, subject, new Suspension(reason, nextCheck));
            return true;
        }, () -> false)) {
            pending.add(subject);
        }
    }

    private void share(Jedis jedis, StateKey subject, Suspension suspension) {
        String next = Long.toString(suspension.nextCheck().toEpochMilli());
        SUSPEND.eval(jedis, List.of(key(subject)), List.of(suspension.reason(), next,
                Long.toString(TTL.toMillis()), link.events(),
                link.message("suspend", Subjects.encode(subject), next, Subjects.escape(suspension.reason()))));
    }

    private void unshare(Jedis jedis, StateKey subject) {
        LIFT.eval(jedis, List.of(key(subject)), List.of(link.events(), link.message("lift", Subjects.encode(subject))));
    }

    @Override
    public Optional<Suspension> suspension(StateKey subject) {
        return copy.suspension(subject);
    }

    @Override
    public boolean suspended(StateKey subject) {
        return copy.suspended(subject);
    }

    @Override
    public boolean claimCheck(StateKey subject, Instant now, Duration every) {
        Optional<Suspension> known = copy.suspension(subject);
        if (known.isEmpty() || now.isBefore(known.get().nextCheck())) {
            return false; // nothing due here; no round trip
        }
        long answer = link.call(jedis -> (Long) CLAIM.eval(jedis, List.of(key(subject)), List.of(
                Long.toString(now.toEpochMilli()), Long.toString(now.plus(every).toEpochMilli()),
                Long.toString(TTL.toMillis()))), () -> copy.claimCheck(subject, now, every) ? 0L : 1L);
        if (answer == -1) {
            copy.lift(subject); // lifted elsewhere, announcement missed
            return false;
        }
        if (answer == 0) {
            copy.suspend(subject, known.get().reason(), now.plus(every));
            return true;
        }
        if (answer > 1) {
            copy.suspend(subject, known.get().reason(), Instant.ofEpochMilli(answer)); // claimed elsewhere
        }
        return false;
    }

    @Override
    public void lift(StateKey subject) {
        copy.lift(subject);
        if (!link.call(jedis -> {
            unshare(jedis, subject);
            return true;
        }, () -> false)) {
            pending.add(subject);
        }
    }

    private void pushPending() {
        for (StateKey subject : List.copyOf(pending)) {
            Optional<Suspension> now = copy.suspension(subject);
            link.direct(jedis -> {
                if (now.isPresent()) {
                    share(jedis, subject, now.get());
                } else {
                    unshare(jedis, subject);
                }
                return null;
            });
            pending.remove(subject);
        }
    }

    private void reload() {
        link.direct(jedis -> {
            String cursor = ScanParams.SCAN_POINTER_START;
            ScanParams match = new ScanParams().match(link.key("susp", "*")).count(500);
            String start = link.key("susp", "");
            do {
                ScanResult<String> page = jedis.scan(cursor, match);
                for (String key : new ArrayList<>(page.getResult())) {
                    List<String> fields = jedis.hmget(key, "reason", "next");
                    if (fields.get(0) != null && fields.get(1) != null) {
                        copy.suspend(Subjects.decode(key.substring(start.length())), fields.get(0),
                                Instant.ofEpochMilli(Long.parseLong(fields.get(1))));
                    }
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            return null;
        });
    }
}
