package dev.junction.bench;

import dev.junction.store.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Handle;

/**
 * Fills the usage tables in bulk with SQL (issue 13's 20 M-row benchmark): the raw rows generated
 * by the database itself ({@code generate_series} on PostgreSQL, a recursive CTE on SQLite), 1 M a
 * statement, with the raw table's secondary indexes dropped during the load and built again after;
 * then every rollup table the writer keeps (minute, hour, day; route and account; endpoint, full
 * and narrow; per version) summed from them with {@code INSERT ... SELECT ... GROUP BY}, each grain
 * from the one below. Same data shape as {@link UsageBench}'s realistic rows: 200 keys (50 users, 8 teams), each
 * key using 4 of 20 models, each model served by 2 of 30 channels; 2 % 502, 2 % 429, 1 % client
 * gone; 8 % failed over; one model without a price; spread evenly over the span with jitter.
 * Each rollup is inserted in bucket order, as the writer's time-ordered batches leave it on disk
 * (a table in hash order would make every bucket range a scatter of page reads). Minutes instead
 * of the writer's hours: the writer's rate is measured apart.
 */
final class SqlFill {

    private static final int CHUNK = 1_000_000;

    private SqlFill() {
    }

    static void fill(Database db, long rows, long from, long to) {
        boolean pg = db.dialect() == Database.Dialect.POSTGRESQL;
        long started = System.nanoTime();
        db.jdbi().useHandle(h -> {
            if (pg) {
                h.execute("SET synchronous_commit TO OFF");
                h.execute("SET work_mem TO '256MB'");
                h.execute("SET maintenance_work_mem TO '512MB'");
            } else {
                h.execute("PRAGMA synchronous = OFF");
                h.execute("PRAGMA cache_size = -262144");
            }
            for (String table : List.of("usage", "usage_minute", "usage_hour", "usage_day", "usage_route_hour",
                    "usage_route_day", "usage_account_hour", "usage_account_day", "usage_endpoint_minute",
                    "usage_endpoint_hour", "usage_endpoint_day", "usage_endpoint_narrow_hour",
                    "usage_endpoint_narrow_day", "usage_version")) {
                h.execute("DELETE FROM " + table);
            }
            List<String[]> indexes = pg
                    ? h.createQuery("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'usage'"
                            + " AND schemaname = current_schema() AND indexname <> 'usage_pkey'")
                            .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).list()
                    : h.createQuery("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'usage'"
                            + " AND sql IS NOT NULL").map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                            .list();
            for (String[] index : indexes) {
                h.execute("DROP INDEX " + index[0]);
            }
            long t = System.nanoTime();
            for (long a = 0; a < rows; a += CHUNK) {
                long b = Math.min(rows, a + CHUNK) - 1;
                String sql = raw(pg, a, b, rows, from, to - from);
                h.useTransaction(tx -> tx.execute(sql));
                System.out.printf(Locale.ROOT, "  ... %,d raw rows, %,.0f rows/s%n", b + 1,
                        (b + 1) / ((System.nanoTime() - t) / 1e9));
            }
            report("raw rows (no secondary index)", t, rows);
            t = System.nanoTime();
            for (String[] index : indexes) {
                h.execute(index[1]);
            }
            report(indexes.size() + " raw-table indexes built", t, rows);
            t = System.nanoTime();
            h.useTransaction(tx -> rollups(tx));
            report("rollups (minute, hour, day; route, account, endpoint, version)", t, rows);
            t = System.nanoTime();
            h.execute(pg ? "VACUUM ANALYZE" : "ANALYZE");
            if (!pg) {
                h.execute("PRAGMA synchronous = NORMAL");
                h.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            report(pg ? "VACUUM ANALYZE" : "ANALYZE", t, rows);
        });
        report("SQL fill, total", started, rows);
    }

    private static void report(String what, long startedNanos, long rows) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        System.out.printf(Locale.ROOT, "sql fill: %-62s %8.1f s (%,.0f rows/s)%n", what, seconds, rows / seconds);
    }

    /** A random integer in [0, n) in the dialect's SQL. */
    private static String r(boolean pg, int n) {
        return pg ? "floor(random() * " + n + ")::bigint" : "abs(random() % " + n + ")";
    }

    /** Rows {@code a..b} (inclusive) of {@code n}, spread over {@code span} ms from {@code from}. */
    static String raw(boolean pg, long a, long b, long n, long from, long span) {
        // SQLite would flatten a subquery into its outer query and draw random() once per use of a
        // column, so its draws are materialized first (PostgreSQL never pulls up volatile functions).
        String series = pg ? "generate_series(" + a + ", " + b + ") AS s(i)" : "s";
        String gen = "SELECT i, 1 + " + r(pg, 200) + " AS k, " + r(pg, 100) + " AS roll, " + r(pg, 4) + " AS r4, "
                + r(pg, 2) + " AS r2, 200 + " + r(pg, 4000) + " AS inp, 20 + " + r(pg, 1500) + " AS outp, 300 + "
                + r(pg, 20_000) + " AS lat, 100 + " + r(pg, 3000) + " AS fb, " + r(pg, 2) + " AS st, " + r(pg, 2)
                + " AS api, " + r(pg, 256) + " AS ip1, " + r(pg, 256) + " AS ip2, " + r(pg, 1000) + " AS jitter FROM "
                + series;
        String m = "((k * 7 + r4) % 20)";
        String c = "(1 + (" + m + " * 3 + r2 * 17) % 30)";
        String one = "'{\"channel\":\"ch' || " + c + " || '\",\"key\":\"x9Qa\",\"status\":200,\"outcome\":\"ok\",\"ms\":800}'";
        String two = "'{\"channel\":\"ch' || " + c + " || '\",\"key\":\"x9Qa\",\"status\":429,\"outcome\":\"HTTP 429\","
                + "\"ms\":12},{\"channel\":\"ch' || " + c + " || '\",\"key\":\"b7Zt\",\"status\":200,\"outcome\":\"ok\","
                + "\"ms\":800}'";
        String with = pg ? "" : "WITH RECURSIVE s(i) AS (SELECT " + a + " UNION ALL SELECT i + 1 FROM s WHERE i < " + b
                + "), d AS MATERIALIZED (" + gen + ") ";
        return with + "INSERT INTO usage (request_id, ts, key_name, public_model, channel, upstream_model, status,"
                + " prompt_tokens, completion_tokens, cached_read_tokens, cache_write_tokens, reasoning_tokens,"
                + " latency_ms, first_byte_ms, stream, attempts, end_reason, key_id, channel_id, cost_micros, client_api,"
                + " token_source, client_ip, user_id, team_id, config_version, endpoint, units, unit, unit_detail,"
                + " units_estimated) SELECT 'sql_' || i, " + from + " + (i * " + span + ") / " + n + " + jitter,"
                + " 'key-' || k, 'model-' || " + m + ", 'ch' || " + c + ", 'upstream-' || " + m + ","
                + " CASE WHEN roll < 2 THEN 502 WHEN roll < 4 THEN 429 WHEN roll < 5 THEN 499 ELSE 200 END,"
                + " inp, outp, inp / 4, 0, outp / 5, lat, fb, st = 1, '[' || CASE WHEN roll < 8 THEN " + two + " ELSE "
                + one + " END || ']', CASE WHEN roll < 4 THEN 'failed' WHEN roll < 5 THEN 'client_gone' ELSE 'done' END,"
                + " k, " + c + ", CASE WHEN " + m + " = 19 THEN NULL ELSE inp * 3 + outp * 12 END,"
                + " CASE WHEN api = 0 THEN 'openai' ELSE 'anthropic' END,"
                + " CASE WHEN roll = 50 THEN 'estimated' ELSE 'provider' END, '10.0.' || ip1 || '.' || ip2,"
                + " 1 + k % 50, 1 + k % 8, 3, 'chat', inp + outp, 'token', NULL, FALSE FROM " + (pg ? "(" + gen + ") g" : "d");
    }

    private static final List<String> FULL = List.of("key_id", "user_id", "team_id", "public_model", "channel_id",
            "upstream_model", "status_class");
    private static final List<String> ROUTE = List.of("public_model", "channel_id", "upstream_model", "status_class");
    private static final List<String> ACCOUNT = List.of("key_id", "user_id", "team_id", "status_class");
    private static final List<String> ENDPOINT = List.of("endpoint", "unit", "key_id", "user_id", "team_id",
            "public_model", "channel_id", "upstream_model", "status_class");
    private static final List<String> NARROW_ENDPOINT = List.of("endpoint", "unit", "status_class");

    private static List<String> measures() {
        List<String> m = new ArrayList<>(List.of("requests", "failovers", "streams", "estimated", "prompt_tokens",
                "completion_tokens", "cached_read_tokens", "cache_write_tokens", "reasoning_tokens", "cost_micros",
                "cost_unknown", "latency_ms_sum", "ttft_ms_sum", "ttft_count"));
        IntStream.range(0, 12).forEach(i -> m.add("lat_h" + i));
        IntStream.range(0, 12).forEach(i -> m.add("ttft_h" + i));
        return m;
    }

    /** usage.Histogram's bucket of a value, in SQL. */
    private static String histogram(String value) {
        StringBuilder s = new StringBuilder("CASE");
        long bound = 50;
        for (int i = 0; i < 11; i++) {
            s.append(" WHEN ").append(value).append(" <= ").append(bound).append(" THEN ").append(i);
            bound *= 2;
        }
        return s.append(" ELSE 11 END").toString();
    }

    private static final String STATUS_CLASS = "CASE WHEN status < 200 OR status >= 500 THEN 5 WHEN status >= 400"
            + " THEN 4 WHEN status >= 300 THEN 3 ELSE 2 END";

    private static void rollups(Handle h) {
        // Minutes from the raw rows.
        String rows = "SELECT (ts / 60000) * 60000 AS bucket, COALESCE(key_id, 0) AS key_id, COALESCE(user_id, 0)"
                + " AS user_id, COALESCE(team_id, 0) AS team_id, COALESCE(public_model, '') AS public_model,"
                + " COALESCE(channel_id, 0) AS channel_id, COALESCE(upstream_model, '') AS upstream_model, "
                + STATUS_CLASS + " AS status_class, CASE WHEN attempts LIKE '%},{%' THEN 1 ELSE 0 END AS fo,"
                + " CASE WHEN stream THEN 1 ELSE 0 END AS sv, CASE WHEN token_source = 'estimated' THEN 1 ELSE 0 END"
                + " AS est, prompt_tokens, completion_tokens, cached_read_tokens, cache_write_tokens, reasoning_tokens,"
                + " cost_micros, latency_ms, first_byte_ms, " + histogram("latency_ms") + " AS lh, CASE WHEN"
                + " first_byte_ms IS NULL OR first_byte_ms < 0 THEN -1 ELSE " + histogram("first_byte_ms")
                + " END AS th, endpoint, unit, units, units_estimated, config_version FROM usage";
        List<String> sums = new ArrayList<>(List.of("COUNT(*)", "SUM(fo)", "SUM(sv)", "SUM(est)", "SUM(prompt_tokens)",
                "SUM(completion_tokens)", "SUM(cached_read_tokens)", "SUM(cache_write_tokens)", "SUM(reasoning_tokens)",
                "SUM(COALESCE(cost_micros, 0))", "SUM(CASE WHEN cost_micros IS NULL THEN 1 ELSE 0 END)",
                "SUM(latency_ms)", "SUM(CASE WHEN th >= 0 THEN first_byte_ms ELSE 0 END)",
                "SUM(CASE WHEN th >= 0 THEN 1 ELSE 0 END)"));
        IntStream.range(0, 12).forEach(i -> sums.add("SUM(CASE WHEN lh = " + i + " THEN 1 ELSE 0 END)"));
        IntStream.range(0, 12).forEach(i -> sums.add("SUM(CASE WHEN th = " + i + " THEN 1 ELSE 0 END)"));
        List<String> measures = measures();
        h.execute("INSERT INTO usage_minute (bucket, " + String.join(", ", FULL) + ", " + String.join(", ", measures)
                + ") SELECT bucket, " + String.join(", ", FULL) + ", " + String.join(", ", sums) + " FROM (" + rows
                + ") r GROUP BY bucket, " + String.join(", ", FULL) + " ORDER BY bucket");
        // Each coarser grain and narrower shape from the one it folds.
        fold(h, "usage_minute", "usage_hour", 3_600_000L, FULL, measures);
        fold(h, "usage_hour", "usage_day", 86_400_000L, FULL, measures);
        fold(h, "usage_hour", "usage_route_hour", 3_600_000L, ROUTE, measures);
        fold(h, "usage_day", "usage_route_day", 86_400_000L, ROUTE, measures);
        fold(h, "usage_hour", "usage_account_hour", 3_600_000L, ACCOUNT, measures);
        fold(h, "usage_day", "usage_account_day", 86_400_000L, ACCOUNT, measures);
        // Endpoints.
        h.execute("INSERT INTO usage_endpoint_minute (bucket, " + String.join(", ", ENDPOINT) + ", requests, units,"
                + " units_estimated, prompt_tokens, completion_tokens, cost_micros, cost_unknown) SELECT bucket, "
                + String.join(", ", ENDPOINT) + ", COUNT(*), SUM(units), SUM(CASE WHEN units_estimated THEN 1 ELSE 0"
                + " END), SUM(prompt_tokens), SUM(completion_tokens), SUM(COALESCE(cost_micros, 0)),"
                + " SUM(CASE WHEN cost_micros IS NULL THEN 1 ELSE 0 END) FROM (" + rows + ") r WHERE endpoint IS NOT"
                + " NULL GROUP BY bucket, " + String.join(", ", ENDPOINT) + " ORDER BY bucket");
        List<String> endpointMeasures = List.of("requests", "units", "units_estimated", "prompt_tokens",
                "completion_tokens", "cost_micros", "cost_unknown");
        fold(h, "usage_endpoint_minute", "usage_endpoint_hour", 3_600_000L, ENDPOINT, endpointMeasures);
        fold(h, "usage_endpoint_hour", "usage_endpoint_day", 86_400_000L, ENDPOINT, endpointMeasures);
        fold(h, "usage_endpoint_hour", "usage_endpoint_narrow_hour", 3_600_000L, NARROW_ENDPOINT, endpointMeasures);
        fold(h, "usage_endpoint_day", "usage_endpoint_narrow_day", 86_400_000L, NARROW_ENDPOINT, endpointMeasures);
        // Per routing-config version (the baselines).
        List<String> version = List.of("config_version", "public_model", "channel_id", "key_id", "team_id",
                "status_class");
        List<String> vsums = new ArrayList<>(List.of("COUNT(*)", "SUM(fo)", "SUM(prompt_tokens)",
                "SUM(completion_tokens)", "SUM(1.0 * (prompt_tokens + completion_tokens) * (prompt_tokens"
                        + " + completion_tokens))", "SUM(COALESCE(cost_micros, 0))",
                "SUM(1.0 * COALESCE(cost_micros, 0) * COALESCE(cost_micros, 0))",
                "SUM(CASE WHEN cost_micros IS NULL THEN 1 ELSE 0 END)", "SUM(latency_ms)",
                "SUM(1.0 * latency_ms * latency_ms)", "SUM(CASE WHEN th >= 0 THEN first_byte_ms ELSE 0 END)",
                "SUM(CASE WHEN th >= 0 THEN 1.0 * first_byte_ms * first_byte_ms ELSE 0 END)",
                "SUM(CASE WHEN th >= 0 THEN 1 ELSE 0 END)"));
        IntStream.range(0, 12).forEach(i -> vsums.add("SUM(CASE WHEN lh = " + i + " THEN 1 ELSE 0 END)"));
        IntStream.range(0, 12).forEach(i -> vsums.add("SUM(CASE WHEN th = " + i + " THEN 1 ELSE 0 END)"));
        List<String> vmeasures = new ArrayList<>(List.of("requests", "failovers", "prompt_tokens", "completion_tokens",
                "tokens_sq", "cost_micros", "cost_sq", "cost_unknown", "latency_ms_sum", "latency_sq", "ttft_ms_sum",
                "ttft_sq", "ttft_count"));
        IntStream.range(0, 12).forEach(i -> vmeasures.add("lat_h" + i));
        IntStream.range(0, 12).forEach(i -> vmeasures.add("ttft_h" + i));
        h.execute("INSERT INTO usage_version (" + String.join(", ", version) + ", " + String.join(", ", vmeasures)
                + ") SELECT COALESCE(config_version, 0), public_model, channel_id, key_id, team_id, status_class, "
                + String.join(", ", vsums) + " FROM (" + rows + ") r GROUP BY COALESCE(config_version, 0),"
                + " public_model, channel_id, key_id, team_id, status_class");
    }

    private static void fold(Handle h, String source, String target, long width, List<String> dims,
            List<String> measures) {
        String bucket = "(bucket / " + width + ") * " + width;
        h.execute("INSERT INTO " + target + " (bucket, " + String.join(", ", dims) + ", " + String.join(", ", measures)
                + ") SELECT " + bucket + ", " + String.join(", ", dims) + ", "
                + measures.stream().map(m -> "SUM(" + m + ")").collect(Collectors.joining(", ")) + " FROM " + source
                + " GROUP BY " + bucket + ", " + String.join(", ", dims) + " ORDER BY 1");
    }
}
