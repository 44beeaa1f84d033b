package dev.junction.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.state.ConfigChanges;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

class ConfigWatcherTest {

    /** Announcements between watchers in one process, as Redis carries them between instances. */
    static final class Bus implements ConfigChanges {
        final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();

        @Override
        public void announce(long version) {
            listeners.forEach(l -> l.accept(version));
        }

        @Override
        public AutoCloseable subscribe(LongConsumer listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    }

    private static void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    @Test
    void anAnnouncedVersionIsReloadedOnceAndNeverBackwards() throws Exception {
        Bus bus = new Bus();
        List<Long> reloads = new CopyOnWriteArrayList<>();
        try (ConfigWatcher watcher = ConfigWatcher.start(bus, () -> 1, reloads::add, 1, Duration.ofHours(1))) {
            bus.announce(3);
            bus.announce(3);
            bus.announce(2);
            // Announcements are handled in order on the watcher's one thread: once a later version
            // is applied, the repeated 3 and the older 2 have been handled (and skipped), with no
            // wait that a slow machine could outlast.
            bus.announce(4);
            eventually(() -> watcher.applied() == 4);
            assertThat(reloads).containsExactly(3L, 4L);
        }
    }

    @Test
    void aMissedAnnouncementIsCaughtByTheStoredVersionCheck() throws Exception {
        AtomicLong stored = new AtomicLong(1);
        List<Long> reloads = new CopyOnWriteArrayList<>();
        try (ConfigWatcher watcher = ConfigWatcher.start(ConfigChanges.none(), stored::get, reloads::add, 1,
                Duration.ofMillis(20))) {
            stored.set(4);
            eventually(() -> watcher.applied() == 4);
            assertThat(reloads).containsExactly(4L);
        }
    }

    @Test
    void aFailedReloadIsTriedAgainByTheNextCheck() throws Exception {
        AtomicLong attempts = new AtomicLong();
        try (ConfigWatcher watcher = ConfigWatcher.start(ConfigChanges.none(), () -> 2, v -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("database busy");
            }
        }, 1, Duration.ofMillis(20))) {
            eventually(() -> watcher.applied() == 2);
            assertThat(attempts.get()).isEqualTo(2);
        }
    }

    @Test
    void awaitHeardWaitsForTheVersionBeingAppliedAndNoLonger() throws Exception {
        Bus bus = new Bus();
        CountDownLatch reloading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ConfigWatcher watcher = ConfigWatcher.start(bus, () -> 1, v -> {
            reloading.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 1, Duration.ofHours(1))) {
            assertThat(watcher.awaitHeard(Duration.ZERO)).as("nothing in flight").isTrue();
            bus.announce(2);
            reloading.await();
            assertThat(watcher.awaitHeard(Duration.ofMillis(30))).as("version 2 is still being applied").isFalse();
            java.util.concurrent.atomic.AtomicBoolean settled = new java.util.concurrent.atomic.AtomicBoolean();
            Thread waiter = Thread.ofVirtual().start(() -> settled.set(watcher.awaitHeard(Duration.ofSeconds(10))));
            release.countDown();
            waiter.join();
            assertThat(settled).as("the waiter saw version 2 applied").isTrue();
            assertThat(watcher.applied()).isEqualTo(2);
            assertThat(watcher.awaitHeard(Duration.ZERO)).isTrue();
        }
    }
}
