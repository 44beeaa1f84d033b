package dev.junction.metrics;

import dev.junction.core.Intervals;
import dev.junction.core.TokenUsage;
import dev.junction.usage.RequestEnd;
import dev.junction.usage.RequestObserver;
import dev.junction.usage.UsageRecord;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one JSON line per request on the {@value #LOGGER} logger, at INFO. The line holds
 * what an operator needs to follow a request (id, time, client API, method, path, status, models,
 * channel, attempts, tokens, latency, time to first byte, end reason, key name, client address) and
 * nothing that could leak: no prompt or answer text, no secrets (the key by its name only), no query
 * string (Gemini clients put {@code ?key=} there).
 *
 * <p>The request thread only queues how the request ended; the access log's own thread turns what
 * arrived into lines every {@value #DRAIN_MILLIS} ms and hands them to the logger every
 * {@value #LINGER_MILLIS} ms (or every {@value #CHUNK} characters) as one logging event whose
 * message is those lines, one per request (no text per line, and none of that work on the
 * request's thread). A logging event and a
 * write to standard output per request cost about 10 µs of CPU (the write system call and the
 * wake-up of an asynchronous appender's thread, each time); per batch they cost that once. The
 * queue holds {@value #QUEUE} requests: when it is full (the output cannot keep up), their lines are
 * dropped and counted, never waited for. It takes no lock: request threads on both carriers and this
 * thread's drains took turns for a blocking queue's lock, and releasing it often meant waking a
 * parked thread (0.25–0.3 µs a request, bench/RESULTS.md). While nothing arrives the thread looks
 * again every {@value #LINGER_MILLIS} ms. Closing writes what is queued.
 */
public final class AccessLog implements RequestObserver, AutoCloseable {

    /** The logger the lines go to. */
    public static final String LOGGER = "junction.access";
    static final int QUEUE = 8192;
    static final long LINGER_MILLIS = 100;
    /**
     * How often the lines that arrived are turned into text while an interval gathers. Held for
     * the whole interval, every request's record lived through several young collections and was
     * copied into the old generation (bench/RESULTS.md); text appended to one buffer is not. Each
     * step wakes the thread (about 30 µs of CPU on the bench's host): 40 a second, where 10 ms was 100.
     */
    static final long DRAIN_MILLIS = 25;
    /** The most text handed to the logger at once, in characters (about 150 lines). */
    static final int CHUNK = 60_000;

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final Logger OWN_LOG = LoggerFactory.getLogger(AccessLog.class);

    private final Logger log;
    private final ConcurrentLinkedQueue<RequestEnd> queue = new ConcurrentLinkedQueue<>();
    /** Requests in {@link #queue}, counted apart: the queue's own count walks it. */
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private AccessLog(Logger log) {
        this.log = log;
        this.thread = Thread.ofPlatform().name("junction-access-log").daemon(true).unstarted(this::run);
    }

    /** The access log on the {@value #LOGGER} logger, its thread started. */
    public static AccessLog create() {
        return start(LoggerFactory.getLogger(LOGGER));
    }

    static AccessLog start(Logger log) {
        AccessLog accessLog = new AccessLog(log);
        accessLog.thread.start();
        return accessLog;
    }

    @Override
    public void onEnd(RequestEnd end) {
        if (!log.isInfoEnabled()) {
            return;
        }
        if (queued.getAndIncrement() >= QUEUE) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.offer(end);
    }

    /** Lines dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    private void run() {
        List<RequestEnd> batch = new ArrayList<>();
        StringBuilder text = new StringBuilder(CHUNK + 4096);
        long droppedReported = 0;
        while (running || !queue.isEmpty()) {
            try {
                if (queue.isEmpty()) {
                    Thread.sleep(LINGER_MILLIS); // nothing to write: look again after an interval
                    continue;
                }
                long handOver = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
                do {
                    // The interval's lines gather into one text, written once; what arrived is
                    // turned into text every few ms, so that the requests' records die young.
                    drain(batch);
                    write(text, batch);
                    batch.clear();
                } while (running && Intervals.step(handOver, DRAIN_MILLIS, this::stopRunning));
                if (!text.isEmpty()) {
                    log.info(text.toString());
                }
            } catch (InterruptedException e) {
                running = false; // the loop writes what is queued, then ends
            } catch (RuntimeException e) {
                OWN_LOG.warn("could not write {} access log lines", batch.size(), e);
            } finally {
                batch.clear();
                text.setLength(0);
                if (text.capacity() > 2 * CHUNK) {
                    text = new StringBuilder(CHUNK + 4096); // a very long line does not keep a large buffer
                }
            }
            long droppedNow = dropped.get();
            if (droppedNow > droppedReported) {
                OWN_LOG.warn("the access log's queue was full: {} lines dropped so far (its output is too slow)",
                        droppedNow);
                droppedReported = droppedNow;
            }
        }
    }

    /** Moves what is queued to {@code batch}. */
    private void drain(List<RequestEnd> batch) {
        int taken = 0;
        for (RequestEnd end = queue.poll(); end != null; end = queue.poll()) {
            batch.add(end);
            taken++;
        }
        queued.addAndGet(-taken);
    }

    /**
     * Appends the lines of {@code batch} to {@code text}, a line break before each but the first,
     * and hands {@code text} to the logger whenever it reaches {@value #CHUNK} characters: a text
     * of a whole busy interval (a megabyte at 15,000 requests a second) was alive through young
     * collections as it grew, and was copied into the old generation.
     */
    private void write(StringBuilder text, List<RequestEnd> batch) {
        for (RequestEnd end : batch) {
            if (text.length() >= CHUNK) {
                log.info(text.toString());
                text.setLength(0);
            }
            int before = text.length();
            try {
                if (before > 0) {
                    text.append('\n');
                }
                append(text, end);
            } catch (RuntimeException e) {
                text.setLength(before); // one line that cannot be written costs only itself
                OWN_LOG.warn("{}: could not write its access log line", end.record().requestId(), e);
            }
        }
    }

    private void stopRunning() {
        running = false;
    }

    /**
     * Writes what is queued, then stops the thread (within one linger interval; not by an
     * interrupt, which would close an interruptible channel that an appender may be writing to).
     */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The JSON line for one request (without the line break). */
    public static String line(RequestEnd end) {
        Objects.requireNonNull(end, "end");
        StringBuilder json = new StringBuilder(512); // a line is 350–500 characters: one array, no growth
        append(json, end);
        return json.toString();
    }

    /** Appends the JSON line for one request (without the line break) to {@code json}. */
    static void append(StringBuilder json, RequestEnd end) {
        UsageRecord r = end.record();
        TokenUsage t = r.tokens();
        json.append("{\"time\":");
        time(json, r.at());
        json.append(",\"request_id\":");
        string(json, r.requestId());
        json.append(",\"api\":\"").append(ClientApi.of(end.path()).label());
        json.append("\",\"method\":");
        string(json, end.method());
        json.append(",\"path\":");
        string(json, end.path());
        json.append(",\"status\":").append(r.status());
        json.append(",\"model\":");
        string(json, r.publicModel());
        json.append(",\"stream\":").append(r.stream());
        json.append(",\"channel\":");
        string(json, r.channel());
        json.append(",\"upstream_model\":");
        string(json, r.upstreamModel());
        json.append(",\"attempts\":").append(r.attempts().size());
        json.append(",\"tokens\":{\"input\":").append(t.input());
        json.append(",\"output\":").append(t.output());
        json.append(",\"cached_read\":").append(t.cacheRead());
        json.append(",\"cache_write\":").append(t.cacheWrite());
        json.append(",\"reasoning\":").append(t.reasoning());
        json.append("},\"latency_ms\":").append(TimeUnit.NANOSECONDS.toMillis(end.elapsedNanos()));
        json.append(",\"ttft_ms\":");
        if (r.firstByteMillis() >= 0) {
            json.append(r.firstByteMillis());
        } else {
            json.append("null");
        }
        json.append(",\"end_reason\":\"").append(r.endReason().recordName());
        json.append("\",\"key\":");
        string(json, r.keyName());
        json.append(",\"client_ip\":");
        string(json, end.clientAddress().isEmpty() ? null : end.clientAddress());
        json.append('}');
    }

    /** A second and its ISO-8601 text ({@code 2026-12-03T10:15:30}), kept from one line to the next. */
    private record Second(long epochSecond, String text) {
    }

    private static volatile Second second = new Second(Long.MIN_VALUE, "");

    /**
     * {@code at} as a JSON string in UTC to the millisecond ({@code "2026-12-03T10:15:30.123Z"}): the
     * text up to the second is made once per second, since {@link Instant#toString()} for each line
     * cost as much as the rest of the line.
     */
    static void time(StringBuilder json, Instant at) {
        Second cached = second;
        if (cached.epochSecond() != at.getEpochSecond()) {
            cached = new Second(at.getEpochSecond(), DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                    LocalDateTime.ofEpochSecond(at.getEpochSecond(), 0, ZoneOffset.UTC)));
            second = cached;
        }
        int millis = at.getNano() / 1_000_000;
        json.append('"').append(cached.text()).append('.').append((char) ('0' + millis / 100))
                .append((char) ('0' + millis / 10 % 10)).append((char) ('0' + millis % 10)).append("Z\"");
    }

    /** A JSON string (or null): quotes, backslashes and control characters escaped. */
    private static void string(StringBuilder json, String value) {
        if (value == null) {
            json.append("null");
            return;
        }
        json.append('"');
        int plain = 0;
        int n = value.length();
        while (plain < n && value.charAt(plain) >= 0x20 && value.charAt(plain) != '"' && value.charAt(plain) != '\\') {
            plain++;
        }
        if (plain == n) {
            json.append(value).append('"'); // most values need no escape: one copy
            return;
        }
        json.append(value, 0, plain);
        for (int i = plain; i < n; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }
}
