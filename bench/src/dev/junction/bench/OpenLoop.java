package dev.junction.bench;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A fixed-rate (open-loop) load generator in the style of wrk2: request {@code i} is due at
 * {@code start + i / rate}, and its latency is measured from that due time, not from when it was
 * actually sent. A stall anywhere (gateway, GC, the box) therefore shows up in the percentiles
 * instead of silently lowering the offered load (coordinated-omission correction). Every response
 * is checked: status 200 and, when known, the exact body length.
 */
final class OpenLoop implements AutoCloseable {

    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(120);

    private final HttpClient client;

    OpenLoop(int maxConnections) throws Exception {
        client = new HttpClient();
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("bench-client");
        threads.setDaemon(true);
        client.setExecutor(threads);
        client.setMaxConnectionsPerDestination(maxConnections);
        client.setMaxRequestsQueuedPerDestination(1_000_000);
        client.setIdleTimeout(TimeUnit.MINUTES.toMillis(2));
        client.setConnectTimeout(TimeUnit.SECONDS.toMillis(5));
        client.setFollowRedirects(false);
        client.start();
    }

    /** One request to send repeatedly. {@code expectedBytes} < 0 skips the length check. */
    record Target(URI uri, Map<String, String> headers, byte[] body, long expectedBytes) {
    }

    /**
     * The outcome of one run.
     *
     * @param firstByte time from due time to the first body byte, in nanoseconds
     * @param lastByte time from due time to the complete response, in nanoseconds
     * @param maxInFlight most requests outstanding at once
     */
    record Outcome(int sent, int ok, int errors, String firstError, Histogram firstByte, Histogram lastByte,
            double seconds, int maxInFlight, long bytes) {

        double rate() {
            return ok / seconds;
        }
    }

    /** Sends {@code count} requests at {@code rate} per second and waits for all of them (or the deadline). */
    Outcome run(Target target, double rate, int count, long timeoutSeconds) throws InterruptedException {
        ConcurrentHistogram first = new ConcurrentHistogram(HIGHEST_NANOS, 3);
        ConcurrentHistogram last = new ConcurrentHistogram(HIGHEST_NANOS, 3);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(count);
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
        long deadline = start + interval * (long) count + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int sent = 0;
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            if (now > deadline) {
                break;
            }
            sent++;
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            Listener listener = new Listener(due, target.expectedBytes(), first, last, ok, errors, firstError, done,
                    inFlight, bytes);
            var request = client.newRequest(target.uri()).method("POST")
                    .timeout(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - now)), TimeUnit.SECONDS)
                    .body(new BytesRequestContent("application/json", target.body()));
            request.headers(h -> target.headers().forEach(h::put));
            request.send(listener);
        }
        for (int i = sent; i < count; i++) {
            done.countDown();
        }
        boolean all = done.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        int missing = all ? 0 : (int) done.getCount();
        if (missing > 0) {
            firstError.compareAndSet(null, missing + " requests unanswered at the deadline");
        }
        return new Outcome(sent, ok.get(), errors.get() + missing + (count - sent), firstError.get(), first, last,
                seconds, maxInFlight.get(), bytes.get());
    }

    private static final class Listener implements Response.Listener {
        private final long due;
        private final long expected;
        private final Histogram first;
        private final Histogram last;
        private final AtomicInteger ok;
        private final AtomicInteger errors;
        private final AtomicReference<String> firstError;
        private final CountDownLatch done;
        private final AtomicInteger inFlight;
        private final AtomicLong totalBytes;
        private long firstByteAt;
        private long bytes;

        Listener(long due, long expected, Histogram first, Histogram last, AtomicInteger ok, AtomicInteger errors,
                AtomicReference<String> firstError, CountDownLatch done, AtomicInteger inFlight,
                AtomicLong totalBytes) {
            this.due = due;
            this.expected = expected;
            this.first = first;
            this.last = last;
            this.ok = ok;
            this.errors = errors;
            this.firstError = firstError;
            this.done = done;
            this.inFlight = inFlight;
            this.totalBytes = totalBytes;
        }

        @Override
        public void onContent(Response response, ByteBuffer content) {
            if (firstByteAt == 0 && content.hasRemaining()) {
                firstByteAt = System.nanoTime();
            }
            bytes += content.remaining();
        }

        @Override
        public void onComplete(Result result) {
            long now = System.nanoTime();
            inFlight.decrementAndGet();
            totalBytes.addAndGet(bytes);
            int status = result.getResponse() == null ? 0 : result.getResponse().getStatus();
            if (result.isFailed()) {
                fail(String.valueOf(result.getFailure()));
            } else if (status != 200) {
                fail("HTTP " + status);
            } else if (expected >= 0 && bytes != expected) {
                fail("body of " + bytes + " bytes, expected " + expected);
            } else {
                first.recordValue(Math.min(HIGHEST_NANOS, Math.max(0, (firstByteAt == 0 ? now : firstByteAt) - due)));
                last.recordValue(Math.min(HIGHEST_NANOS, Math.max(0, now - due)));
                ok.incrementAndGet();
            }
            done.countDown();
        }

        private void fail(String why) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, why);
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            // The bench is over; nothing to do.
        }
    }
}
