package dev.junction.usage;

import dev.junction.core.Attempt;
import dev.junction.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * Writes usage records in batches on one platform thread, so request threads never wait for the
 * database (and never pin a carrier in SQLite's native code). The queue is bounded: when the
 * database cannot keep up, records are dropped and counted rather than letting memory grow.
 *
 * <p>Each batch is one transaction: the raw rows and their minute, hour and day rollups
 * ({@link Rollups}), and the per-version aggregate of the baselines ({@link VersionRollup}), commit
 * together, so the rollups never count a row the table lacks.
 *
 * <p>What a stop loses: {@link #close()} (a graceful stop) writes everything queued first. A
 * {@code kill -9} loses what was queued and not yet committed: under normal load the rows of the
 * last linger interval (100 ms) plus one transaction; when the database falls
 * behind, at most the queue's capacity.
 */
public final class UsageWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UsageWriter.class);
    /** The writer thread's name, and its PostgreSQL connection's application name. */
    static final String THREAD_NAME = "junction-usage-writer";
    private static final int BATCH = 2000;
    /**
     * How long a batch gathers. 100 ms: at 50 the writer's CPU per row rose (more, smaller
     * transactions); at 200 the rows waiting in the queue lived through more young collections,
     * which cost the GC more than the longer batches saved (bench/RESULTS.md).
     */
    private static final long LINGER_MILLIS = 100;
    private static final String INSERT = """
            INSERT INTO usage (request_id, ts, key_name, public_model, channel, upstream_model, status,
                prompt_tokens, completion_tokens, cached_read_tokens, cache_write_tokens, reasoning_tokens,
                latency_ms, first_byte_ms, stream, attempts, end_reason, key_id, channel_id, cost_micros,
                client_api, token_source, client_ip, user_id, team_id, config_version, endpoint, units, unit,
                unit_detail, units_estimated)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String OWNER = "SELECT user_id, team_id FROM gateway_keys WHERE id = ?";

    private final Database database;
    private final Pricing pricing;
    private final BlockingQueue<UsageRecord> queue;
    private final Thread thread;
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running = true;
    /** The writer thread's connection and statements, opened at the first batch; only that thread uses it. */
    private Statements session;

    private UsageWriter(Database database, int capacity, Pricing pricing) {
        this.database = database;
        this.pricing = pricing;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = Thread.ofPlatform().name(THREAD_NAME).daemon(true).unstarted(this::run);
    }

    /** Starts a writer with room for {@code capacity} records waiting to be written; costs stay unknown. */
    public static UsageWriter start(Database database, int capacity) {
        return start(database, capacity, Pricing.UNKNOWN);
    }

    /**
     * Starts a writer with room for {@code capacity} records waiting to be written, pricing each
     * record that comes without a cost with {@code pricing}.
     */
    public static UsageWriter start(Database database, int capacity, Pricing pricing) {
        UsageWriter writer = new UsageWriter(Objects.requireNonNull(database, "database"), capacity,
                Objects.requireNonNull(pricing, "pricing"));
        writer.thread.start();
        return writer;
    }

    /** Queues a record, priced if it has no cost yet; never blocks. */
    public void record(UsageRecord record) {
        offered.incrementAndGet();
        UsageRecord priced;
        try {
            priced = pricing.price(record);
        } catch (RuntimeException e) {
            LOG.warn("{}: could not price the request; its cost is unknown", record.requestId(), e);
            priced = record;
        }
        if (!queue.offer(priced)) {
            dropped.incrementAndGet();
            handled.incrementAndGet();
        }
    }

    /** Records waiting to be written. */
    public int queued() {
        return queue.size();
    }

    /** Records dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Waits until every record queued before this call has been written (or dropped). */
    public boolean flush(long timeout, TimeUnit unit) throws InterruptedException {
        long target = offered.get();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (handled.get() < target) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    private void run() {
        List<UsageRecord> batch = new ArrayList<>(BATCH);
        long droppedReported = 0;
        while (running || !queue.isEmpty()) {
            long droppedNow = dropped.get();
            if (droppedNow > droppedReported) {
                LOG.warn("the usage queue was full: {} usage records dropped so far (the database is too slow)",
                        droppedNow);
                droppedReported = droppedNow;
            }
            try {
                UsageRecord first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                if (running && queue.size() < BATCH - 1) {
                    // Let a batch gather: under load that is one wake-up and one transaction per
                    // interval instead of one per request.
                    Thread.sleep(LINGER_MILLIS);
                }
                queue.drainTo(batch, BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                running = false;
            } catch (RuntimeException | SQLException e) {
                LOG.error("could not write {} usage records; they are lost", batch.size(), e);
            } finally {
                handled.addAndGet(batch.size());
                batch.clear();
            }
        }
        closeSession();
    }

    /**
     * Writes {@code batch} on the writer's own connection ({@link Database#ownConnection(String)}),
     * whose statements stay prepared from one batch to the next. A connection that went stale (a
     * database restart, an idle timeout) is found before the batch and replaced; one that failed
     * in a batch is dropped, and the next batch opens another.
     */
    private void write(List<UsageRecord> batch) throws SQLException {
        if (session != null && database.dialect() == Database.Dialect.POSTGRESQL && !session.connection().isValid(2)) {
            closeSession();
        }
        if (session == null) {
            session = new Statements(database.ownConnection(THREAD_NAME));
        }
        try {
            write(session, batch);
        } catch (SQLException | RuntimeException e) {
            closeSession();
            throw e;
        }
    }

    private void closeSession() {
        if (session != null) {
            try {
                session.close();
            } catch (SQLException e) {
                LOG.debug("closing the usage writer's connection", e);
            }
            session = null;
        }
    }

    /**
     * Writes {@code batch} as the writer thread does, on a connection of the pool: its raw rows
     * and their rollups in one transaction (what a bulk load, such as the usage benchmark's, uses
     * for large batches).
     */
    static void write(Database database, List<UsageRecord> batch) throws SQLException {
        try (Statements statements = new Statements(database.dataSource().getConnection())) {
            write(statements, batch);
        }
    }

    /** The raw rows of {@code batch}, their rollups and its version sums, in one transaction. */
    private static void write(Statements statements, List<UsageRecord> batch) throws SQLException {
        statements.begin();
        try {
            owners(statements, batch);
            PreparedStatement insert = statements.of(INSERT);
            for (UsageRecord r : batch) {
                insert.setString(1, r.requestId());
                insert.setLong(2, r.at().toEpochMilli());
                insert.setString(3, r.keyName());
                insert.setString(4, r.publicModel());
                insert.setString(5, r.channel());
                insert.setString(6, r.upstreamModel());
                insert.setInt(7, r.status());
                insert.setLong(8, r.tokens().input());
                insert.setLong(9, r.tokens().output());
                insert.setLong(10, r.tokens().cacheRead());
                insert.setLong(11, r.tokens().cacheWrite());
                insert.setLong(12, r.tokens().reasoning());
                insert.setLong(13, r.latencyMillis());
                if (r.firstByteMillis() >= 0) {
                    insert.setLong(14, r.firstByteMillis());
                } else {
                    insert.setNull(14, Types.BIGINT);
                }
                insert.setBoolean(15, r.stream());
                insert.setString(16, attemptsJson(r.attempts()));
                insert.setString(17, r.endReason().recordName());
                setId(insert, 18, r.keyId());
                setId(insert, 19, r.channelId());
                setId(insert, 20, r.costMicros());
                insert.setString(21, r.clientApi());
                insert.setString(22, r.tokenSource().recordName());
                insert.setString(23, r.clientIp());
                setId(insert, 24, r.userId());
                setId(insert, 25, r.teamId());
                if (r.configVersion() != null) {
                    insert.setInt(26, r.configVersion());
                } else {
                    insert.setNull(26, Types.INTEGER);
                }
                insert.setString(27, r.endpoint());
                insert.setLong(28, r.units().count());
                insert.setString(29, r.units().unit());
                insert.setString(30, r.units().detail());
                insert.setBoolean(31, r.units().estimated());
                insert.addBatch();
            }
            insert.executeBatch();
            Map<Cells.Cell, EndpointRollups.Sums> cells = Cells.of(batch);
            Rollups.fold(statements, cells);
            EndpointRollups.fold(statements, cells);
            VersionRollup.fold(statements, batch);
            statements.end(true);
        } catch (SQLException | RuntimeException e) {
            statements.end(false);
            throw e;
        }
    }

    /**
     * Fills in the user and team of each record whose key belongs to someone (the key's owner and
     * team now), with one lookup per distinct key of the batch, so rollups by user and team need no join.
     */
    private static void owners(Statements statements, List<UsageRecord> batch) throws SQLException {
        Map<Long, Long[]> owners = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            UsageRecord r = batch.get(i);
            if (r.keyId() == null || r.userId() != null) {
                continue;
            }
            Long[] owner = owners.get(r.keyId());
            if (owner == null) {
                owner = owner(statements, r.keyId());
                owners.put(r.keyId(), owner);
            }
            if (owner[0] != null || owner[1] != null) {
                batch.set(i, r.withClient(r.clientApi(), r.clientIp(), owner[0], owner[1], r.configVersion()));
            }
        }
    }

    /** The user and team of key {@code keyId} (nulls when it has none, or is not in the table). */
    private static Long[] owner(Statements statements, long keyId) throws SQLException {
        PreparedStatement select = statements.of(OWNER);
        select.setLong(1, keyId);
        try (ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                return new Long[2];
            }
            long user = rs.getLong(1);
            Long userId = rs.wasNull() ? null : user;
            long team = rs.getLong(2);
            Long teamId = rs.wasNull() ? null : team;
            return new Long[] {userId, teamId};
        }
    }

    private static void setId(PreparedStatement insert, int index, Long id) throws SQLException {
        if (id != null) {
            insert.setLong(index, id);
        } else {
            insert.setNull(index, Types.BIGINT);
        }
    }

    static String attemptsJson(List<Attempt> attempts) {
        // Written by hand: a tree of nodes and a generator per row cost a third of the writer's CPU.
        StringBuilder json = new StringBuilder(72 * attempts.size() + 2).append('[');
        for (Attempt a : attempts) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append("{\"channel\":");
            string(json, a.channel());
            json.append(",\"key\":");
            string(json, a.keySuffix());
            json.append(",\"status\":").append(a.status()).append(",\"outcome\":");
            string(json, a.outcome());
            json.append(",\"ms\":").append(a.millis()).append('}');
        }
        return json.append(']').toString();
    }

    /** {@code value} as a JSON string (escaped by Jackson's encoder), or {@code null}. */
    private static void string(StringBuilder json, String value) {
        if (value == null) {
            json.append("null");
        } else {
            json.append('"');
            JsonStringEncoder.getInstance().quoteAsString(value, json);
            json.append('"');
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
