package dev.junction.usage;

import dev.junction.core.Intervals;
import dev.junction.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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

/**
 * Writes usage records in batches on one platform thread, so request threads never wait for the
 * database (and never pin a carrier in SQLite's native code). The queue is bounded: when the
 * database cannot keep up, records are dropped and counted rather than letting memory grow.
 *
 * <p>Each batch is one transaction: the raw rows and their minute, hour and day rollups
 * ({@link Rollups}), and the per-version aggregate of the baselines ({@link VersionRollup}), commit
 * together, so the rollups never count a row the table lacks.
 *
 * <p>When the database cannot be reached (a restart, a failover, the network) or is busy, a batch
 * that failed is kept and written again, with pauses growing to {@value #MAX_PAUSE_MILLIS} ms,
 * until the database answers; new records wait in the queue meanwhile and are dropped (and counted)
 * only when it is full. Before a batch is written again, its first row is looked for: a commit
 * whose answer was lost may have stored it, and then the batch is done. A batch the database
 * refuses for what it holds is dropped and logged, so one bad batch cannot stop the writer.
 *
 * <p>What a stop loses: {@link #close()} (a graceful stop) writes everything queued first (with
 * the database away, it tries for {@value #STOP_RETRY_MILLIS} ms). A {@code kill -9} loses what was
 * queued and not yet committed: under normal load the rows of the last linger interval (100 ms)
 * plus one transaction; when the database falls behind or is away, at most the queue's capacity.
 */
public final class UsageWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UsageWriter.class);
    /** The writer thread's name, and its PostgreSQL connection's application name. */
    static final String THREAD_NAME = "junction-usage-writer";
    private static final int BATCH = 2000;
    /**
     * How long a batch gathers. 100 ms: at 50 the writer's CPU per row rose (more, smaller
     * transactions; a batch costs about 1 ms whatever its size); longer batches would cost a little
     * less per row, but a {@code kill -9} loses what gathers (bench/RESULTS.md).
     */
    private static final long LINGER_MILLIS = 100;
    /**
     * How often what arrived is staged while a batch gathers ({@link StagedBatch}): records queued
     * for the whole linger interval lived through several young collections and were copied into
     * the old generation, about a kilobyte per request (bench/RESULTS.md). Each step wakes the
     * thread (about 30 µs of CPU on the bench's host): 40 a second, where 10 ms was 100.
     */
    private static final long STAGE_MILLIS = 25;
    private static final String OWNER = "SELECT user_id, team_id FROM gateway_keys WHERE id = ?";
    /** A row of a batch, by its exact time (the time index) and request id. */
    private static final String STORED = "SELECT 1 FROM usage WHERE ts = ? AND request_id = ?";
    /** The longest pause between tries of a batch while the database is away. */
    static final long MAX_PAUSE_MILLIS = 5_000;
    /** How long a stopping writer keeps trying a batch while the database is away. */
    static final long STOP_RETRY_MILLIS = 5_000;
    /**
     * How long a key's owner, once read, is used before it is read again; {@link #keysChanged} makes
     * the writer read every owner again at once.
     */
    private static final long OWNER_FRESH_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Owners kept at most; the cache starts over past this. */
    private static final int OWNERS_KEPT = 10_000;

    private final Database database;
    private final Pricing pricing;
    private final BlockingQueue<UsageRecord> queue;
    private final Thread thread;
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Moved by {@link #keysChanged}; the writer clears its owners when it sees it move. */
    private final AtomicLong keyChanges = new AtomicLong();
    private long keyChangesSeen;
    private volatile boolean running = true;
    /** True while a batch waits for a database that cannot be reached. */
    private volatile boolean waiting;
    /** The writer thread's connection and statements, opened at the first batch; only that thread uses it. */
    private Statements session;
    /** The owner (user, team) of each key lately seen, by key id; only the writer thread uses it. */
    private final Map<Long, Owner> owners = new HashMap<>();

    /** A key's user and team (either may be null), read at {@code readNanos}. */
    private record Owner(Long user, Long team, long readNanos) {
    }

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

    /** Keys changed (an owner or a team may have): the rows written from now on read them again. */
    public void keysChanged() {
        keyChanges.incrementAndGet();
    }

    /** Whether records are waiting for a database that cannot be reached now. */
    public boolean waitingForDatabase() {
        return waiting;
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
        StagedBatch batch = new StagedBatch(BATCH);
        List<UsageRecord> arrived = new ArrayList<>(BATCH);
        long droppedReported = 0;
        while (running || !queue.isEmpty()) {
            long droppedNow = dropped.get();
            if (droppedNow > droppedReported) {
                LOG.warn("the usage queue was full: {} usage records dropped so far (the database is too slow)",
                        droppedNow);
                droppedReported = droppedNow;
            }
            int staged = 0;
            try {
                UsageRecord first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                arrived.add(first);
                long commitAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
                do {
                    // Let a batch gather: under load that is one transaction per interval instead
                    // of one per request. What arrived is staged every few ms, so records die young.
                    queue.drainTo(arrived, BATCH - batch.size() - arrived.size());
                    for (int i = 0; i < arrived.size(); i++) {
                        batch.add(owned(arrived.get(i)));
                    }
                    staged += arrived.size();
                    arrived.clear();
                } while (running && batch.size() < BATCH && Intervals.step(commitAt, STAGE_MILLIS, this::stopRunning));
                writeUntilStored(batch);
            } catch (InterruptedException e) {
                running = false;
                if (batch.size() > 0) {
                    LOG.error("could not write {} usage records; they are lost", batch.size());
                }
            } catch (RuntimeException | SQLException e) {
                closeSession();
                LOG.error("could not write {} usage records; they are lost", staged + arrived.size(), e);
            } finally {
                handled.addAndGet(staged + arrived.size());
                batch.clear();
                arrived.clear();
            }
        }
        closeSession();
    }

    /**
     * Writes {@code batch}; while the database is away, tries again with growing pauses (for at
     * most {@value #STOP_RETRY_MILLIS} ms once stopping). Throws what the database said when it
     * refused the batch itself, or when it stayed away past a stop.
     */
    private void writeUntilStored(StagedBatch batch) throws SQLException, InterruptedException {
        long pause = 100;
        long stopDeadline = Long.MAX_VALUE;
        boolean failed = false;
        while (true) {
            try {
                openSession();
                if (!failed || !stored(session, batch)) {
                    write(session, batch);
                }
                if (failed) {
                    waiting = false;
                    LOG.info("the database answers again: {} usage records written", batch.size());
                }
                return;
            } catch (SQLException | RuntimeException e) {
                closeSession();
                if (!Database.unreachable(e)) {
                    throw e;
                }
                if (!running) {
                    stopDeadline = Math.min(stopDeadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(
                            STOP_RETRY_MILLIS));
                    if (System.nanoTime() >= stopDeadline) {
                        throw e;
                    }
                }
                if (!failed) {
                    waiting = true;
                    LOG.warn("the database is unreachable ({}): {} usage records kept and tried again until it "
                            + "answers; up to {} more wait in the queue", e.toString(), batch.size(),
                            queue.remainingCapacity());
                    failed = true;
                }
                Thread.sleep(pause);
                pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
            }
        }
    }

    /**
     * The user and team of key {@code keyId}, on a new connection when the writer's has gone stale;
     * null when the database cannot answer (the batch's write then finds out whether it is away, and
     * waits).
     */
    private Long[] readOwner(long keyId) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                openSession();
                return owner(session, keyId);
            } catch (SQLException | RuntimeException e) {
                closeSession();
            }
        }
        return null;
    }

    /** Whether a try whose answer was lost stored {@code batch} after all (its first row is there). */
    private static boolean stored(Statements statements, StagedBatch batch) throws SQLException {
        PreparedStatement select = statements.of(STORED);
        select.setLong(1, batch.firstMillis());
        select.setString(2, batch.firstRequestId());
        try (ResultSet rs = select.executeQuery()) {
            return rs.next();
        }
    }

    /**
     * {@code r} with the user and team of its key, read once per key until keys change (at most a
     * minute); while the database is away, the owner last read (none when never read).
     */
    private UsageRecord owned(UsageRecord r) {
        if (r.keyId() == null || r.userId() != null) {
            return r;
        }
        long changes = keyChanges.get();
        if (changes != keyChangesSeen) {
            owners.clear();
            keyChangesSeen = changes;
        }
        long now = System.nanoTime();
        Owner owner = owners.get(r.keyId());
        if (owner == null || now - owner.readNanos() > OWNER_FRESH_NANOS) {
            Long[] read = readOwner(r.keyId());
            if (read != null) {
                if (owners.size() >= OWNERS_KEPT) {
                    owners.clear();
                }
                owner = new Owner(read[0], read[1], now);
                owners.put(r.keyId(), owner);
            } else if (owner == null) {
                return r;
            }
        }
        return owner.user() == null && owner.team() == null ? r
                : r.withClient(r.clientApi(), r.clientIp(), owner.user(), owner.team(), r.configVersion());
    }

    /**
     * Opens the writer's own connection ({@link Database#ownConnection(String)}), whose statements
     * stay prepared from one batch to the next, unless it is open and well. A connection that went
     * stale (a database restart, an idle timeout) is found before the batch and replaced; one that
     * failed in a batch is dropped, and the next batch opens another.
     */
    private void openSession() throws SQLException {
        if (session != null && database.dialect() == Database.Dialect.POSTGRESQL && !session.connection().isValid(2)) {
            closeSession();
        }
        if (session == null) {
            session = new Statements(database.ownConnection(THREAD_NAME));
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
            StagedBatch staged = new StagedBatch(batch.size());
            Map<Long, Long[]> owners = new HashMap<>();
            for (UsageRecord r : batch) {
                staged.add(owned(statements, r, owners));
            }
            write(statements, staged);
        }
    }

    /** The raw rows of {@code batch}, their rollups and its version sums, in one transaction. */
    private static void write(Statements statements, StagedBatch batch) throws SQLException {
        statements.begin();
        try {
            batch.insert(statements.of(StagedBatch.INSERT));
            Rollups.fold(statements, batch.cells());
            EndpointRollups.fold(statements, batch.cells());
            VersionRollup.fold(statements, batch.versions());
            statements.end(true);
        } catch (SQLException | RuntimeException e) {
            statements.end(false);
            throw e;
        }
    }

    /**
     * {@code r} with the user and team of its key, when the key belongs to someone (the key's
     * owner and team now), so rollups by user and team need no join; one lookup per distinct key
     * of a bulk load ({@code owners}).
     */
    private static UsageRecord owned(Statements statements, UsageRecord r, Map<Long, Long[]> owners)
            throws SQLException {
        if (r.keyId() == null || r.userId() != null) {
            return r;
        }
        Long[] owner = owners.get(r.keyId());
        if (owner == null) {
            owner = owner(statements, r.keyId());
            owners.put(r.keyId(), owner);
        }
        return owner[0] == null && owner[1] == null ? r
                : r.withClient(r.clientApi(), r.clientIp(), owner[0], owner[1], r.configVersion());
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

    private void stopRunning() {
        running = false;
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
