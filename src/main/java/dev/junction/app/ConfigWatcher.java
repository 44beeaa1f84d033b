package dev.junction.app;

import dev.junction.state.ConfigChanges;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this instance on the newest routing-config version (DESIGN.md §7): a version another
 * instance announces is reloaded at once; the version stored in the database is also read every
 * {@code period}, as a safety net for announcements missed while Redis was away. Reloads run one
 * at a time on the watcher's own thread, never backwards, never twice for one version.
 */
final class ConfigWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
    /** How often the stored version is read when nothing is announced. */
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(5);

    private final ConfigChanges changes;
    private final LongSupplier storedVersion;
    private final LongConsumer reload;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("junction-config-watcher").daemon(true).factory());
    private final AutoCloseable subscription;
    private volatile long applied;
    /** The newest version announced to this instance (applied or not yet). */
    private final AtomicLong heard = new AtomicLong();
    /** Notified whenever {@link #applied} moves. */
    private final Object progress = new Object();

    private ConfigWatcher(ConfigChanges changes, LongSupplier storedVersion, LongConsumer reload, long current) {
        this.changes = changes;
        this.storedVersion = storedVersion;
        this.reload = reload;
        this.applied = current;
        this.subscription = changes.subscribe(version -> {
            heard.accumulateAndGet(version, Math::max);
            thread.execute(() -> apply(version));
        });
    }

    /**
     * Watches from version {@code current}: {@code reload} is called with each newer version
     * (announced, or read from {@code storedVersion} every {@code period}).
     */
    public static ConfigWatcher start(ConfigChanges changes, LongSupplier storedVersion, LongConsumer reload,
            long current, Duration period) {
        ConfigWatcher watcher = new ConfigWatcher(Objects.requireNonNull(changes, "changes"),
                Objects.requireNonNull(storedVersion, "storedVersion"), Objects.requireNonNull(reload, "reload"),
                current);
        watcher.thread.scheduleWithFixedDelay(watcher::check, period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
        return watcher;
    }

    /** This instance changed the config to {@code version} (already applied here): tells the others. */
    public void announce(long version) {
        thread.execute(() -> advance(version));
        changes.announce(version);
    }

    /**
     * Waits up to {@code max} until every version announced to this instance so far is applied
     * here (at once when none is in flight); whether it is.
     */
    public boolean awaitHeard(Duration max) {
        long target = heard.get();
        if (applied >= target) {
            return true;
        }
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (progress) {
            while (applied < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /** The newest version applied here. */
    public long applied() {
        return applied;
    }

    private void check() {
        try {
            apply(storedVersion.getAsLong());
        } catch (RuntimeException e) {
            LOG.warn("could not read the stored config version: {}", e.toString());
        }
    }

    private void apply(long version) {
        if (version <= applied) {
            return;
        }
        try {
            reload.accept(version);
            advance(version);
        } catch (RuntimeException e) {
            LOG.error("could not reload config version {}; the next check tries again: {}", version, e.toString());
        }
    }

    private void advance(long version) {
        synchronized (progress) {
            applied = Math.max(applied, version);
            progress.notifyAll();
        }
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception ignored) {
            // nothing to release
        }
        thread.shutdownNow();
    }
}
