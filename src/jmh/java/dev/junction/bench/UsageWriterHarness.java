package dev.junction.bench;

import dev.junction.core.Attempt;
import dev.junction.core.EndReason;
import dev.junction.core.TokenUsage;
import dev.junction.store.Database;
import dev.junction.usage.UsageRecord;
import dev.junction.usage.UsageWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Rows per second the usage writer stores on PostgreSQL (127.0.0.1:5432, database test, a
 * throw-away schema) with three instances writing at once: three {@link Database}s and writers,
 * each fed as fast as its queue takes records. Run with batched inserts rewritten into multi-row
 * INSERTs (the default) and, for comparison, without ({@code reWriteBatchedInserts=false}).
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.junction.bench.UsageWriterHarness [rows per writer]</pre>
 */
public final class UsageWriterHarness {

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        // A first round warms the JIT; then each mode twice, alternating.
        for (String mode : List.of("", "&reWriteBatchedInserts=false", "", "&reWriteBatchedInserts=false", "")) {
            String schema = "junction_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try {
                double perSecond = run("postgresql://root@127.0.0.1:5432/test?currentSchema=" + schema + mode, 3, rows);
                System.out.printf("%s: 3 writers x %d rows: %.0f rows/s%n",
                        mode.isEmpty() ? "multi-row INSERT (reWriteBatchedInserts)" : "one INSERT per row (batched)",
                        rows, perSecond);
            } finally {
                try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "root", "");
                        Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }
    }

    private static double run(String url, int writers, int rows) throws Exception {
        List<Database> databases = new ArrayList<>();
        List<UsageWriter> usage = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            Database database = Database.open(url);
            databases.add(database);
            usage.add(UsageWriter.start(database, 10_000));
        }
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                UsageWriter writer = usage.get(w);
                int instance = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < rows; i++) {
                        while (writer.queued() > 8_000) {
                            Thread.onSpinWait();
                            Thread.yield();
                        }
                        writer.record(record(instance, i));
                    }
                    writer.flush(5, TimeUnit.MINUTES);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long stored = databases.getFirst().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM usage")
                .mapTo(Long.class).one());
        long dropped = usage.stream().mapToLong(UsageWriter::dropped).sum();
        usage.forEach(UsageWriter::close);
        databases.forEach(Database::close);
        if (stored != (long) writers * rows - dropped) {
            throw new IllegalStateException("stored " + stored + " rows, expected " + ((long) writers * rows - dropped));
        }
        System.out.printf("  stored %d rows (%d dropped) in %.1f s%n", stored, dropped, seconds);
        return stored / seconds;
    }

    private static UsageRecord record(int instance, int i) {
        return new UsageRecord("req-" + instance + "-" + i, Instant.now(), "key-" + (i % 10), "gpt-4o-mini",
                "openai-" + (i % 3), "gpt-4o-mini-2024-07-18", 200, new TokenUsage(1200, 350, 0, 0, 0), 840, 210,
                i % 2 == 0, List.of(new Attempt("openai-" + (i % 3), "…abcd", 200, "ok", 830)), EndReason.DONE,
                (long) (i % 10) + 1, (long) (i % 3) + 1);
    }
}
