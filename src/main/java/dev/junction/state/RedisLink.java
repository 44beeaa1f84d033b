package dev.junction.state;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The connection to Redis and what keeps it honest: a pool with short timeouts, a circuit (after a
 * connection failure every operation goes straight to its local fallback, and only a background
 * heartbeat tries Redis again), the instances' heartbeats (how many are alive, for dividing limits
 * while Redis is down), and one subscriber connection that hands the instances' announcements
 * ({@code "<type> <instance> <fields…>"} on one channel) to handlers.
 *
 * <p>When Redis comes back, the resync hooks run (local state learned meanwhile is pushed to Redis)
 * before operations use it again; after every (re)subscription the reload hooks run (the local
 * copies are refreshed from Redis, since announcements may have been missed).
 */
final class RedisLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);
    static final String DEFAULT_PREFIX = "junction:";
    static final int SOCKET_TIMEOUT_MILLIS = 100;
    static final long BEAT_MILLIS = 1000;
    static final long RETRY_MILLIS = 250;
    /**
     * How long operations must keep timing out, with none succeeding, before Redis counts as down
     * (a refused or reset connection counts at once): one slow moment is not an outage.
     */
    static final long TIMEOUTS_FOR_NANOS = 500_000_000L;
    /** An instance that missed this long of heartbeats is no longer counted. */
    static final long INSTANCE_TTL_MILLIS = 5000;

    /**
     * KEYS: the instances, the marker. ARGV: this instance, the instance TTL (ms), the marker's TTL
     * (ms). Returns {instances alive, 1 when the marker had to be made}: a marker missing means that
     * Redis lost what the gateways kept there (restarted without persistence, flushed), or that no
     * gateway has used it for the marker's TTL.
     */
    private static final Script HEARTBEAT = Script.of("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZADD', KEYS[1], now, ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
            redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
            local made = 0
            if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[3]) then
              made = 1
            else
              redis.call('PEXPIRE', KEYS[2], ARGV[3])
            end
            return {redis.call('ZCARD', KEYS[1]), made}
            """);
    /** How long the marker outlives the last heartbeat. */
    private static final long MARKER_TTL_MILLIS = Duration.ofDays(1).toMillis();

    private final JedisPool pool;
    private final HostAndPort address;
    private final JedisClientConfig subscriberConfig;
    private final String prefix;
    private final String instance = UUID.randomUUID().toString().substring(0, 12);
    private final Map<String, Consumer<List<String>>> handlers = new ConcurrentHashMap<>();
    private final List<Runnable> resyncs = new CopyOnWriteArrayList<>();
    private final List<Runnable> flushes = new CopyOnWriteArrayList<>();
    private final List<Runnable> losses = new CopyOnWriteArrayList<>();
    /** When the current run of timeouts began (System.nanoTime), 0 when the last operation answered. */
    private final AtomicLong timingOutSince = new AtomicLong();
    private final List<Runnable> reloads = new CopyOnWriteArrayList<>();
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private final AtomicLong fallbacks = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();
    private final Thread monitor;
    private final Thread subscriber;
    private final Subscription subscription = new Subscription();
    private volatile boolean up;
    private volatile boolean closed;
    private volatile int instances = 1;
    private volatile Jedis subscriberConnection;

    private RedisLink(HostAndPort address, DefaultJedisClientConfig config, String prefix, int timeoutMillis) {
        this.address = address;
        this.prefix = prefix;
        GenericObjectPoolConfig<Jedis> poolConfig = new GenericObjectPoolConfig<>();
        poolConfig.setMaxTotal(128);
        poolConfig.setMaxIdle(128);
        poolConfig.setMinIdle(8);
        poolConfig.setMaxWait(Duration.ofMillis(timeoutMillis));
        poolConfig.setJmxEnabled(false);
        this.pool = new JedisPool(poolConfig, address, config);
        this.subscriberConfig = DefaultJedisClientConfig.builder().from(config).socketTimeoutMillis(0).build();
        this.monitor = Thread.ofPlatform().name("junction-redis-monitor").daemon(true).unstarted(this::monitor);
        this.subscriber = Thread.ofPlatform().name("junction-redis-events").daemon(true).unstarted(this::subscribe);
    }

    /**
     * A link to {@code url} ({@code redis://[user:password@]host[:port][/db][?prefix=P&timeout_ms=T]},
     * or {@code rediss://} for TLS; the timeout, 100 ms by default, bounds connecting and each
     * answer), not yet started. Never fails because Redis is unreachable: the
     * link then starts down and comes up when Redis answers.
     */
    static RedisLink open(String url) {
        URI uri = URI.create(url);
        String prefix = DEFAULT_PREFIX;
        int timeout = SOCKET_TIMEOUT_MILLIS;
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.startsWith("prefix=")) {
                    prefix = URLDecoder.decode(pair.substring("prefix=".length()), StandardCharsets.UTF_8);
                } else if (pair.startsWith("timeout_ms=")) {
                    timeout = Integer.parseInt(pair.substring("timeout_ms=".length()));
                }
            }
        }
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeout)
                .socketTimeoutMillis(timeout)
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .clientName("junction")
                .ssl("rediss".equals(uri.getScheme()))
                .resp2();
        if (uri.getRawUserInfo() != null) {
            String[] user = uri.getRawUserInfo().split(":", 2);
            if (user.length == 2) {
                if (!user[0].isEmpty()) {
                    config.user(URLDecoder.decode(user[0], StandardCharsets.UTF_8));
                }
                config.password(URLDecoder.decode(user[1], StandardCharsets.UTF_8));
            } else {
                config.password(URLDecoder.decode(user[0], StandardCharsets.UTF_8));
            }
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
        if (!path.isEmpty()) {
            config.database(Integer.parseInt(path));
        }
        return new RedisLink(new HostAndPort(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379),
                config.build(), prefix, timeout);
    }

    /** The first heartbeat, then the heartbeat and subscriber threads; after the hooks are registered. */
    void start() {
        beat();
        if (!up) {
            LOG.warn("Redis at {} is not reachable: serving with local state (limits divided by the instances) "
                    + "until it answers", address);
        }
        monitor.start();
        subscriber.start();
    }

    /** Every key this gateway writes starts with this. */
    String prefix() {
        return prefix;
    }

    String key(String kind, String... parts) {
        return prefix + kind + ":" + String.join(":", parts);
    }

    /** The channel announcements go to. */
    String events() {
        return prefix + "events";
    }

    /** An announcement from this instance, as published: {@code "<type> <instance> <fields…>"}. */
    String message(String type, String... fields) {
        return type + " " + instance + (fields.length == 0 ? "" : " " + String.join(" ", fields));
    }

    boolean up() {
        return up;
    }

    /** Instances alive at the last heartbeat (the last known count while Redis is down); at least 1. */
    int instances() {
        return instances;
    }

    /** Operations that ran on their local fallback (Redis down, busy or failing). */
    long fallbacks() {
        return fallbacks.get();
    }

    /** Handles announcements of {@code type} from the other instances; called with the fields after the instance. */
    void on(String type, Consumer<List<String>> handler) {
        handlers.put(type, handler);
    }

    /**
     * Runs on the heartbeat that finds Redis without the gateways' state (it lost its data, or no
     * gateway used it for a day); also at the first start on an empty Redis.
     */
    void onStateLost(Runnable hook) {
        losses.add(hook);
    }

    /** Runs when Redis is back, before operations use it again; may use {@link #direct}. */
    void onResync(Runnable hook) {
        resyncs.add(hook);
    }

    /**
     * Runs at every heartbeat that reaches Redis (and when it is back, before operations use it
     * again): pushes what single failed operations left in local state.
     */
    void onFlush(Runnable hook) {
        flushes.add(hook);
    }

    /** Runs after every (re)subscription to the announcements, to refresh local copies. */
    void onReload(Runnable hook) {
        reloads.add(hook);
    }

    /** Waits until the announcements are subscribed to (and the local copies loaded) or {@code timeout} passes. */
    boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        return subscribed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code operation} on a pooled connection, or {@code fallback} when Redis is down or the
     * operation fails: a connection failure marks Redis down (no further attempts until the
     * heartbeat gets through); any other failure only falls back this once. Never throws a Redis
     * error.
     */
    <T> T call(Function<Jedis, T> operation, Supplier<T> fallback) {
        if (!up) {
            fallbacks.incrementAndGet();
            return fallback.get();
        }
        try (Jedis jedis = pool.getResource()) {
            T result = operation.apply(jedis);
            if (timingOutSince.get() != 0) {
                timingOutSince.set(0);
            }
            return result;
        } catch (JedisException e) {
            fallbacks.incrementAndGet();
            if (connectionLost(e)) {
                // A refused or reset connection means Redis is gone; a timeout may be one slow
                // moment, so it takes a few in a row.
                if (!timedOut(e) || timingOutTooLong()) {
                    down(e);
                }
            } else {
                LOG.warn("a Redis operation failed ({}); used local state for it", e.toString());
            }
            return fallback.get();
        }
    }

    /**
     * {@link #call} for an operation that is safe to run twice (its script counts its id once): a
     * timeout is retried once on another connection, and when it still fails (the operation may or
     * may not have run in Redis) {@code uncertain} is told before {@code fallback} runs. Nothing is
     * uncertain while Redis is known down (nothing was sent).
     */
    <T> T callOnce(Function<Jedis, T> operation, Supplier<T> fallback, Runnable uncertain) {
        if (!up) {
            fallbacks.incrementAndGet();
            return fallback.get();
        }
        for (int attempt = 0; attempt < 2 && up; attempt++) {
            try (Jedis jedis = pool.getResource()) {
                T result = operation.apply(jedis);
                if (timingOutSince.get() != 0) {
                    timingOutSince.set(0);
                }
                return result;
            } catch (JedisException e) {
                if (connectionLost(e)) {
                    if (!timedOut(e) || timingOutTooLong()) {
                        down(e);
                    }
                } else {
                    LOG.warn("a Redis operation failed ({}); used local state for it", e.toString());
                    break;
                }
            }
        }
        fallbacks.incrementAndGet();
        uncertain.run();
        return fallback.get();
    }

    /** A new operation id, unique across instances (this instance's id and a sequence number). */
    String nextId() {
        return instance + "." + Long.toString(sequence.incrementAndGet(), 36);
    }

    /** Runs {@code operation} on a pooled connection whatever the circuit says; Redis errors propagate. */
    <T> T direct(Function<Jedis, T> operation) {
        try (Jedis jedis = pool.getResource()) {
            return operation.apply(jedis);
        }
    }

    private boolean timingOutTooLong() {
        long now = System.nanoTime();
        long since = timingOutSince.updateAndGet(s -> s == 0 ? now : s);
        return now - since >= TIMEOUTS_FOR_NANOS;
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static boolean connectionLost(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JedisConnectionException || cause instanceof java.io.IOException) {
                return true;
            }
            if (cause instanceof NoSuchElementException && cause.getMessage() != null
                    && cause.getMessage().contains("Timeout waiting for idle object")) {
                return false; // every pooled connection busy: not an outage
            }
        }
        return false;
    }

    private void down(Exception e) {
        if (up) {
            up = false;
            pool.clear();
            LOG.warn("Redis is unreachable ({}): serving with local state, limits divided by the last known {} "
                    + "instances, until it answers", e.toString(), instances);
            Jedis connection = subscriberConnection;
            if (connection != null) {
                try {
                    connection.disconnect();
                } catch (RuntimeException ignored) {
                    // already broken
                }
            }
        }
    }

    /** One heartbeat; brings the link up (after resyncing) when Redis answers again. */
    private void beat() {
        try {
            List<?> beat = direct(jedis -> (List<?>) HEARTBEAT.eval(jedis, List.of(key("instances"), key("marker")),
                    List.of(instance, Long.toString(INSTANCE_TTL_MILLIS), Long.toString(MARKER_TTL_MILLIS))));
            instances = (int) Math.max(1, (Long) beat.get(0));
            boolean lost = (Long) beat.get(1) == 1;
            if (!up) {
                pool.clear(); // idle connections from before the outage are dead
                resyncs.forEach(Runnable::run);
                flushes.forEach(Runnable::run);
                timingOutSince.set(0);
                up = true;
                flushes.forEach(Runnable::run); // what raced the switch
                if (monitor.isAlive()) {
                    LOG.info("Redis answers again: shared state resumed ({} instances)", instances);
                }
            } else {
                flushes.forEach(Runnable::run);
            }
            if (lost) {
                if (monitor.isAlive()) {
                    LOG.warn("Redis holds none of the gateways' state (restarted without persistence, or flushed): "
                            + "budgets' spend is put back from the usage records");
                }
                losses.forEach(Runnable::run);
            }
        } catch (JedisException e) {
            if (up && connectionLost(e)) {
                if (!timedOut(e) || timingOutTooLong()) {
                    down(e);
                }
            } else if (up) {
                LOG.warn("the Redis heartbeat failed: {}", e.toString());
            }
        } catch (RuntimeException e) {
            LOG.warn("resyncing with Redis failed; trying again: {}", e.toString());
        }
    }

    private void monitor() {
        while (!closed) {
            try {
                Thread.sleep(up ? BEAT_MILLIS : RETRY_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (!closed) {
                beat();
            }
        }
    }

    private void subscribe() {
        while (!closed) {
            if (!up) {
                pause();
                continue;
            }
            try (Jedis jedis = new Jedis(address, subscriberConfig)) {
                subscriberConnection = jedis;
                jedis.subscribe(subscription, events());
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.debug("the Redis subscription ended: {}", e.toString());
                }
            } finally {
                subscriberConnection = null;
            }
            pause();
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Subscription extends JedisPubSub {
        @Override
        public void onSubscribe(String channel, int count) {
            for (Runnable reload : reloads) {
                try {
                    reload.run();
                } catch (RuntimeException e) {
                    LOG.warn("reloading shared state from Redis failed; subscribing again: {}", e.toString());
                    unsubscribe(); // the loop subscribes again, and reloads then
                    return;
                }
            }
            subscribed.countDown();
        }

        @Override
        public void onMessage(String channel, String message) {
            List<String> parts = List.of(message.split(" ", -1));
            if (parts.size() < 2 || parts.get(1).equals(instance)) {
                return;
            }
            Consumer<List<String>> handler = handlers.get(parts.get(0));
            if (handler != null) {
                try {
                    handler.accept(parts.subList(2, parts.size()));
                } catch (RuntimeException e) {
                    LOG.warn("could not apply the announcement '{}': {}", parts.get(0), e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        monitor.interrupt();
        if (up) {
            try {
                direct(jedis -> jedis.zrem(key("instances"), instance));
            } catch (RuntimeException ignored) {
                // it will age out
            }
        }
        try {
            if (subscription.isSubscribed()) {
                subscription.unsubscribe();
            }
        } catch (RuntimeException ignored) {
            // the connection is closed below
        }
        Jedis connection = subscriberConnection;
        if (connection != null) {
            try {
                connection.disconnect();
            } catch (RuntimeException ignored) {
                // closing
            }
        }
        subscriber.interrupt();
        pool.close();
    }
}
