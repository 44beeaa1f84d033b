package dev.junction.bench;

import dev.junction.core.Attempt;
import dev.junction.core.EndReason;
import dev.junction.core.TokenSource;
import dev.junction.core.TokenUsage;
import dev.junction.store.Database;
import dev.junction.usage.BulkLoad;
import dev.junction.usage.UsageRecord;
import dev.junction.usage.UsageStats;
import dev.junction.usage.UsageStats.Bucket;
import dev.junction.usage.UsageStats.Dimension;
import dev.junction.usage.UsageStats.Filter;
import dev.junction.usage.UsageStats.RawFilter;
import dev.junction.usage.UsageWriter;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The usage store at scale (issue 13): fills a database with N raw rows (default 20 M) through the
 * real {@link UsageWriter} (raw rows and their minute, hour and day rollups in one transaction per
 * batch), spread over 30 days, then times the dashboard's queries and a CSV export.
 *
 * <pre>
 * bench/usage.sh --db sqlite:/tmp/usage-bench.db --rows 20000000
 * bench/usage.sh --db postgresql://root@127.0.0.1:5432/test?currentSchema=usage_bench --rows 20000000
 * </pre>
 *
 * Reports: the writer's sustained rows/s; the 30-day breakdown by model and by channel (day
 * rollups); the newest 50 raw rows under each filter; a CSV export of at least 1 M rows with the
 * heap's peak (run with a small -Xmx to show it is bounded); the dashboard's pages (Overview over
 * each range, Logs pages, a request's detail) rendered by a real gateway on the same database.
 * Medians of 7 runs after 2 warm-ups.
 *
 * <p>Options: {@code --shape realistic} (default: each key uses 4 of the 20 models, each model is
 * served by 2 of the 30 channels) or {@code independent} (key, model and channel drawn
 * independently: the worst case for the rollups); {@code --writer-rows N} (default 100,000): the
 * newest N rows go through the real queue-fed {@link UsageWriter}, whose rate is reported, the rest
 * are loaded before in batches of 20,000 through the writer's own transaction ({@code BulkLoad}:
 * the same raw rows and rollups, fewer transactions); {@code --no-fill}; {@code --no-pages}.
 */
public final class UsageBench {

    private static final long DAY = 86_400_000L;

    public static void main(String[] args) throws Exception {
        String url = arg(args, "--db", "sqlite:target/usage-bench/usage.db");
        long rows = Long.parseLong(arg(args, "--rows", "20000000"));
        long writerRows = Math.min(rows, Long.parseLong(arg(args, "--writer-rows", "100000")));
        independent = arg(args, "--shape", "realistic").equals("independent");
        boolean fill = !Arrays.asList(args).contains("--no-fill");
        sqlFill = !arg(args, "--fill", "sql").equals("writer");
        // The data ends at the hour before the run, so the dashboard's ranges (last hour, day, week,
        // month, counted back from the gateway's clock) fall on it.
        long now = System.currentTimeMillis() / 3_600_000L * 3_600_000L;
        long from = now - 30 * DAY;
        try (Database db = Database.open(url)) {
            if (fill) {
                now = fill(db, rows, writerRows, from, now);
                from = now - 30 * DAY;
            } else {
                now = db.jdbi().withHandle(h -> h.createQuery("SELECT MAX(ts) FROM usage").mapTo(Long.class).one()) + 1;
                from = now - 30 * DAY;
            }
            long t1 = now;
            long t0 = from;
            long total = db.jdbi().withHandle(h -> h.createQuery("SELECT MAX(id) FROM usage").mapTo(Long.class).one());
            System.out.printf(Locale.ROOT, "database %s, %,d raw rows%n", url.replaceAll("//[^@]*@", "//"), total);
            db.jdbi().useHandle(h -> h.execute("ANALYZE"));
            // Every rollup holds the raw rows' requests, tokens, cost and latency (the SQL fill and the writer agree).
            String raw = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) || ' ' || SUM(prompt_tokens) || ' '"
                    + " || SUM(COALESCE(cost_micros, 0)) || ' ' || SUM(latency_ms) FROM usage").mapTo(String.class).one());
            String endpointRaw = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) || ' ' || SUM(prompt_tokens)"
                    + " || ' ' || SUM(COALESCE(cost_micros, 0)) || ' ' || SUM(latency_ms) FROM usage"
                    + " WHERE endpoint IS NOT NULL").mapTo(String.class).one());
            for (String table : List.of("usage_minute", "usage_hour", "usage_day", "usage_route_hour", "usage_route_day",
                    "usage_account_hour", "usage_account_day", "usage_endpoint_day", "usage_endpoint_narrow_hour",
                    "usage_endpoint_narrow_day", "usage_version")) {
                // The endpoint rollups fold only rows that name an endpoint (the writer's sample rows do not).
                String expected = table.startsWith("usage_endpoint") ? endpointRaw : raw;
                String latency = table.startsWith("usage_endpoint") ? "'" + expected.split(" ")[3] + "'"
                        : "SUM(latency_ms_sum)";
                String sums = db.jdbi().withHandle(h -> h.createQuery("SELECT SUM(requests) || ' ' || SUM(prompt_tokens)"
                        + " || ' ' || SUM(cost_micros) || ' ' || " + latency + " FROM " + table).mapTo(String.class).one());
                System.out.printf(Locale.ROOT, "check %-20s %s%n", table, sums.equals(expected)
                        ? "= raw rows (" + expected + ")" : "DIFFERS: " + sums + " vs raw " + expected);
            }
            UsageStats stats = new UsageStats(db);
            time("30-day top 20 by model (day rollups)", () -> stats.top(Bucket.DAY, t0, t1, Filter.NONE,
                    Dimension.MODEL, UsageStats.Metric.REQUESTS, 20).size());
            time("30-day top 20 by channel (day rollups)", () -> stats.top(Bucket.DAY, t0, t1, Filter.NONE,
                    Dimension.CHANNEL, UsageStats.Metric.COST, 20).size());
            time("30-day totals (day rollups)", () -> (int) stats.totals(Bucket.DAY, t0, t1, Filter.NONE).requests());
            time("30-day series by model, hourly (hour rollups)", () -> stats.series(Bucket.HOUR, t0, t1,
                    Filter.NONE, Dimension.MODEL, 10).size());
            time("30-day top 20 by key (day rollups)", () -> stats.top(Bucket.DAY, t0, t1, Filter.NONE,
                    Dimension.KEY, UsageStats.Metric.COST, 20).size());
            time("30-day top 20 by user (day rollups)", () -> stats.top(Bucket.DAY, t0, t1, Filter.NONE,
                    Dimension.USER, UsageStats.Metric.REQUESTS, 20).size());
            time("30-day series, daily (Overview, month)", () -> stats.series(Bucket.DAY, t0, t1,
                    Filter.NONE, null, 10).size());
            time("7-day series, hourly (Overview, week)", () -> stats.series(Bucket.HOUR, t1 - 7 * DAY, t1,
                    Filter.NONE, null, 10).size());
            time("7-day top 8 by channel (hour rollups)", () -> stats.top(Bucket.HOUR, t1 - 7 * DAY, t1,
                    Filter.NONE, Dimension.CHANNEL, UsageStats.Metric.REQUESTS, 8).size());
            time("1-hour series by model, per minute", () -> stats.series(Bucket.MINUTE, t1 - DAY / 24, t1,
                    Filter.NONE, Dimension.MODEL, 10).size());
            time("30-day top 8 by model for one user (member)", () -> stats.top(Bucket.DAY, t0, t1,
                    new Filter(null, 3L, null, null, null, null, null), Dimension.MODEL, UsageStats.Metric.TOKENS, 8).size());
            time("7-day series by channel, hourly, one key", () -> stats.series(Bucket.HOUR, t1 - 7 * DAY, t1,
                    new Filter(7L, null, null, null, null, null, null), Dimension.CHANNEL, 10).size());
            List<RawFilter> filters = List.of(
                    new RawFilter(t0, t1, null, null, null, null, null, null),
                    new RawFilter(t0, t1, 7L, null, null, null, null, null),
                    new RawFilter(t0, t1, null, 3L, null, null, null, null),
                    new RawFilter(t0, t1, null, null, "model-4", null, null, null),
                    new RawFilter(t0, t1, null, null, null, 4L, null, null),
                    new RawFilter(t0, t1, null, null, null, null, 502, null),
                    new RawFilter(t0, t1, null, null, null, null, null, "client_gone"));
            List<String> names = List.of("none", "key", "user", "model", "channel", "status 502", "end_reason client_gone");
            for (int i = 0; i < filters.size(); i++) {
                RawFilter f = filters.get(i);
                time("newest 50 raw rows, filter " + names.get(i), () -> stats.rows(f, null, 50).size());
            }
            export(stats, t0, t1);
        }
        if (!Arrays.asList(args).contains("--no-pages")) {
            DashboardPages.time(url);
        }
        if (Arrays.asList(args).contains("--drop")) {
            drop(url);
        }
    }

    /** Deletes the benchmark's database (the SQLite file, or the PostgreSQL schema). */
    private static void drop(String url) throws Exception {
        if (url.startsWith("sqlite:")) {
            String file = url.substring("sqlite:".length());
            for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
                java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(file + suffix));
            }
            System.out.println("dropped " + file);
            return;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("currentSchema=([A-Za-z0-9_]+)").matcher(url);
        if (!m.find()) {
            System.out.println("not dropped: no currentSchema in the URL");
            return;
        }
        try (Database db = Database.open(url.replaceAll("currentSchema=[A-Za-z0-9_]+", "currentSchema=public"))) {
            db.jdbi().useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + m.group(1) + " CASCADE"));
        }
        System.out.println("dropped schema " + m.group(1));
    }

    /** Whether the rows before the writer's are generated by SQL ({@link SqlFill}) rather than through {@code BulkLoad}. */
    private static boolean sqlFill;

    /** Fills the database; returns the end of the rows' span (the "now" they lead up to). */
    private static long fill(Database db, long rows, long writerRows, long from, long now) throws Exception {
        SplittableRandom random = new SplittableRandom(13);
        long bulk = rows - writerRows;
        long started = System.nanoTime();
        long lastReport = started;
        List<UsageRecord> batch = new ArrayList<>(20_000);
        if (sqlFill && bulk > 0) {
            SqlFill.fill(db, bulk, from, from + (long) ((now - from) * (bulk / (double) rows)));
        }
        for (long i = 0; i < (sqlFill ? 0 : bulk); i++) {
            batch.add(row(i, from + (long) ((now - from) * (i / (double) rows)) + random.nextLong(1000), random));
            if (batch.size() == 20_000 || i == bulk - 1) {
                BulkLoad.write(db, batch);
                batch.clear();
                if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(30)) {
                    lastReport = System.nanoTime();
                    System.out.printf(Locale.ROOT, "  ... %,d rows loaded, %,.0f rows/s%n", i + 1,
                            (i + 1) / ((lastReport - started) / 1e9));
                }
            }
        }
        if (bulk > 0 && !sqlFill) {
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "bulk load: %,d rows in %.1f s = %,.0f rows/s (raw rows + 7 rollup tables,"
                    + " 20,000 rows a transaction)%n", bulk, seconds, bulk / seconds);
        }
        int capacity = 100_000;
        started = System.nanoTime();
        lastReport = started;
        try (UsageWriter writer = UsageWriter.start(db, capacity)) {
            for (long i = bulk; i < rows; i++) {
                while (writer.queued() > capacity - 1000) {
                    Thread.sleep(1);
                }
                writer.record(row(i, from + (long) ((now - from) * (i / (double) rows)) + random.nextLong(1000), random));
                if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(30)) {
                    lastReport = System.nanoTime();
                    System.out.printf(Locale.ROOT, "  ... %,d rows, %,.0f rows/s%n", i - bulk,
                            (i - bulk) / ((lastReport - started) / 1e9));
                }
            }
            writer.flush(1, TimeUnit.HOURS);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "writer: %,d rows in %.1f s = %,.0f rows/s sustained on a table of %,d rows"
                    + " (raw rows + 7 rollup tables, dropped %d)%n", rows - bulk, seconds, (rows - bulk) / seconds, rows,
                    writer.dropped());
        }
        return now + 1000;
    }

    /** Draw key, model and channel independently (the rollups' worst case) instead of the realistic shape. */
    private static boolean independent;

    private static UsageRecord row(long i, long t, SplittableRandom r) {
        int key = 1 + r.nextInt(200);
        // Realistic: a key uses 4 of the 20 models, a model is served by 2 of the 30 channels.
        int model = independent ? r.nextInt(20) : (key * 7 + r.nextInt(4)) % 20;
        int channel = independent ? 1 + r.nextInt(30) : 1 + (model * 3 + r.nextInt(2) * 17) % 30;
        int roll = r.nextInt(100);
        int status = roll < 2 ? 502 : roll < 4 ? 429 : roll < 5 ? 499 : 200;
        EndReason end = status == 200 ? EndReason.DONE : status == 499 ? EndReason.CLIENT_GONE : EndReason.FAILED;
        List<Attempt> attempts = roll < 8 ? List.of(new Attempt("ch" + channel, "x9Qa", 429, "HTTP 429", 12),
                new Attempt("ch" + channel, "b7Zt", 200, "ok", 800)) : List.of(new Attempt("ch" + channel, "x9Qa", 200, "ok", 800));
        long input = 200 + r.nextInt(4000);
        long output = 20 + r.nextInt(1500);
        return new UsageRecord("req_" + Long.toString(i, 36) + "_" + r.nextInt(1 << 20), Instant.ofEpochMilli(t),
                "key-" + key, "model-" + model, "ch" + channel, "upstream-" + model, status,
                new TokenUsage(input, output, input / 4, 0, output / 5), 300 + r.nextInt(20_000), 100 + r.nextInt(3000),
                r.nextBoolean(), attempts, end, (long) key, (long) channel, model == 19 ? null : input * 3 + output * 12L,
                r.nextBoolean() ? "openai" : "anthropic", roll == 50 ? TokenSource.ESTIMATED : TokenSource.PROVIDER,
                "10.0." + r.nextInt(256) + "." + r.nextInt(256), (long) (1 + key % 50), (long) (1 + key % 8), 3);
    }

    private static void export(UsageStats stats, long from, long now) {
        // The newest rows until at least 1 M, written as CSV lines to a sink; the heap's peak shows
        // whether anything grows with the row count.
        long[] count = {0};
        long[] bytes = {0};
        OutputStream sink = OutputStream.nullOutputStream();
        System.gc();
        resetPeaks();
        long started = System.nanoTime();
        try {
            stats.each(new RawFilter(from, now, null, null, null, null, null, null), row -> {
                if (count[0] >= 1_000_000) {
                    throw new Done();
                }
                String line = row.ts() + "," + row.requestId() + "," + row.keyName() + "," + row.publicModel() + ","
                        + row.channel() + "," + row.upstreamModel() + "," + row.status() + "," + row.endReason() + ","
                        + row.promptTokens() + "," + row.completionTokens() + "," + row.costMicros() + "," + row.latencyMs()
                        + "," + row.firstByteMs() + "\r\n";
                byte[] b = line.getBytes(StandardCharsets.UTF_8);
                try {
                    sink.write(b);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                bytes[0] += b.length;
                count[0]++;
            });
        } catch (Done enough) {
            // 1 M rows written: the export stops there (a larger table has more).
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "CSV export: %,d rows (%,d MB) in %.1f s = %,.0f rows/s; heap peak %,d MB of max %,d MB%n",
                count[0], bytes[0] >> 20, seconds, count[0] / seconds, peakHeap() >> 20,
                Runtime.getRuntime().maxMemory() >> 20);
    }

    /** Ends an export early. */
    private static final class Done extends RuntimeException {
        Done() {
            super(null, null, false, false);
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private static void time(String what, Supplier<Integer> query) {
        for (int i = 0; i < 2; i++) {
            query.get();
        }
        List<Double> millis = new ArrayList<>();
        int size = 0;
        for (int i = 0; i < 7; i++) {
            long t = System.nanoTime();
            size = query.get();
            millis.add((System.nanoTime() - t) / 1e6);
        }
        millis.sort(null);
        System.out.printf(Locale.ROOT, "%-55s median %8.1f ms  [min %.1f, max %.1f]  (%d results)%n", what,
                millis.get(3), millis.getFirst(), millis.getLast(), size);
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
