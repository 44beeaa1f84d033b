package dev.junction.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Circuit breakers in Redis: the state machine of {@link MemoryBreakers}, each transition one Lua
 * script on a hash per subject (plus a list of its last 256 outcomes for the failure rate), kept a
 * day past its last change. Every instance keeps a copy of each circuit's state, refreshed by the
 * scripts' answers and by the announcement each change of state makes, so that the common cases
 * cost no round trip: a closed circuit lets a request through, an open one refuses it, a probe
 * that is not due is not claimed. Half-open slots, outcomes and probes go to Redis.
 *
 * <p>While Redis is down, breakers are local ({@link MemoryBreakers}), started afresh; when it is
 * back, the shared circuits apply again.
 */
final class RedisBreakers implements Breakers {

    static final Duration TTL = Duration.ofDays(1);

    /**
     * KEYS: the circuit's hash, its outcome list. ARGV: op, now, channel, subject token, then the
     * policy: consecutive failures, failure rate, min requests, window, open for, first probe,
     * probe cap, half-open requests (ms), ttl (ms). Returns {result, state, open until, probe at,
     * in flight, trials needed}.
     */
    private static final Script TRANSITION = Script.of("""
            local h, hist = KEYS[1], KEYS[2]
            local op, now = ARGV[1], tonumber(ARGV[2])
            local f = redis.call('HMGET', h, 'st', 'cons', 'ou', 'pi', 'pa', 'inf', 'tp', 'tn')
            local exists = f[1] ~= false
            local st, cons, ou = tonumber(f[1]) or 0, tonumber(f[2]) or 0, tonumber(f[3]) or 0
            local pi, pa, inf = tonumber(f[4]) or 0, tonumber(f[5]) or 0, tonumber(f[6]) or 0
            local tp, tn = tonumber(f[7]) or 0, tonumber(f[8]) or 1
            if not exists and op ~= 'success' and op ~= 'failure' then
              if op == 'acquire' then return {1, 0, 0, 0, 0, 1} end
              return {0, 0, 0, 0, 0, 1}
            end
            local cf, rate, minreq, win = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
            local openfor, first, cap, hor = tonumber(ARGV[9]), tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12])
            local ttl = ARGV[13]
            local before = st .. ':' .. ou .. ':' .. pa .. ':' .. tn
            local result = 0
            local function halfopen(n) st = 2; tn = n; tp = 0; inf = 0 end
            local function close() st = 0; inf = 0; tp = 0; pi = 0; redis.call('DEL', hist) end
            local function nextprobe(cur) return math.min(cap, math.max(1, cur) * 2) end
            local function remember(failed)
              redis.call('LPUSH', hist, now .. (failed and ':1' or ':0'))
              redis.call('LTRIM', hist, 0, 255)
              redis.call('PEXPIRE', hist, ttl)
            end
            local function tripped()
              local since, total, failed = now - win, 0, 0
              for _, e in ipairs(redis.call('LRANGE', hist, 0, 255)) do
                local sep = string.find(e, ':', 1, true)
                if tonumber(string.sub(e, 1, sep - 1)) >= since then
                  total = total + 1
                  if string.sub(e, sep + 1) == '1' then failed = failed + 1 end
                end
              end
              return total >= minreq and failed >= rate * total
            end
            if op == 'acquire' then
              if st == 1 and now >= ou then halfopen(tn) end
              if st == 0 then result = 1
              elseif st == 2 and inf < tn then inf = inf + 1; result = 1 end
            elseif op == 'force' then
              if st == 1 then halfopen(tn) end
              if st == 2 then inf = inf + 1 end
            elseif op == 'success' then
              cons = 0
              if st == 0 then remember(false)
              elseif st == 1 then close()
              else
                inf = math.max(0, inf - 1); tp = tp + 1
                if tp >= tn then close() end
              end
            elseif op == 'failure' then
              remember(true)
              cons = cons + 1
              if st == 2 or (st == 1 and now >= ou) then
                if pi == 0 then pi = first end
                pi = nextprobe(pi); st = 1; ou = now + pi; pa = now + pi; inf = 0
              elseif st == 0 and (cons >= cf or tripped()) then
                st = 1; ou = now + openfor; pi = first; pa = now + pi; tn = hor; inf = 0
              end
            elseif op == 'release' then
              inf = math.max(0, inf - 1)
            elseif op == 'claim' then
              if st == 1 and now < ou and now >= pa then pi = math.max(1, pi); pa = now + pi; result = 1 end
            elseif op == 'passed' then
              if st == 1 then halfopen(hor) end
            elseif op == 'probefailed' then
              if st == 1 then pi = nextprobe(pi); pa = now + pi end
            end
            redis.call('HSET', h, 'st', st, 'cons', cons, 'ou', ou, 'pi', pi, 'pa', pa, 'inf', inf, 'tp', tp, 'tn', tn)
            redis.call('PEXPIRE', h, ttl)
            if before ~= st .. ':' .. ou .. ':' .. pa .. ':' .. tn then
              redis.call('PUBLISH', ARGV[3], ARGV[4] .. ' ' .. st .. ' ' .. ou .. ' ' .. pa .. ' ' .. inf .. ' ' .. tn)
            end
            return {result, st, ou, pa, inf, tn}
            """);

    /** What an instance knows of a circuit: its state, open until, next probe, in flight, trials needed. */
    record Snapshot(Circuit state, long openUntil, long probeAt, long inFlight, long trialsNeeded) {
        static final Snapshot CLOSED = new Snapshot(Circuit.CLOSED, 0, 0, 0, 1);
    }

    private static final BreakerPolicy NO_POLICY = new BreakerPolicy(1, 1, 1, Duration.ofMillis(1),
            Duration.ofMillis(1));

    private final RedisLink link;
    private final Map<StateKey, Snapshot> copy = new ConcurrentHashMap<>();
    private volatile MemoryBreakers local = new MemoryBreakers();

    RedisBreakers(RedisLink link) {
        this.link = link;
        link.on("circuit", fields -> remember(Subjects.decode(fields.get(0)), new Snapshot(
                Circuit.values()[Integer.parseInt(fields.get(1))], Long.parseLong(fields.get(2)),
                Long.parseLong(fields.get(3)), Long.parseLong(fields.get(4)), Long.parseLong(fields.get(5)))));
        link.onResync(() -> local = new MemoryBreakers());
        link.onReload(this::reload);
    }

    private void remember(StateKey subject, Snapshot snapshot) {
        if (snapshot.state() == Circuit.CLOSED) {
            copy.remove(subject);
        } else {
            copy.put(subject, snapshot);
        }
    }

    private Snapshot known(StateKey subject) {
        return copy.getOrDefault(subject, Snapshot.CLOSED);
    }

    /** Runs {@code op} in Redis and keeps the answer in the copy; {@code -1} when Redis is not there. */
    private long transition(StateKey subject, String op, BreakerPolicy policy, Instant now) {
        return link.call(jedis -> {
            String token = Subjects.encode(subject);
            long first = policy.firstProbeMillis();
            long cap = Math.max(first, Math.min(policy.probeMax().toMillis(), policy.openFor().toMillis()));
            long ttl = Math.max(TTL.toMillis(), policy.openFor().toMillis() * 2);
            List<?> reply = (List<?>) TRANSITION.eval(jedis,
                    List.of(link.key("circuit", token), link.key("outcomes", token)),
                    List.of(op, Long.toString(now.toEpochMilli()), link.events(), link.message("circuit", token),
                            Integer.toString(policy.consecutiveFailures()), Double.toString(policy.failureRate()),
                            Integer.toString(policy.minRequests()), Long.toString(policy.window().toMillis()),
                            Long.toString(policy.openFor().toMillis()), Long.toString(first), Long.toString(cap),
                            Integer.toString(policy.halfOpenRequests()), Long.toString(ttl)));
            Snapshot snapshot = new Snapshot(Circuit.values()[((Long) reply.get(1)).intValue()], (Long) reply.get(2),
                    (Long) reply.get(3), (Long) reply.get(4), (Long) reply.get(5));
            remember(subject, snapshot);
            return (Long) reply.get(0);
        }, () -> -1L);
    }

    @Override
    public Circuit circuit(StateKey subject, Instant now) {
        if (!link.up()) {
            return local.circuit(subject, now);
        }
        Snapshot s = known(subject);
        return s.state() == Circuit.OPEN && now.toEpochMilli() >= s.openUntil() ? Circuit.HALF_OPEN : s.state();
    }

    @Override
    public boolean tryAcquire(StateKey subject, Instant now) {
        if (!link.up()) {
            return local.tryAcquire(subject, now);
        }
        Snapshot s = known(subject);
        if (s.state() == Circuit.CLOSED) {
            return true;
        }
        if (s.state() == Circuit.OPEN && now.toEpochMilli() < s.openUntil()) {
            return false;
        }
        long result = transition(subject, "acquire", NO_POLICY, now);
        return result < 0 ? local.tryAcquire(subject, now) : result == 1;
    }

    @Override
    public void force(StateKey subject, Instant now) {
        if (!link.up()) {
            local.force(subject, now);
        } else if (known(subject).state() != Circuit.CLOSED && transition(subject, "force", NO_POLICY, now) < 0) {
            local.force(subject, now);
        }
    }

    @Override
    public Instant availableAt(StateKey subject, Instant now) {
        if (!link.up()) {
            return local.availableAt(subject, now);
        }
        Snapshot s = known(subject);
        long at = now.toEpochMilli();
        return switch (s.state()) {
            case CLOSED -> now;
            case OPEN -> Instant.ofEpochMilli(Math.max(at, s.openUntil()));
            case HALF_OPEN -> s.inFlight() >= s.trialsNeeded() ? Instant.ofEpochMilli(at + 1) : now;
        };
    }

    @Override
    public Circuit record(StateKey subject, boolean failed, BreakerPolicy policy, Instant now) {
        if (link.up() && transition(subject, failed ? "failure" : "success", policy, now) >= 0) {
            return circuit(subject, now);
        }
        return local.record(subject, failed, policy, now);
    }

    @Override
    public void release(StateKey subject) {
        if (!link.up()) {
            local.release(subject);
        } else if (known(subject).state() != Circuit.CLOSED
                && transition(subject, "release", NO_POLICY, Instant.EPOCH) < 0) {
            local.release(subject);
        }
    }

    @Override
    public boolean claimProbe(StateKey subject, Instant now) {
        if (!link.up()) {
            return local.claimProbe(subject, now);
        }
        Snapshot s = known(subject);
        long at = now.toEpochMilli();
        if (s.state() != Circuit.OPEN || at >= s.openUntil() || at < s.probeAt()) {
            return false;
        }
        long result = transition(subject, "claim", NO_POLICY, now);
        return result < 0 ? local.claimProbe(subject, now) : result == 1;
    }

    @Override
    public void probed(StateKey subject, boolean passed, BreakerPolicy policy, Instant now) {
        if (!link.up()) {
            local.probed(subject, passed, policy, now);
        } else if (known(subject).state() == Circuit.OPEN
                && transition(subject, passed ? "passed" : "probefailed", policy, now) < 0) {
            local.probed(subject, passed, policy, now);
        }
    }

    /** Copies every circuit Redis holds that is not closed. */
    private void reload() {
        link.direct(jedis -> {
            String cursor = ScanParams.SCAN_POINTER_START;
            ScanParams match = new ScanParams().match(link.key("circuit", "*")).count(500);
            String start = link.key("circuit", "");
            java.util.Set<StateKey> seen = new java.util.HashSet<>();
            do {
                ScanResult<String> page = jedis.scan(cursor, match);
                for (String key : new ArrayList<>(page.getResult())) {
                    List<String> f = jedis.hmget(key, "st", "ou", "pa", "inf", "tn");
                    if (f.get(0) == null) {
                        continue;
                    }
                    StateKey subject = Subjects.decode(key.substring(start.length()));
                    Circuit state = Circuit.values()[Integer.parseInt(f.get(0))];
                    if (state != Circuit.CLOSED) {
                        seen.add(subject);
                        copy.put(subject, new Snapshot(state, Long.parseLong(f.get(1)), Long.parseLong(f.get(2)),
                                Long.parseLong(f.get(3)), Long.parseLong(f.get(4))));
                    }
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            copy.keySet().retainAll(seen);
            return null;
        });
    }
}
