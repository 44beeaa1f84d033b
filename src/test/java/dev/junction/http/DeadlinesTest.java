package dev.junction.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

    private final Deadlines deadlines = new Deadlines("test-deadlines");

    @AfterEach
    void close() {
        deadlines.close();
    }

    @Test
    void dueDeadlinesRunInTheOrderTheyWereScheduledAndCancelledOnesNever() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch last = new CountDownLatch(1);
        deadlines.schedule(20, () -> ran.add("first"));
        Deadlines.Deadline middle = deadlines.schedule(20, () -> ran.add("middle"));
        deadlines.schedule(20, () -> ran.add("third"));
        deadlines.schedule(5, () -> ran.add("shorter"));
        deadlines.schedule(20, last::countDown);
        middle.cancel();

        assertThat(last.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("shorter", "first", "third");
    }

    @Test
    void aCancelledDeadlineAndItsActionAreLetGoAtOnceNotWhenTheyWouldHaveBeenDue() throws Exception {
        Object held0 = new Object();
        Runnable action = () -> {
            throw new AssertionError("cancelled, must not run: " + held0); // captures: a new object per call
        };
        deadlines.schedule(TimeUnit.MINUTES.toMillis(10), () -> { }); // one ahead of it stays queued
        Thread.sleep(50); // the watcher has seen the new duration and sleeps
        Deadlines.Deadline deadline = deadlines.schedule(TimeUnit.MINUTES.toMillis(10), action);
        WeakReference<Deadlines.Deadline> held = new WeakReference<>(deadline);
        WeakReference<Runnable> heldAction = new WeakReference<>(action);

        deadline.cancel();
        deadline = null;
        action = null;
        for (int i = 0; i < 20 && (held.get() != null || heldAction.get() != null); i++) {
            System.gc();
            Thread.sleep(10);
        }

        assertThat(held.get()).isNull();
        assertThat(heldAction.get()).isNull();
    }

    @Test
    void cancellingTwiceOrAfterItRanChangesNothing() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        Deadlines.Deadline deadline = deadlines.schedule(1, ran::countDown);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        deadline.cancel();
        deadline.cancel();

        CountDownLatch next = new CountDownLatch(1);
        deadlines.schedule(1, next::countDown);
        assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
