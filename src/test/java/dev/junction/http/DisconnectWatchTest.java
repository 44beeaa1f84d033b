package dev.junction.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.ByteArrayEndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The watch over an in-memory endpoint whose reads can be held mid-way. */
class DisconnectWatchTest {

    /** An endpoint whose next read blocks until released, once armed. */
    private static final class HeldEndPoint extends ByteArrayEndPoint {
        final CountDownLatch inRead = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean armed;

        @Override
        public int fill(ByteBuffer buffer) throws IOException {
            if (armed) {
                armed = false;
                inRead.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.fill(buffer);
        }
    }

    private final Deadlines scheduler = new Deadlines("test-watch-starts");
    private final AtomicInteger gone = new AtomicInteger();
    private final AtomicInteger unexpected = new AtomicInteger();

    @AfterEach
    void stopScheduler() {
        scheduler.close();
    }

    /**
     * Deadlines of one duration run in the order they were scheduled, on one thread: once a marker
     * scheduled after the watch has run, the watch's start has had its turn, and nothing is left to
     * wait for before looking.
     */
    @Test
    void aQuickExchangeNeverRegistersReadInterest() throws Exception {
        HeldEndPoint endPoint = new HeldEndPoint();
        DisconnectWatch watch = DisconnectWatch.schedule(endPoint, scheduler, gone::incrementAndGet,
                unexpected::incrementAndGet);
        watch.stop();
        CountDownLatch startHadItsTurn = new CountDownLatch(1);
        scheduler.schedule(DisconnectWatch.DELAY_MILLIS, startHadItsTurn::countDown);
        assertThat(startHadItsTurn.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(endPoint.isFillInterested()).isFalse();
        assertThat(gone).hasValue(0);
    }

    @Test
    void aClientThatHangsUpIsNoticedOnceTheWatchStarts() throws Exception {
        HeldEndPoint endPoint = new HeldEndPoint();
        endPoint.addInputEOF(); // gone before the watch starts
        DisconnectWatch.schedule(endPoint, scheduler, gone::incrementAndGet, unexpected::incrementAndGet);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (gone.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(gone).hasValue(1);
        assertThat(unexpected).hasValue(0);
    }

    /**
     * A read in progress when the exchange ends must finish before {@code stop} returns: the
     * response's last write follows {@code stop}, and the client's next request, sent after it, is
     * Jetty's to read. A watch that let {@code stop} return mid-read swallowed the start of that
     * request (seen under load as "400 No URI").
     */
    @Test
    void stopWaitsForAReadInProgressSoTheNextRequestIsNotSwallowed() throws Exception {
        HeldEndPoint endPoint = new HeldEndPoint();
        DisconnectWatch watch = DisconnectWatch.schedule(endPoint, scheduler, gone::incrementAndGet,
                unexpected::incrementAndGet);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!endPoint.isFillInterested() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(endPoint.isFillInterested()).isTrue();

        endPoint.armed = true;
        Thread reader = Thread.ofVirtual().start(() -> endPoint.addInput(" ")); // wakes the watch
        assertThat(endPoint.inRead.await(5, TimeUnit.SECONDS)).isTrue();
        Thread stopper = Thread.ofVirtual().start(watch::stop);
        // Either stop returns while the read is held (wrong), or it parks until the read is over.
        boolean stopReturnedMidRead = settled(stopper) == Thread.State.TERMINATED;
        if (stopReturnedMidRead) {
            endPoint.addInput("GET /next HTTP/1.1\r\n"); // what the client sends after the response
        }
        endPoint.release.countDown();
        stopper.join();
        reader.join();
        if (!stopReturnedMidRead) {
            endPoint.addInput("GET /next HTTP/1.1\r\n");
        }

        assertThat(stopReturnedMidRead).as("stop returned while the watch was reading").isFalse();
        ByteBuffer rest = BufferUtil.allocate(256);
        endPoint.fill(rest);
        assertThat(BufferUtil.toString(rest, StandardCharsets.US_ASCII)).isEqualTo("GET /next HTTP/1.1\r\n");
        assertThat(endPoint.isFillInterested()).as("re-registered after stop").isFalse();
        assertThat(gone).hasValue(0);
    }

    /** The thread's state once it has either finished or parked (waiting for a lock). */
    private static Thread.State settled(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Thread.State state = thread.getState();
            if (state == Thread.State.TERMINATED || state == Thread.State.WAITING) {
                return state;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("the thread neither finished nor parked: " + thread.getState());
    }
}
