package dev.junction.state;

import dev.junction.core.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The state of several instances sharing one Redis (DESIGN.md §7): counters, cooldowns, breakers
 * and suspensions behind the {@link State} interfaces, announcements of config and limit changes,
 * and whether Redis is reachable. Every operation falls back to local state while it is not, so no
 * request fails because Redis is down.
 */
public final class SharedState implements AutoCloseable {

    private final RedisLink link;
    private final State state;
    private final ConfigChanges changes;
    private final QuotaChanges quotaChanges;

    private SharedState(RedisLink link, Clock clock) {
        this.link = link;
        this.state = new State(new RedisCooldowns(link, clock), new RedisBreakers(link), new RedisSuspensions(link),
                new RedisCounters(link, clock));
        this.changes = new ConfigChanges.Redis(link);
        this.quotaChanges = new QuotaChanges.Redis(link);
    }

    /**
     * Connects to {@code url}: {@code redis://[user:password@]host[:port][/db]}, {@code rediss://}
     * for TLS, with {@code ?prefix=P} to start every key with {@code P} instead of
     * {@code junction:} (several gateways on one Redis, or tests), {@code &timeout_ms=T} to wait
     * up to {@code T} ms (default 100) for a connection or an answer. Waits up to a second for the
     * local copies to load; an unreachable Redis is no error (the instance starts on local state).
     */
    public static SharedState connect(String url, Clock clock) {
        Objects.requireNonNull(url, "url");
        RedisLink link = RedisLink.open(url);
        SharedState shared = new SharedState(link, Objects.requireNonNull(clock, "clock"));
        link.start();
        try {
            if (link.up()) {
                link.awaitSubscribed(Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return shared;
    }

    public State state() {
        return state;
    }

    public ConfigChanges changes() {
        return changes;
    }

    public QuotaChanges quotaChanges() {
        return quotaChanges;
    }

    /**
     * Runs {@code hook} when a heartbeat finds Redis without the gateways' state (it restarted
     * without persistence, or was flushed), so that what can be read back (budgets' spend) is put
     * back.
     */
    public void onStateLost(Runnable hook) {
        link.onStateLost(hook);
    }

    /** Whether Redis answers now (false: state is local, limits divided among the instances). */
    public boolean redisUp() {
        return link.up();
    }

    /** Instances alive at the last heartbeat, this one included (the last known count while Redis is down). */
    public int instances() {
        return link.instances();
    }

    /** Operations served by local state instead of Redis so far. */
    public long fallbacks() {
        return link.fallbacks();
    }

    /** The key prefix in use. */
    public String prefix() {
        return link.prefix();
    }

    @Override
    public void close() {
        link.close();
    }
}
