package dev.junction.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.junction.usage.UsageStats;
import dev.junction.usage.UsageStats.Bucket;
import dev.junction.usage.UsageStats.Dimension;
import dev.junction.usage.UsageStats.Filter;
import dev.junction.usage.UsageStats.Metric;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-endpoint back-fill on a database that already holds usage: migrated to V10 (the last shape
 * without endpoints), filled with rows as the gateway wrote them then (chat from each client API,
 * embeddings, a row refused before any API was known), then migrated to the latest. V11 gives each
 * row its endpoint and units (tokens in + out) and rolls them up per endpoint; V16 adds the latency,
 * failover and stream measures to those rollups from the same rows; V17 folds them into the narrow
 * endpoint rollups (by endpoint, unit and status class). On real SQLite and PostgreSQL.
 */
class UsageUnitsMigrationTest {

    /** 2026-11-02T10:15:00Z, inside one hour and one day. */
    private static final long T = 1_793_614_500_000L;

    @TempDir
    Path dir;

    @Test
    void aSqliteDatabaseOfOldUsageGetsEndpointsUnitsAndEndpointRollups() throws Exception {
        check("sqlite:" + dir.resolve("old.db"), "jdbc:sqlite:" + dir.resolve("old.db"), "sqlite");
    }

    @Test
    void aPostgresqlDatabaseOfOldUsageGetsEndpointsUnitsAndEndpointRollups() throws Exception {
        String schema = "junction_units_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            check("postgresql://root@127.0.0.1:5432/test?currentSchema=" + schema,
                    "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema + "&user=root", "postgresql");
        } finally {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "root", "");
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private void check(String url, String jdbcUrl, String dialect) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            Flyway.configure().dataSource(pool).target("10").locations("classpath:db/migration/" + dialect)
                    .load().migrate();
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                String columns = "INSERT INTO usage (request_id, ts, key_name, public_model, channel, upstream_model,"
                        + " status, prompt_tokens, completion_tokens, cached_read_tokens, latency_ms, first_byte_ms,"
                        + " stream, attempts, end_reason, key_id, channel_id, cost_micros, client_api, token_source)"
                        + " VALUES ";
                String yes = dialect.equals("sqlite") ? "1" : "TRUE";
                String no = dialect.equals("sqlite") ? "0" : "FALSE";
                s.executeUpdate(columns + "('r1', " + T + ", 'laptop', 'gpt', 'a', 'gpt-4o', 200, 100, 20, 40, 300,"
                        + " 120, " + yes + ", '[{\"channel\":\"b\",\"status\":429},{\"channel\":\"a\",\"status\":200}]',"
                        + " 'done', 1, 2, 1500, 'openai', 'provider')");
                s.executeUpdate(columns + "('r2', " + (T + 1000) + ", 'laptop', 'claude', 'c', 'claude-sonnet-4-5', 200,"
                        + " 50, 10, 0, 900, NULL, " + no + ", '[{\"channel\":\"c\",\"status\":200}]', 'done', 1, 3,"
                        + " 700, 'anthropic', 'provider')");
                s.executeUpdate(columns + "('r3', " + (T + 2000) + ", 'laptop', 'gem', 'g', 'gemini-2.5-flash', 502,"
                        + " 0, 0, 0, 40, NULL, " + yes + ", '[{\"channel\":\"g\",\"status\":502}]', 'failed', 1, 4,"
                        + " NULL, 'gemini', NULL)");
                s.executeUpdate(columns + "('r4', " + (T + 3000) + ", 'laptop', 'resp', 'a', 'gpt-4o', 200, 7, 3, 0,"
                        + " 60000, 2000, " + yes + ", '[{\"channel\":\"a\",\"status\":200}]', 'done', 1, 2, 90,"
                        + " 'responses', 'estimated')");
                s.executeUpdate(columns + "('r5', " + (T + 4000) + ", 'laptop', 'embed', 'a', 'text-embedding-3-small',"
                        + " 200, 8, 0, 0, 70, NULL, " + no + ", '[{\"channel\":\"a\",\"status\":200}]', 'done', 1, 2, 1,"
                        + " 'embeddings', 'provider')");
                s.executeUpdate(columns + "('r6', " + (T + 5000) + ", NULL, NULL, NULL, NULL, 401, 0, 0, 0, 1, NULL, "
                        + no + ", '[]', 'rejected', NULL, NULL, NULL, NULL, NULL)");
            }
        }

        Database db = Database.open(url);
        try {
            Map<String, String> rows = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT request_id, endpoint, unit, units, units_estimated FROM usage ORDER BY request_id")
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2) + " " + rs.getString(3) + " "
                            + rs.getLong(4) + (rs.getBoolean(5) ? " estimated" : "")))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
            assertThat(rows).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "r1", "chat token 120",
                    "r2", "chat token 60",
                    "r3", "chat token 0",
                    "r4", "chat token 10",
                    "r5", "embeddings token 8",
                    "r6", "null null 0"));

            List<String> hour = db.jdbi().withHandle(h -> h.createQuery("SELECT endpoint, unit, SUM(requests),"
                    + " SUM(units), SUM(prompt_tokens), SUM(cost_micros), SUM(cost_unknown), SUM(failovers),"
                    + " SUM(streams), SUM(estimated), SUM(cached_read_tokens), SUM(latency_ms_sum), SUM(ttft_count),"
                    + " SUM(ttft_ms_sum), SUM(lat_h0), SUM(lat_h3), SUM(lat_h5), SUM(lat_h11), SUM(ttft_h1),"
                    + " SUM(ttft_h6) FROM usage_endpoint_hour GROUP BY endpoint, unit ORDER BY endpoint")
                    .map((rs, ctx) -> {
                        StringBuilder line = new StringBuilder(rs.getString(1) + "/" + rs.getString(2));
                        for (int i = 3; i <= 20; i++) {
                            line.append(' ').append(rs.getLong(i));
                        }
                        return line.toString();
                    }).list());
            // requests units prompt cost unknown failovers streams estimated cached latency ttft_count ttft_sum
            // lat_h0 (≤50) lat_h3 (≤400) lat_h5 (≤1600) lat_h11 (>51.2 s) ttft_h1 (≤100; 120 is in h2) ttft_h6 (≤3200)
            assertThat(hour).containsExactly(
                    "chat/token 4 190 157 2290 1 1 3 1 40 61240 2 2120 1 1 1 1 0 1",
                    "embeddings/token 1 8 8 1 0 0 0 0 0 70 0 0 0 0 0 0 0 0");
            for (String table : List.of("usage_endpoint_minute", "usage_endpoint_day")) {
                long requests = db.jdbi().withHandle(h -> h.createQuery("SELECT SUM(requests) + SUM(failovers)"
                        + " + SUM(ttft_count) FROM " + table).mapTo(Long.class).one());
                assertThat(requests).as(table).isEqualTo(5 + 1 + 2);
            }

            // V17 folds them into the narrow endpoint rollups: the same sums by bucket, endpoint, unit and status class.
            List<String> measures = new java.util.ArrayList<>(List.of("requests", "units", "units_estimated",
                    "prompt_tokens", "completion_tokens", "cost_micros", "cost_unknown", "failovers", "streams",
                    "estimated", "cached_read_tokens", "cache_write_tokens", "reasoning_tokens", "latency_ms_sum",
                    "ttft_ms_sum", "ttft_count"));
            java.util.stream.IntStream.range(0, 12).forEach(i -> measures.add("lat_h" + i));
            java.util.stream.IntStream.range(0, 12).forEach(i -> measures.add("ttft_h" + i));
            String keys = "bucket, endpoint, unit, status_class";
            String sums = measures.stream().map(m -> "SUM(" + m + ")").collect(Collectors.joining(", "));
            for (String grain : List.of("hour", "day")) {
                List<String> full = lines(db, "SELECT " + keys + ", " + sums + " FROM usage_endpoint_" + grain
                        + " GROUP BY " + keys + " ORDER BY " + keys);
                assertThat(full).as(grain).hasSize(3);
                assertThat(lines(db, "SELECT " + keys + ", " + sums + " FROM usage_endpoint_narrow_" + grain
                        + " GROUP BY " + keys + " ORDER BY " + keys)).as(grain).isEqualTo(full);
            }
            assertThat(lines(db, "SELECT endpoint, status_class, requests, failovers, latency_ms_sum"
                    + " FROM usage_endpoint_narrow_hour ORDER BY endpoint, status_class"))
                    .containsExactly("chat 2 3 1 61200", "chat 5 1 0 40", "embeddings 2 1 0 70");

            UsageStats stats = new UsageStats(db);
            List<UsageStats.Group> byEndpoint = stats.top(Bucket.HOUR, T - 3_600_000L, T + 3_600_000L, Filter.NONE,
                    Dimension.ENDPOINT, Metric.REQUESTS, 10);
            assertThat(byEndpoint).extracting(UsageStats.Group::key).containsExactly("chat", "embeddings");
            UsageStats.Totals chat = byEndpoint.getFirst().totals();
            assertThat(chat.requests()).isEqualTo(4);
            assertThat(chat.serverErrors()).isEqualTo(1);
            assertThat(chat.failovers()).isEqualTo(1);
            assertThat(chat.latencySum()).isEqualTo(61_240);
        } finally {
            db.close();
        }
    }

    /** Every row of {@code sql}, its columns as text, separated by spaces. */
    private static List<String> lines(Database db, String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).map((rs, ctx) -> {
            List<String> values = new java.util.ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                values.add(rs.getString(i));
            }
            return String.join(" ", values);
        }).list());
    }
}
