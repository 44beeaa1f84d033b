package dev.junction.usage;

import dev.junction.core.Attempt;
import dev.junction.core.EndReason;
import dev.junction.core.TokenSource;
import dev.junction.core.TokenUsage;
import dev.junction.core.Units;
import dev.junction.store.Database;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The usage writer's CPU per record, alone: rows like the gateway's (time-ordered request ids, one
 * attempt, five token counts, a cost) written through {@link UsageWriter#write(Database, List)} in
 * batches, into a fresh SQLite database per round, timed by the thread's CPU clock. In this package
 * because that method is package-private; compiled against the jar:
 *
 * <pre>
 * javac -d /tmp/wcpu -cp target/junction.jar bench/src/dev/junction/usage/WriterCpu.java
 * java -cp /tmp/wcpu:target/junction.jar dev.junction.usage.WriterCpu 60000 4 2000   (records, rounds, batch)
 * </pre>
 *
 * The first round includes the JIT's warm-up; read the later ones.
 */
public final class WriterCpu {

    public static void main(String[] args) throws Exception {
        int records = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        var threads = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < rounds; round++) {
            Path dir = Files.createTempDirectory("junction-writer-cpu");
            try (Database db = Database.open("sqlite:" + dir.resolve("usage.db"))) {
                List<UsageRecord> all = rows(records);
                long before = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < records; i += batch) {
                    UsageWriter.write(db, new ArrayList<>(all.subList(i, Math.min(records, i + batch))));
                }
                long cpu = threads.getCurrentThreadCpuTime() - before;
                System.out.printf("round %d: %.2f µs of CPU per record%n", round, cpu / 1000.0 / records);
            }
        }
    }

    private static List<UsageRecord> rows(int records) {
        List<UsageRecord> rows = new ArrayList<>(records);
        long at = 1_764_000_000_000L;
        TokenUsage tokens = new TokenUsage(30, 40, 0, 0, 0);
        for (int i = 0; i < records; i++) {
            at++;
            rows.add(new UsageRecord("req_" + Long.toString(at, 36) + String.format("%08d", i), Instant.ofEpochMilli(at),
                    "bench", i % 3 == 0 ? "gpt" : "claude", "fake", "bench-model", 200, tokens, 12, 5, i % 2 == 0,
                    List.of(new Attempt("fake", "…cdef", 200, "ok", 12)), EndReason.DONE, 1L, 1L, 123L, "openai",
                    TokenSource.PROVIDER, "127.0.0.1", null, null, 1, "chat", Units.tokens(tokens)));
        }
        return rows;
    }
}
