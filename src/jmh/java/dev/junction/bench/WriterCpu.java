package dev.junction.bench;

import dev.junction.core.Attempt;
import dev.junction.core.EndReason;
import dev.junction.core.TokenSource;
import dev.junction.core.TokenUsage;
import dev.junction.core.Units;
import dev.junction.store.Database;
import dev.junction.usage.UsageRecord;
import dev.junction.usage.UsageWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * CPU time the usage writer spends per record, as the gateway's own traffic gives it: one key, one
 * model, one channel, chat, a record per request (what bench/ loads the gateway with). The records
 * are made first; then the writer stores them on a fresh SQLite file, and the writer thread's CPU
 * time (ThreadMXBean) is read around it. To compare two builds, run each in turn (alternating).
 * Given a rate, the records are offered at that many per second, so batches form as under the
 * gateway's traffic (one per linger interval); else all at once, in full batches.
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat target/usage-bench.cp) dev.junction.bench.WriterCpu [records] [rounds] [per second]</pre>
 * (or {@code -cp <this class's folder>:target/junction.jar}, which logs less).
 */
public final class WriterCpu {

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < rounds; round++) {
            Path dir = Files.createTempDirectory("writer-cpu");
            try (Database db = Database.open("sqlite:" + dir.resolve("usage.db"))) {
                long now = System.currentTimeMillis();
                UsageRecord[] batch = new UsageRecord[records];
                for (int i = 0; i < records; i++) {
                    long at = now - (records - i) * 2L;
                    // Ids as the gateway's (RequestIds): base-36 millis first, so they arrive in order.
                    String id = "req_" + Long.toString(at, 36) + String.format(Locale.ROOT, "%08d", i);
                    batch[i] = new UsageRecord(id, Instant.ofEpochMilli(at), "bench", "bench",
                            "fake", "fake-model", 200, new TokenUsage(40, 12, 0, 0, 0), 3, -1, false,
                            List.of(new Attempt("fake", "cdef", 200, "ok", 3)), EndReason.DONE, 1L, 1L, 120L, "openai",
                            TokenSource.PROVIDER, "127.0.0.1", null, null, 1, "chat", Units.tokens(new TokenUsage(40, 12, 0, 0, 0)));
                }
                long cpu;
                long started = System.nanoTime();
                try (UsageWriter writer = UsageWriter.start(db, records + 1)) {
                    long before = totalWriterCpu(threads);
                    long start = System.nanoTime();
                    for (int i = 0; i < records; i++) {
                        if (rate > 0 && i % 10 == 0) {
                            long due = start + i * 1_000_000_000L / rate;
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            }
                        }
                        writer.record(batch[i]);
                    }
                    writer.flush(1, TimeUnit.HOURS);
                    cpu = totalWriterCpu(threads) - before;
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf(Locale.ROOT, "round %d: %,d records, writer thread CPU %.2f µs per record, %,.0f records/s%n",
                        round, records, cpu / 1e3 / records, records / seconds);
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(dir);
            }
        }
    }

    /** CPU time of the usage writer's thread(s). */
    private static long totalWriterCpu(ThreadMXBean threads) {
        long sum = 0;
        for (var info : threads.dumpAllThreads(false, false)) {
            if (info.getThreadName().contains("usage")) {
                sum += threads.getThreadCpuTime(info.getThreadId());
            }
        }
        return sum;
    }
}
