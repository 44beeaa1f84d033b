package dev.junction.bench;

import dev.junction.core.Attempt;
import dev.junction.core.EndReason;
import dev.junction.core.TokenSource;
import dev.junction.core.TokenUsage;
import dev.junction.store.Database;
import dev.junction.usage.UsageRecord;
import dev.junction.usage.UsageWriter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a {@code kill -9} of the usage writer loses, measured (issue 13): a child JVM feeds the real
 * {@link UsageWriter} at a given rate and reports every 5 ms how many records it has handed over;
 * the parent kills it with SIGKILL ({@code Process.destroyForcibly}) after a while, then opens the
 * database again and checks: it opens (SQLite: {@code PRAGMA integrity_check}), the stored rows are
 * exactly the first n handed over (no gap, no partial row: every column the writer sets is set),
 * the rollups count exactly the stored rows (same transaction), and how many handed-over records
 * are missing. Each rate runs in a fresh database.
 *
 * <pre>
 * bench/kill9.sh                      (rates 500/s, 2,000/s and as fast as possible; 8 s each)
 * bench/kill9.sh --db postgresql://root@127.0.0.1:5432/test?currentSchema=kill9 --rates 1000
 * </pre>
 */
public final class KillNine {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(args[1], Long.parseLong(args[2]));
            return;
        }
        String db = arg(args, "--db", null);
        String[] rates = arg(args, "--rates", "500,2000,0").split(",");
        long seconds = Long.parseLong(arg(args, "--seconds", "8"));
        for (String rate : rates) {
            String url;
            if (db == null) {
                Path dir = Files.createTempDirectory("kill9");
                url = "sqlite:" + dir.resolve("usage.db");
            } else {
                url = db;
                try (Database d = Database.open(url)) {
                    d.jdbi().useHandle(h -> {
                        h.execute("DELETE FROM usage");
                        for (String t : List.of("usage_minute", "usage_hour", "usage_day", "usage_route_hour",
                                "usage_route_day", "usage_account_hour", "usage_account_day")) {
                            h.execute("DELETE FROM " + t);
                        }
                    });
                }
            }
            run(url, Long.parseLong(rate), seconds);
        }
    }

    private static void run(String url, long rate, long seconds) throws Exception {
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), KillNine.class.getName(), "--child", url,
                Long.toString(rate)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        AtomicLong handed = new AtomicLong(-1);
        AtomicLong queued = new AtomicLong();
        AtomicLong dropped = new AtomicLong();
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    String[] parts = line.split(" ");
                    if (parts.length == 4 && parts[0].equals("handed")) {
                        handed.set(Long.parseLong(parts[1]));
                        queued.set(Long.parseLong(parts[2]));
                        dropped.set(Long.parseLong(parts[3]));
                    }
                }
            } catch (java.io.IOException e) {
                // the child is gone
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 30);
        while (handed.get() < 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        long before = handed.get();
        long queuedBefore = queued.get();
        child.destroyForcibly(); // SIGKILL
        child.waitFor();
        reader.join();
        long handedOver = handed.get();
        try (Database d = Database.open(url)) {
            String integrity = d.dialect() == Database.Dialect.SQLITE
                    ? d.jdbi().withHandle(h -> h.createQuery("PRAGMA integrity_check").mapTo(String.class).one())
                    : "n/a (PostgreSQL)";
            long rows = d.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM usage").mapTo(Long.class).one());
            long maxSeq = d.jdbi().withHandle(h -> h.createQuery(
                    "SELECT COALESCE(MAX(CAST(SUBSTR(request_id, 4) AS BIGINT)), -1) FROM usage").mapTo(Long.class).one());
            long partial = d.jdbi().withHandle(h -> h.createQuery("""
                    SELECT COUNT(*) FROM usage WHERE request_id IS NULL OR public_model IS NULL OR channel IS NULL
                      OR attempts IS NULL OR end_reason IS NULL OR cost_micros IS NULL OR client_api IS NULL
                      OR token_source IS NULL OR user_id IS NULL OR team_id IS NULL OR config_version IS NULL""")
                    .mapTo(Long.class).one());
            List<Long> rollups = new ArrayList<>();
            for (String t : List.of("usage_minute", "usage_hour", "usage_day", "usage_route_hour", "usage_route_day",
                    "usage_account_hour", "usage_account_day")) {
                rollups.add(d.jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(SUM(requests), 0) FROM " + t)
                        .mapTo(Long.class).one()));
            }
            boolean rollupsMatch = rollups.stream().allMatch(r -> r == rows);
            System.out.printf(Locale.ROOT, "rate %s: killed after %d s; handed to the writer %,d (%,d queued at the"
                    + " last report, %,d dropped by the full queue before the kill); stored %,d, the first %,d in order: %s; lost %,d; partial rows %d; rollups"
                    + " equal to the stored rows: %s; integrity_check: %s%n",
                    rate == 0 ? "as fast as possible" : rate + "/s", seconds, handedOver, queuedBefore, dropped.get(), rows, maxSeq + 1,
                    maxSeq + 1 == rows ? "no gap" : "GAP", handedOver - rows, partial, rollupsMatch ? "yes" : "NO " + rollups,
                    integrity);
            if (before < 0) {
                System.out.println("  (the child never reported: it did not start)");
            }
        }
    }

    /** Feeds the writer at {@code rate} records a second (0: as fast as its queue takes them). */
    private static void child(String url, long rate) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        Database db = Database.open(url);
        UsageWriter writer = UsageWriter.start(db, 10_000);
        long started = System.nanoTime();
        long lastReport = 0;
        for (long i = 0; ; i++) {
            if (rate > 0) {
                long due = started + i * 1_000_000_000L / rate;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
            } else {
                while (writer.queued() > 9_000) {
                    Thread.sleep(1);
                }
            }
            writer.record(new UsageRecord("k9-" + i, Instant.now(), "key-1", "model-1", "ch1", "upstream-1", 200,
                    new TokenUsage(100, 20, 0, 0, 0), 250, 90, true, List.of(new Attempt("ch1", "x9Qa", 200, "ok", 240)),
                    EndReason.DONE, 1L, 1L, 1234L, "openai", TokenSource.PROVIDER, "10.0.0.1", 1L, 1L, 1));
            long now = System.nanoTime();
            if (now - lastReport > 5_000_000L) {
                lastReport = now;
                out.println("handed " + (i + 1) + " " + writer.queued() + " " + writer.dropped());
                out.flush();
            }
        }
    }

    private static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
