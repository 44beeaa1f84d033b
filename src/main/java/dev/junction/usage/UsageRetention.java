package dev.junction.usage;

import dev.junction.core.Clock;
import dev.junction.store.Database;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes usage past its retention ({@code usage: {keep_raw, keep_rollups}}): raw rows and minute
 * rollups older than {@code keep_raw}, hour and day rollups older than {@code keep_rollups}. Raw
 * rows go in chunks of {@value #CHUNK} by id, so the writer (and, on SQLite, every other writer)
 * never waits behind one long delete. Runs a minute after start, then every hour; several instances
 * pruning at once only delete the same rows twice.
 */
public final class UsageRetention implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UsageRetention.class);
    static final int CHUNK = 10_000;

    private final Database database;
    private final Supplier<Duration> keepRaw;
    private final Supplier<Duration> keepRollups;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("junction-usage-retention").daemon(true).factory());

    /** What one pass deleted. */
    public record Pruned(long raw, long minutes, long hours, long days) {
    }

    private UsageRetention(Database database, Supplier<Duration> keepRaw, Supplier<Duration> keepRollups,
            Clock clock) {
        this.database = database;
        this.keepRaw = keepRaw;
        this.keepRollups = keepRollups;
        this.clock = clock;
    }

    /** A pruner that does nothing until {@link #prune()} is called. */
    public static UsageRetention of(Database database, Duration keepRaw, Duration keepRollups, Clock clock) {
        Objects.requireNonNull(keepRaw);
        Objects.requireNonNull(keepRollups);
        return of(database, () -> keepRaw, () -> keepRollups, clock);
    }

    /** As above, the periods read at each pass (they change at runtime: {@code /api/settings}, a reload). */
    public static UsageRetention of(Database database, Supplier<Duration> keepRaw, Supplier<Duration> keepRollups,
            Clock clock) {
        return new UsageRetention(Objects.requireNonNull(database, "database"), Objects.requireNonNull(keepRaw),
                Objects.requireNonNull(keepRollups), Objects.requireNonNull(clock, "clock"));
    }

    /** Starts the hourly job (first run after a minute). */
    public UsageRetention start() {
        timer.scheduleWithFixedDelay(() -> {
            try {
                Pruned pruned = prune();
                if (pruned.raw() + pruned.minutes() + pruned.hours() + pruned.days() > 0) {
                    LOG.info("usage retention: deleted {} raw rows, {} minute, {} hour and {} day rollups",
                            pruned.raw(), pruned.minutes(), pruned.hours(), pruned.days());
                }
            } catch (RuntimeException e) {
                LOG.warn("usage retention failed; it runs again in an hour", e);
            }
        }, 1, 60, TimeUnit.MINUTES);
        return this;
    }

    /** Deletes everything past its retention now. */
    public Pruned prune() {
        long now = clock.now().toEpochMilli();
        long rawBefore = now - keepRaw.get().toMillis();
        long rollupsBefore = now - keepRollups.get().toMillis();
        long raw = 0;
        while (true) {
            int deleted = database.jdbi().withHandle(h -> h.createUpdate(
                    "DELETE FROM usage WHERE id IN (SELECT id FROM usage WHERE ts < :before ORDER BY ts LIMIT :chunk)")
                    .bind("before", rawBefore).bind("chunk", CHUNK).execute());
            raw += deleted;
            if (deleted < CHUNK) {
                break;
            }
        }
        long minutes = delete("usage_minute", rawBefore);
        long hours = delete("usage_hour", rollupsBefore);
        long days = delete("usage_day", rollupsBefore);
        for (String narrow : List.of("usage_route_hour", "usage_route_day", "usage_account_hour", "usage_account_day")) {
            delete(narrow, rollupsBefore);
        }
        delete("usage_endpoint_minute", rawBefore);
        delete("usage_endpoint_hour", rollupsBefore);
        delete("usage_endpoint_day", rollupsBefore);
        delete("usage_endpoint_narrow_hour", rollupsBefore);
        delete("usage_endpoint_narrow_day", rollupsBefore);
        // A version's baseline goes with the rollups: once a later version was made before the
        // rollups' cut-off, the older versions ran wholly before it.
        database.jdbi().withHandle(h -> h.createUpdate("DELETE FROM " + VersionRollup.TABLE + " WHERE config_version <"
                + " (SELECT COALESCE(MAX(version), 0) FROM config_versions WHERE at < :before)")
                .bind("before", rollupsBefore).execute());
        return new Pruned(raw, minutes, hours, days);
    }

    private long delete(String table, long before) {
        return database.jdbi().withHandle(h -> h.createUpdate("DELETE FROM " + table + " WHERE bucket < :before")
                .bind("before", before).execute());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
