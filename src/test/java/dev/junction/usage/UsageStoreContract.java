package dev.junction.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.Attempt;
import dev.junction.core.Clock;
import dev.junction.core.EndReason;
import dev.junction.core.RequestIds;
import dev.junction.core.TokenSource;
import dev.junction.core.TokenUsage;
import dev.junction.core.Units;
import dev.junction.store.Database;
import dev.junction.testing.FixedClock;
import dev.junction.usage.UsageStats.Bucket;
import dev.junction.usage.UsageStats.Cursor;
import dev.junction.usage.UsageStats.Dimension;
import dev.junction.usage.UsageStats.Filter;
import dev.junction.usage.UsageStats.RawFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The usage store on a real database: the writer's rollups agree with the raw rows (also with two
 * writers on one database, as two instances are), keyset paging visits every matching row once,
 * retention deletes what is past its period, and the dashboard's queries use the indexes (their
 * plans say so). Run on SQLite and on PostgreSQL by the two subclasses.
 */
abstract class UsageStoreContract {

    static final long DAY = 86_400_000L;
    static final long HOUR = 3_600_000L;
    static final long MINUTE = 60_000L;
    static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    Database db;

    abstract String databaseUrl();

    @BeforeEach
    void open() {
        db = Database.open(databaseUrl());
    }

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    /** A row of key k, model m, channel c at time t, with a fixed token count and cost, sometimes failed over. */
    static UsageRecord record(int i, long t, int k, int m, int c, int status) {
        return record("req-" + i, i, t, k, m, c, status);
    }

    /** As {@link #record(int, long, int, int, int, int)}, with its request id. */
    static UsageRecord record(String id, int i, long t, int k, int m, int c, int status) {
        List<Attempt> attempts = i % 5 == 0
                ? List.of(new Attempt("ch" + (c + 1), "", 429, "HTTP 429", 3), new Attempt("ch" + c, "", 200, "ok", 9))
                : List.of(new Attempt("ch" + c, "", 200, "ok", 9));
        TokenUsage tokens = new TokenUsage(100 + i % 7, 20 + i % 3, i % 4, 0, i % 2);
        return new UsageRecord(id, Instant.ofEpochMilli(t), "key" + k, "model" + m, "ch" + c, "up" + m,
                status, tokens, 40 + (i % 500) * 7L, i % 3 == 0 ? -1 : 10 + i % 300, i % 2 == 0, attempts,
                status == 200 ? EndReason.DONE : EndReason.FAILED, (long) k, (long) c,
                i % 11 == 0 ? null : 1000L + i % 13, "openai", i % 9 == 0 ? TokenSource.ESTIMATED : TokenSource.PROVIDER,
                "10.0.0." + (i % 250), (long) (k % 3 + 1), null, null);
    }

    static List<UsageRecord> records(int n, long start, long spanMillis, int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<UsageRecord> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long t = start + random.nextLong(spanMillis);
            int status = random.nextInt(20) == 0 ? 502 : random.nextInt(30) == 0 ? 429 : 200;
            rows.add(record(i, t, 1 + random.nextInt(5), random.nextInt(4), 1 + random.nextInt(3), status));
        }
        return rows;
    }

    void write(List<UsageRecord> rows, int writers) throws Exception {
        List<UsageWriter> all = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            all.add(UsageWriter.start(db, rows.size() + 1));
        }
        for (int i = 0; i < rows.size(); i++) {
            all.get(i % writers).record(rows.get(i));
        }
        for (UsageWriter writer : all) {
            assertThat(writer.flush(60, TimeUnit.SECONDS)).isTrue();
            assertThat(writer.dropped()).isZero();
            writer.close();
        }
    }

    @Test
    void theRollupsOfEveryGrainAgreeWithTheRawRowsEvenWithTwoWritersOnOneDatabase() throws Exception {
        List<UsageRecord> rows = records(3000, T0, 3 * DAY, 1);
        write(rows, 2);
        String raw = "SELECT COUNT(*), SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_read_tokens),"
                + " SUM(reasoning_tokens), SUM(COALESCE(cost_micros, 0)), SUM(latency_ms) FROM usage";
        List<Long> expected = sums(raw);
        assertThat(expected.getFirst()).isEqualTo(3000);
        for (String table : List.of("usage_minute", "usage_hour", "usage_day", "usage_route_hour", "usage_route_day",
                "usage_account_hour", "usage_account_day")) {
            assertThat(sums("SELECT SUM(requests), SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_read_tokens),"
                    + " SUM(reasoning_tokens), SUM(cost_micros), SUM(latency_ms_sum) FROM " + table)).as(table)
                    .isEqualTo(expected);
        }
        // The per-version aggregate of the baselines counts the same rows.
        assertThat(sums("SELECT SUM(requests), SUM(prompt_tokens), SUM(completion_tokens), SUM(cost_micros),"
                + " SUM(latency_ms_sum) FROM usage_version")).isEqualTo(sums("SELECT COUNT(*), SUM(prompt_tokens),"
                + " SUM(completion_tokens), SUM(COALESCE(cost_micros, 0)), SUM(latency_ms) FROM usage"));
        UsageStats stats = new UsageStats(db);
        // By model over the day rollups, against the raw rows grouped the same way.
        for (UsageStats.Group group : stats.top(Bucket.DAY, T0, T0 + 3 * DAY, Filter.NONE, Dimension.MODEL,
                UsageStats.Metric.REQUESTS, 10)) {
            long count = rows.stream().filter(r -> r.publicModel().equals(group.key())).count();
            long failovers = rows.stream().filter(r -> r.publicModel().equals(group.key()))
                    .filter(r -> r.attempts().size() > 1).count();
            long errors = rows.stream().filter(r -> r.publicModel().equals(group.key()))
                    .filter(r -> r.status() >= 500).count();
            long unknown = rows.stream().filter(r -> r.publicModel().equals(group.key()))
                    .filter(r -> r.costMicros() == null).count();
            assertThat(group.totals().requests()).isEqualTo(count);
            assertThat(group.totals().failovers()).isEqualTo(failovers);
            assertThat(group.totals().serverErrors()).isEqualTo(errors);
            assertThat(group.totals().costUnknown()).isEqualTo(unknown);
        }
        UsageStats.Totals total = stats.totals(Bucket.HOUR, T0, T0 + 3 * DAY, Filter.NONE);
        assertThat(total.requests()).isEqualTo(3000);
        assertThat(total.estimated()).isEqualTo(rows.stream().filter(r -> r.tokenSource() == TokenSource.ESTIMATED).count());
        List<Long> latencies = rows.stream().map(UsageRecord::latencyMillis).sorted().toList();
        long p95 = latencies.get((int) Math.ceil(latencies.size() * 0.95) - 1);
        assertThat(Histogram.percentile(total.latency(), 95)).as("the bucket's upper bound holds the true p95")
                .isGreaterThanOrEqualTo(p95).isLessThanOrEqualTo(Math.max(50, p95 * 2));
        // A time series by channel sums to the totals.
        long inSeries = stats.series(Bucket.HOUR, T0, T0 + 3 * DAY, Filter.NONE, Dimension.CHANNEL, 10).stream()
                .mapToLong(p -> p.totals().requests()).sum();
        assertThat(inSeries).isEqualTo(3000);
        // A filter on a key: the member's view.
        long ofKey2 = rows.stream().filter(r -> r.keyId() == 2).count();
        assertThat(stats.totals(Bucket.DAY, T0, T0 + 3 * DAY, new Filter(2L, null, null, null, null, null, null))
                .requests()).isEqualTo(ofKey2);
        // By key (the account rollups), and one key's usage by model (the full rollups).
        for (UsageStats.Group group : stats.top(Bucket.HOUR, T0, T0 + 3 * DAY, Filter.NONE, Dimension.KEY,
                UsageStats.Metric.COST, 10)) {
            long key = Long.parseLong(group.key());
            assertThat(group.totals().requests()).isEqualTo(rows.stream().filter(r -> r.keyId() == key).count());
            assertThat(group.totals().costMicros()).isEqualTo(rows.stream().filter(r -> r.keyId() == key)
                    .mapToLong(r -> r.costMicros() == null ? 0 : r.costMicros()).sum());
        }
        for (UsageStats.Group group : stats.top(Bucket.DAY, T0, T0 + 3 * DAY,
                new Filter(2L, null, null, null, null, null, null), Dimension.MODEL, UsageStats.Metric.REQUESTS, 10)) {
            assertThat(group.totals().requests()).isEqualTo(rows.stream()
                    .filter(r -> r.keyId() == 2 && r.publicModel().equals(group.key())).count());
        }
    }

    @Test
    void aRangeWithOddEdgesSumsExactlyTheRawRowsInItFromDaysHoursAndMinutes() throws Exception {
        // 9 days of rows, some exactly on the range's edges and on day and hour boundaries.
        List<UsageRecord> rows = new ArrayList<>(records(6000, T0, 9 * DAY, 17).stream()
                .map(r -> r.withUnits(r.status() == 429 ? "images/generations" : "chat",
                        dev.junction.core.Units.of(2, r.status() == 429 ? "image" : "token"))).toList());
        long from = T0 + 10 * HOUR + 37 * MINUTE;
        long to = T0 + 7 * DAY + 14 * HOUR + 5 * MINUTE;
        long[] edges = {from - 1, from, from + 1, to - 1, to, to + 1, T0 + DAY, T0 + DAY - 1, T0 + 7 * DAY,
            T0 + 7 * DAY - 1, T0 + 11 * HOUR, T0 + 11 * HOUR - 1, T0 + 7 * DAY + 14 * HOUR};
        for (int i = 0; i < edges.length; i++) {
            rows.add(record(10_000 + i, edges[i], 1 + i % 5, i % 4, 1 + i % 3, 200)
                    .withUnits("chat", dev.junction.core.Units.of(2, "token")));
        }
        write(rows, 1);
        UsageStats stats = new UsageStats(db);
        List<UsageRecord> in = rows.stream().filter(r -> r.at().toEpochMilli() >= from && r.at().toEpochMilli() < to)
                .toList();
        for (Bucket bucket : Bucket.values()) {
            UsageStats.Totals t = stats.totals(bucket, from, to, Filter.NONE);
            assertThat(t.requests()).as("requests, %s", bucket).isEqualTo(in.size());
            assertThat(t.promptTokens()).isEqualTo(in.stream().mapToLong(r -> r.tokens().input()).sum());
            assertThat(t.costMicros()).isEqualTo(in.stream().mapToLong(r -> r.costMicros() == null ? 0 : r.costMicros()).sum());
            assertThat(t.failovers()).isEqualTo(in.stream().filter(r -> r.attempts().size() > 1).count());
            assertThat(t.latencySum()).isEqualTo(in.stream().mapToLong(UsageRecord::latencyMillis).sum());
        }
        // By model (route rollups), by key (account rollups), one key by channel (full rollups).
        for (UsageStats.Group g : stats.top(Bucket.HOUR, from, to, Filter.NONE, Dimension.MODEL, UsageStats.Metric.COST, 10)) {
            assertThat(g.totals().requests()).as("model %s", g.key())
                    .isEqualTo(in.stream().filter(r -> r.publicModel().equals(g.key())).count());
        }
        for (UsageStats.Group g : stats.top(Bucket.HOUR, from, to, Filter.NONE, Dimension.KEY, UsageStats.Metric.REQUESTS, 10)) {
            assertThat(g.totals().requests()).as("key %s", g.key())
                    .isEqualTo(in.stream().filter(r -> r.keyId() == Long.parseLong(g.key())).count());
        }
        Filter key2 = new Filter(2L, null, null, null, null, null, null);
        for (UsageStats.Group g : stats.top(Bucket.DAY, from, to, key2, Dimension.CHANNEL, UsageStats.Metric.REQUESTS, 10)) {
            assertThat(g.totals().requests()).as("key 2 on channel %s", g.key()).isEqualTo(in.stream()
                    .filter(r -> r.keyId() == 2 && r.channelId() == Long.parseLong(g.key())).count());
        }
        assertThat(stats.byEndpoint(Bucket.HOUR, from, to, Filter.NONE).stream()
                .mapToLong(UsageStats.EndpointTotals::requests).sum()).isEqualTo(in.size());
        // Series: each point holds exactly the rows of its bucket that fall in the range.
        for (Bucket bucket : List.of(Bucket.HOUR, Bucket.DAY)) {
            Map<Long, Long> expected = new java.util.TreeMap<>();
            in.forEach(r -> expected.merge(bucket.grainStart(r.at().toEpochMilli()), 1L, Long::sum));
            Map<Long, Long> actual = new java.util.TreeMap<>();
            stats.series(bucket, from, to, Filter.NONE, null, 10).forEach(p -> actual.put(p.bucket(), p.totals().requests()));
            assertThat(actual).as("%s series", bucket).isEqualTo(expected);
            Map<Long, Long> byModel = new java.util.TreeMap<>();
            stats.series(bucket, from, to, Filter.NONE, Dimension.MODEL, 2)
                    .forEach(p -> byModel.merge(p.bucket(), p.totals().requests(), Long::sum));
            assertThat(byModel).as("%s series by model", bucket).isEqualTo(expected);
        }
    }

    @Test
    void aWeekReadsItsWholeDaysFromTheDayRollupsAndOnlyItsEdgesFromHoursAndMinutes() throws Exception {
        write(records(3000, T0, 9 * DAY, 18), 1);
        UsageStats stats = new UsageStats(db);
        long from = T0 + 10 * HOUR + 37 * MINUTE;
        long to = T0 + 7 * DAY + 14 * HOUR + 5 * MINUTE;
        long before = stats.totals(Bucket.HOUR, from, to, Filter.NONE).requests();
        long beforeByKey = stats.top(Bucket.HOUR, from, to, Filter.NONE, Dimension.KEY, UsageStats.Metric.REQUESTS, 10)
                .stream().mapToLong(g -> g.totals().requests()).sum();
        assertThat(beforeByKey).isEqualTo(before);
        // A mark in the middle of the range in the minute and hour rollups is not read: those buckets
        // are answered by the day rollups.
        long midday = T0 + 4 * DAY + 12 * HOUR;
        for (String table : List.of("usage_minute", "usage_hour", "usage_route_hour", "usage_account_hour")) {
            db.jdbi().useHandle(h -> h.execute("UPDATE " + table + " SET requests = requests + 1000000 WHERE bucket = ?",
                    midday));
        }
        insertMinuteMark(midday + 7 * MINUTE);
        assertThat(stats.totals(Bucket.HOUR, from, to, Filter.NONE).requests()).isEqualTo(before);
        assertThat(stats.top(Bucket.HOUR, from, to, Filter.NONE, Dimension.KEY, UsageStats.Metric.REQUESTS, 10)
                .stream().mapToLong(g -> g.totals().requests()).sum()).isEqualTo(before);
        // A mark in a whole day's rollup is.
        db.jdbi().useHandle(h -> h.execute("UPDATE usage_route_day SET requests = requests + 1000 WHERE bucket = ?"
                + " AND public_model = 'model1' AND status_class = 2 AND channel_id = 1", T0 + 3 * DAY));
        db.jdbi().useHandle(h -> h.execute("UPDATE usage_account_day SET requests = requests + 1000 WHERE bucket = ?"
                + " AND key_id = 1 AND status_class = 2", T0 + 3 * DAY));
        assertThat(stats.totals(Bucket.HOUR, from, to, Filter.NONE).requests()).isEqualTo(before + 1000);
        assertThat(stats.top(Bucket.HOUR, from, to, Filter.NONE, Dimension.KEY, UsageStats.Metric.REQUESTS, 10)
                .stream().mapToLong(g -> g.totals().requests()).sum()).isEqualTo(before + 1000);
        // And the edges come from the minute rollups: a mark at 10:40 on the first day counts, one at 10:30 not.
        insertMinuteMark(T0 + 10 * HOUR + 40 * MINUTE);
        insertMinuteMark(T0 + 10 * HOUR + 30 * MINUTE);
        assertThat(stats.totals(Bucket.HOUR, from, to, Filter.NONE).requests()).isEqualTo(before + 1000 + 1);
    }

    @Test
    void aRangeIsSplitIntoDaysHoursAndMinutesAtItsEdges() {
        long from = T0 + 10 * HOUR + 37 * MINUTE;
        long to = T0 + 7 * DAY + 14 * HOUR + 5 * MINUTE;
        assertThat(UsageStats.spans(from, to, Rollups.Grain.DAY)).containsExactly(
                new UsageStats.Span(Rollups.Grain.MINUTE, from, T0 + 11 * HOUR),
                new UsageStats.Span(Rollups.Grain.HOUR, T0 + 11 * HOUR, T0 + DAY),
                new UsageStats.Span(Rollups.Grain.DAY, T0 + DAY, T0 + 7 * DAY),
                new UsageStats.Span(Rollups.Grain.HOUR, T0 + 7 * DAY, T0 + 7 * DAY + 14 * HOUR),
                new UsageStats.Span(Rollups.Grain.MINUTE, T0 + 7 * DAY + 14 * HOUR, to));
        // An hourly series reads whole hours, and the minutes at its edges; seconds round out to the minute.
        assertThat(UsageStats.spans(from + 5_000, to - 5_000, Rollups.Grain.HOUR)).containsExactly(
                new UsageStats.Span(Rollups.Grain.MINUTE, from, T0 + 11 * HOUR),
                new UsageStats.Span(Rollups.Grain.HOUR, T0 + 11 * HOUR, T0 + 7 * DAY + 14 * HOUR),
                new UsageStats.Span(Rollups.Grain.MINUTE, T0 + 7 * DAY + 14 * HOUR, to));
        // Whole days are read as days only; less than an hour as minutes only.
        assertThat(UsageStats.spans(T0, T0 + 30 * DAY, Rollups.Grain.DAY))
                .containsExactly(new UsageStats.Span(Rollups.Grain.DAY, T0, T0 + 30 * DAY));
        assertThat(UsageStats.spans(from, from + 10 * MINUTE, Rollups.Grain.DAY))
                .containsExactly(new UsageStats.Span(Rollups.Grain.MINUTE, from, from + 10 * MINUTE));
    }

    @Test
    void aRangeOlderThanTheMinuteRollupsReadsItsFirstHourWhole() throws Exception {
        write(List.of(record(1, T0 + 10 * HOUR + 5 * MINUTE, 1, 1, 1, 200),
                record(2, T0 + 10 * HOUR + 50 * MINUTE, 1, 1, 1, 200),
                record(3, T0 + DAY + 10 * HOUR, 1, 1, 1, 200)), 1);
        UsageStats stats = new UsageStats(db);
        long from = T0 + 10 * HOUR + 37 * MINUTE;
        assertThat(stats.totals(Bucket.HOUR, from, T0 + 2 * DAY, Filter.NONE).requests()).isEqualTo(2);
        // Retention pruned the minutes of the first day (keep_raw): its hour is the finest sum left.
        db.jdbi().useHandle(h -> h.execute("DELETE FROM usage_minute WHERE bucket < ?", T0 + DAY));
        assertThat(stats.totals(Bucket.HOUR, from, T0 + 2 * DAY, Filter.NONE).requests()).isEqualTo(3);
    }

    private void insertMinuteMark(long bucket) {
        db.jdbi().useHandle(h -> h.execute("INSERT INTO usage_minute (bucket, key_id, user_id, team_id, public_model,"
                + " channel_id, upstream_model, status_class, " + String.join(", ", Rollups.MEASURES)
                + ") VALUES (?, 1, 0, 0, 'mark', 1, 'mark', 2, 1" + ", 0".repeat(Rollups.MEASURES.size() - 1) + ")",
                bucket));
    }

    @Test
    void eachQueryReadsTheNarrowestRollupThatHasItsDimensions() {
        Filter key = new Filter(2L, null, null, null, null, null, null);
        Filter channel = new Filter(null, null, null, null, 3L, null, null);
        assertThat(UsageStats.table(Bucket.DAY, Filter.NONE, null)).isEqualTo("usage_route_day");
        assertThat(UsageStats.table(Bucket.DAY, Filter.NONE, Dimension.MODEL)).isEqualTo("usage_route_day");
        assertThat(UsageStats.table(Bucket.HOUR, channel, Dimension.STATUS_CLASS)).isEqualTo("usage_route_hour");
        assertThat(UsageStats.table(Bucket.DAY, Filter.NONE, Dimension.USER)).isEqualTo("usage_account_day");
        assertThat(UsageStats.table(Bucket.HOUR, key, null)).isEqualTo("usage_account_hour");
        assertThat(UsageStats.table(Bucket.DAY, key, Dimension.CHANNEL)).isEqualTo("usage_day");
        assertThat(UsageStats.table(Bucket.HOUR, channel, Dimension.TEAM)).isEqualTo("usage_hour");
        assertThat(UsageStats.table(Bucket.MINUTE, Filter.NONE, Dimension.MODEL)).isEqualTo("usage_minute");
        // By endpoint: the narrow endpoint tables unless a key, user, team, model, channel or upstream model counts.
        Filter failed = new Filter(null, null, null, null, null, null, 5);
        assertThat(UsageStats.table(Bucket.DAY, Filter.NONE, Dimension.ENDPOINT)).isEqualTo("usage_endpoint_narrow_day");
        assertThat(UsageStats.table(Bucket.HOUR, failed, Dimension.ENDPOINT)).isEqualTo("usage_endpoint_narrow_hour");
        assertThat(UsageStats.table(Bucket.HOUR, key, Dimension.ENDPOINT)).isEqualTo("usage_endpoint_hour");
        assertThat(UsageStats.table(Bucket.DAY, channel, Dimension.ENDPOINT)).isEqualTo("usage_endpoint_day");
        assertThat(UsageStats.table(Bucket.MINUTE, Filter.NONE, Dimension.ENDPOINT)).isEqualTo("usage_endpoint_minute");
    }

    @Test
    void theNarrowEndpointRollupsHoldTheFullOnesSumsAndAnswerEndpointQueriesExactly() throws Exception {
        String[][] billed = {{"chat", "token"}, {"embeddings", "token"}, {"images/generations", "image"},
            {"audio/speech", "character"}};
        List<UsageRecord> rows = new ArrayList<>();
        List<UsageRecord> plain = records(4000, T0, 9 * DAY, 19);
        for (int i = 0; i < plain.size(); i++) {
            String[] b = billed[i % 7 % billed.length];
            rows.add(plain.get(i).withUnits(b[0], new dev.junction.core.Units(1 + i % 9, b[1], null, i % 13 == 0)));
        }
        write(rows, 2);
        // Every measure of the narrow tables is the full tables' summed by bucket, endpoint, unit and status class.
        String sums = EndpointRollups.MEASURES.stream().map(m -> "SUM(" + m + ")")
                .collect(java.util.stream.Collectors.joining(", "));
        for (Rollups.Grain grain : List.of(Rollups.Grain.HOUR, Rollups.Grain.DAY)) {
            String keys = "bucket, endpoint, unit, status_class";
            List<String> full = lines("SELECT " + keys + ", " + sums + " FROM " + EndpointRollups.table(grain)
                    + " GROUP BY " + keys + " ORDER BY " + keys);
            assertThat(full).hasSizeGreaterThan(4);
            assertThat(lines("SELECT " + keys + ", " + sums + " FROM " + EndpointRollups.narrowTable(grain)
                    + " GROUP BY " + keys + " ORDER BY " + keys)).as("%s", grain).isEqualTo(full);
        }
        UsageStats stats = new UsageStats(db);
        long from = T0 + 10 * HOUR + 37 * MINUTE;
        long to = T0 + 7 * DAY + 14 * HOUR + 5 * MINUTE;
        List<UsageRecord> in = rows.stream().filter(r -> r.at().toEpochMilli() >= from && r.at().toEpochMilli() < to)
                .toList();
        // Unfiltered and by status class (the narrow tables), by key and by model (the full ones): each as the raw rows.
        Map<Filter, java.util.function.Predicate<UsageRecord>> filters = new java.util.LinkedHashMap<>();
        filters.put(Filter.NONE, r -> true);
        filters.put(new Filter(null, null, null, null, null, null, 5), r -> r.statusClass() == 5);
        filters.put(new Filter(2L, null, null, null, null, null, null), r -> r.keyId() == 2);
        filters.put(new Filter(null, null, null, "model1", null, null, 2), r -> r.publicModel().equals("model1")
                && r.statusClass() == 2);
        for (Map.Entry<Filter, java.util.function.Predicate<UsageRecord>> f : filters.entrySet()) {
            List<UsageRecord> kept = in.stream().filter(f.getValue()).toList();
            for (Bucket bucket : List.of(Bucket.HOUR, Bucket.DAY)) {
                String as = f.getKey() + " per " + bucket;
                assertThat(stats.byEndpoint(bucket, from, to, f.getKey())).as(as).containsExactlyInAnyOrderElementsOf(
                        endpointTotals(kept));
                List<UsageStats.Group> top = stats.top(bucket, from, to, f.getKey(), Dimension.ENDPOINT,
                        UsageStats.Metric.REQUESTS, 10);
                assertThat(top).extracting(UsageStats.Group::key).as(as).containsExactlyInAnyOrderElementsOf(
                        kept.stream().map(UsageRecord::endpoint).distinct().toList());
                for (UsageStats.Group g : top) {
                    List<UsageRecord> of = kept.stream().filter(r -> r.endpoint().equals(g.key())).toList();
                    UsageStats.Totals t = g.totals();
                    assertThat(List.of(t.requests(), t.ok(), t.serverErrors(), t.failovers(), t.streams(),
                            t.promptTokens(), t.costMicros(), t.costUnknown(), t.latencySum(), t.ttftCount()))
                            .as("%s, %s", as, g.key()).containsExactly((long) of.size(),
                                    of.stream().filter(r -> r.statusClass() == 2).count(),
                                    of.stream().filter(r -> r.statusClass() == 5).count(),
                                    of.stream().filter(r -> r.attempts().size() > 1).count(),
                                    of.stream().filter(UsageRecord::stream).count(),
                                    of.stream().mapToLong(r -> r.tokens().input()).sum(),
                                    of.stream().mapToLong(r -> r.costMicros() == null ? 0 : r.costMicros()).sum(),
                                    of.stream().filter(r -> r.costMicros() == null).count(),
                                    of.stream().mapToLong(UsageRecord::latencyMillis).sum(),
                                    of.stream().filter(r -> r.firstByteMillis() >= 0).count());
                }
                Map<String, Long> expected = new java.util.TreeMap<>();
                kept.forEach(r -> expected.merge(bucket.grainStart(r.at().toEpochMilli()) + " " + r.endpoint(), 1L,
                        Long::sum));
                Map<String, Long> series = new java.util.TreeMap<>();
                stats.series(bucket, from, to, f.getKey(), Dimension.ENDPOINT, 6)
                        .forEach(p -> series.merge(p.bucket() + " " + p.group(), p.totals().requests(), Long::sum));
                assertThat(series).as(as).isEqualTo(expected);
            }
        }
        // And the unfiltered queries read the narrow day rollup for a whole day, not the full one.
        long before = stats.byEndpoint(Bucket.DAY, from, to, Filter.NONE).stream()
                .mapToLong(UsageStats.EndpointTotals::requests).sum();
        db.jdbi().useHandle(h -> h.execute("UPDATE usage_endpoint_day SET requests = requests + 1000 WHERE bucket = ?",
                T0 + 3 * DAY));
        assertThat(stats.byEndpoint(Bucket.DAY, from, to, Filter.NONE).stream()
                .mapToLong(UsageStats.EndpointTotals::requests).sum()).isEqualTo(before);
        db.jdbi().useHandle(h -> h.execute("UPDATE usage_endpoint_narrow_day SET requests = requests + 1000"
                + " WHERE bucket = ? AND endpoint = 'chat' AND status_class = 2", T0 + 3 * DAY));
        assertThat(stats.byEndpoint(Bucket.DAY, from, to, Filter.NONE).stream()
                .mapToLong(UsageStats.EndpointTotals::requests).sum()).isEqualTo(before + 1000);
        assertThat(stats.top(Bucket.DAY, from, to, Filter.NONE, Dimension.ENDPOINT, UsageStats.Metric.REQUESTS, 10)
                .stream().mapToLong(g -> g.totals().requests()).sum()).isEqualTo(before + 1000);
    }

    /** What {@link UsageStats#byEndpoint} should say of {@code rows}. */
    private static List<UsageStats.EndpointTotals> endpointTotals(List<UsageRecord> rows) {
        Map<String, List<UsageRecord>> by = new java.util.TreeMap<>();
        rows.forEach(r -> by.computeIfAbsent(r.endpoint() + " " + r.units().unit(), k -> new ArrayList<>()).add(r));
        return by.values().stream().map(of -> new UsageStats.EndpointTotals(of.getFirst().endpoint(),
                of.getFirst().units().unit(), of.size(), of.stream().filter(r -> r.statusClass() == 2).count(),
                of.stream().mapToLong(r -> r.units().count()).sum(), of.stream().filter(r -> r.units().estimated()).count(),
                of.stream().mapToLong(r -> r.tokens().input()).sum(), of.stream().mapToLong(r -> r.tokens().output()).sum(),
                of.stream().mapToLong(r -> r.costMicros() == null ? 0 : r.costMicros()).sum(),
                of.stream().filter(r -> r.costMicros() == null).count())).toList();
    }

    /**
     * Every column of every row as its record had it, nulls and odd text included, over more rows
     * than the writer binds at once and with labels repeated and not (the writer stages records in
     * arrays and one text buffer, not as objects).
     */
    @Test
    void everyColumnHoldsWhatItsRecordHad() throws Exception {
        List<UsageRecord> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            UsageRecord r = record(i, T0 + i, 1 + i % 3, i % 4, 1 + i % 2, i % 10 == 0 ? 502 : 200);
            String odd = i % 4 == 0 ? "naïve \"模型\" " + i : "m" + i % 4;
            r = new UsageRecord("req-" + i + (i % 6 == 0 ? "-ü" : ""), r.at(), i % 8 == 0 ? null : r.keyName(), odd,
                    i % 5 == 0 ? null : r.channel(), i % 5 == 0 ? null : r.upstreamModel(), r.status(), r.tokens(),
                    r.latencyMillis(), r.firstByteMillis(), r.stream(),
                    i % 7 == 0 ? List.of() : List.of(new Attempt("ch \"q\" é", "…ab", 200, "ok", i)), r.endReason(),
                    i % 8 == 0 ? null : r.keyId(), i % 5 == 0 ? null : r.channelId(), r.costMicros(),
                    i % 3 == 0 ? null : "anthropic", r.tokenSource(), i % 4 == 0 ? null : "10.1.0." + i,
                    i % 2 == 0 ? null : 7L, i % 3 == 0 ? 9L : null, i % 2 == 0 ? null : i, i % 9 == 0 ? null : "chat",
                    i % 4 == 0 ? new Units(i, "image", "1024x1024 hd", true) : Units.tokens(r.tokens()));
            rows.add(r);
        }
        write(rows, 1);
        String columns = "request_id, ts, key_name, public_model, channel, upstream_model, status, prompt_tokens,"
                + " completion_tokens, cached_read_tokens, cache_write_tokens, reasoning_tokens, latency_ms,"
                + " first_byte_ms, stream, attempts, end_reason, key_id, channel_id, cost_micros, client_api,"
                + " token_source, client_ip, user_id, team_id, config_version, endpoint, units, unit, unit_detail,"
                + " units_estimated";
        Map<String, List<Object>> stored = new HashMap<>();
        try (var connection = db.dataSource().getConnection();
                var rs = connection.createStatement().executeQuery("SELECT " + columns + " FROM usage")) {
            while (rs.next()) {
                List<Object> values = new ArrayList<>();
                for (int c = 1; c <= 31; c++) {
                    Object v = rs.getObject(c);
                    values.add(v instanceof Number n ? (Object) n.longValue() : v instanceof Boolean b ? b ? 1L : 0L : v);
                }
                stored.put((String) values.getFirst(), values);
            }
        }
        assertThat(stored).hasSize(rows.size());
        for (UsageRecord r : rows) {
            TokenUsage t = r.tokens();
            List<Object> expected = java.util.Arrays.asList(r.requestId(), r.at().toEpochMilli(), r.keyName(),
                    r.publicModel(), r.channel(), r.upstreamModel(), (long) r.status(), t.input(), t.output(),
                    t.cacheRead(), t.cacheWrite(), t.reasoning(), r.latencyMillis(),
                    r.firstByteMillis() < 0 ? null : r.firstByteMillis(), r.stream() ? 1L : 0L,
                    StagedBatch.attemptsJson(r.attempts()), r.endReason().recordName(), r.keyId(), r.channelId(),
                    r.costMicros(), r.clientApi(), r.tokenSource().recordName(), r.clientIp(), r.userId(),
                    r.teamId(), r.configVersion() == null ? null : (long) r.configVersion(), r.endpoint(),
                    r.units().count(), r.units().unit(), r.units().detail(), r.units().estimated() ? 1L : 0L);
            assertThat(stored.get(r.requestId())).as(r.requestId()).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void keysetPagingVisitsEveryMatchingRowOnceNewestFirst() throws Exception {
        List<UsageRecord> rows = new ArrayList<>(records(400, T0, DAY, 2));
        for (int i = 0; i < 30; i++) { // rows that share one millisecond: the id breaks the tie
            rows.add(record(10_000 + i, T0 + DAY / 2, 1, 1, 1, 200));
        }
        write(rows, 1);
        UsageStats stats = new UsageStats(db);
        RawFilter filter = new RawFilter(T0, T0 + DAY, null, null, "model1", null, null, null);
        long expected = rows.stream().filter(r -> r.publicModel().equals("model1")).count();
        Set<Long> seen = new HashSet<>();
        Cursor cursor = null;
        long lastTs = Long.MAX_VALUE;
        while (true) {
            List<UsageStats.Row> page = stats.rows(filter, cursor, 7);
            for (UsageStats.Row row : page) {
                assertThat(seen.add(row.id())).as("row %s seen twice", row.id()).isTrue();
                assertThat(row.ts()).isLessThanOrEqualTo(lastTs);
                assertThat(row.publicModel()).isEqualTo("model1");
                lastTs = row.ts();
            }
            if (page.size() < 7) {
                break;
            }
            cursor = new Cursor(page.getLast().ts(), page.getLast().id());
        }
        assertThat((long) seen.size()).isEqualTo(expected);
        List<UsageStats.Row> exported = new ArrayList<>();
        stats.each(filter, exported::add);
        assertThat(exported).hasSize((int) expected);
    }

    @Test
    void aRequestsRowIsFoundByTheTimeInItsIdWithoutAnIndexOfItsOwn() throws Exception {
        long t = T0 + 3 * DAY + 12_345;
        String id = idAt(t);
        // Written before rows took the id's millisecond as their time: stamped a moment after it.
        String older = idAt(t - 40_000);
        // Made the same millisecond as another id, and an id written twice (the newest row wins).
        String twin = idAt(t);
        List<UsageRecord> rows = new ArrayList<>(mixedRecords(3000, t - 2 * MINUTE, 4 * MINUTE, 9));
        rows.add(record(id, 1, t, 1, 1, 1, 200));
        rows.add(record(older, 2, t - 40_000 + 350, 2, 2, 2, 200));
        rows.add(record(twin, 3, t, 3, 3, 3, 502));
        rows.add(record(twin, 4, t, 4, 0, 0, 200));
        write(rows, 1);
        UsageStats stats = new UsageStats(db);
        assertThat(stats.request(id)).hasValueSatisfying(r -> {
            assertThat(r.requestId()).isEqualTo(id);
            assertThat(r.ts()).isEqualTo(t);
            assertThat(r.attempts()).contains("\"ok\"");
        });
        assertThat(stats.request(older)).hasValueSatisfying(r -> assertThat(r.ts()).isEqualTo(t - 40_000 + 350));
        assertThat(stats.request(twin)).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(200));
        // Ids the gateway never made, or made at a time with no such row: no row, and no scan of the table.
        for (String none : List.of("req-10", "mia-1", "", "req_", "req_zzzzzzzzzzzzzzzzzzzzzzzzzz",
                "req_" + Long.toString(t, 36) + "00000000", idAt(t + DAY))) {
            assertThat(stats.request(none)).as(none).isEmpty();
        }
        assertThat(lines(indexesSql())).noneMatch(line -> line.contains("request_id"));
        Map<String, Object> binds = new HashMap<>(Map.of("id", id, "from", t - 1_000, "to", t + 10_000));
        // The rows of the id's seconds, read through the time index (never the whole table).
        assertThat(String.join("\n", stats.plan(UsageStats.requestSql(), binds))).contains("usage_ts_id")
                .doesNotContainIgnoringCase("Seq Scan").doesNotContainPattern("SCAN usage(?! USING)");
    }

    /** The indexes of the raw usage table, one line each (name and definition). */
    abstract String indexesSql();

    /** A request id made at {@code millis}, as the gateway makes them. */
    static String idAt(long millis) {
        return RequestIds.next(FixedClock.at(Instant.ofEpochMilli(millis)));
    }

    @Test
    void retentionDeletesRawRowsAndRollupsPastTheirPeriods() throws Exception {
        long now = T0 + 500 * DAY;
        List<UsageRecord> rows = new ArrayList<>();
        rows.addAll(records(50, now - 450 * DAY, DAY, 3)); // past both
        rows.addAll(records(50, now - 100 * DAY, DAY, 4)); // past raw only
        rows.addAll(records(50, now - 2 * DAY, DAY, 5));   // kept
        rows.replaceAll(r -> r.withUnits("chat", r.units()));
        // Versions 1, 2 and 3 made 450, 420 and 2 days ago: version 1 ran wholly before the rollups'
        // cut-off (400 days), so its baseline goes; version 2 ran past it, so it stays.
        for (int i = 0; i < rows.size(); i++) {
            UsageRecord r = rows.get(i);
            rows.set(i, r.withClient(r.clientApi(), r.clientIp(), r.userId(), r.teamId(), 1 + i / 50));
        }
        long[] made = {now - 450 * DAY, now - 420 * DAY, now - 2 * DAY};
        db.jdbi().useHandle(h -> {
            for (int v = 1; v <= 3; v++) {
                h.createUpdate("INSERT INTO config_versions (version, at, actor, source, summary, diff, document)"
                        + " VALUES (:v, :at, 'test', 'api', 's', '{}', '{}')").bind("v", v).bind("at", made[v - 1])
                        .execute();
            }
        });
        write(rows, 1);
        Clock clock = FixedClock.at(Instant.ofEpochMilli(now));
        UsageRetention.Pruned pruned;
        try (UsageRetention retention = UsageRetention.of(db, Duration.ofDays(30), Duration.ofDays(400), clock)) {
            pruned = retention.prune();
        }
        assertThat(pruned.raw()).isEqualTo(100);
        assertThat(sums("SELECT COUNT(*) FROM usage").getFirst()).isEqualTo(50);
        assertThat(sums("SELECT SUM(requests) FROM usage_minute").getFirst()).isEqualTo(50);
        assertThat(sums("SELECT SUM(requests) FROM usage_day").getFirst()).isEqualTo(100);
        assertThat(sums("SELECT SUM(requests) FROM usage_hour").getFirst()).isEqualTo(100);
        for (String narrow : List.of("usage_route_hour", "usage_route_day", "usage_account_hour", "usage_account_day",
                "usage_endpoint_hour", "usage_endpoint_day", "usage_endpoint_narrow_hour", "usage_endpoint_narrow_day")) {
            assertThat(sums("SELECT SUM(requests) FROM " + narrow).getFirst()).as(narrow).isEqualTo(100);
        }
        assertThat(sums("SELECT SUM(requests) FROM usage_endpoint_minute").getFirst()).isEqualTo(50);
        assertThat(sums("SELECT MIN(config_version), SUM(requests) FROM usage_version")).containsExactly(2L, 100L);
    }

    /** {@link #records}, one in seven with no user, one in five of them embeddings, the rest chat. */
    static List<UsageRecord> mixedRecords(int n, long start, long spanMillis, int seed) {
        List<UsageRecord> rows = new ArrayList<>();
        for (UsageRecord r : records(n, start, spanMillis, seed)) {
            int i = Integer.parseInt(r.requestId().substring("req-".length()));
            UsageRecord owned = i % 7 == 0 ? r.withClient(r.clientApi(), r.clientIp(), null, null, null) : r;
            rows.add(owned.withUnits(i % 5 == 0 ? "embeddings" : "chat", owned.units()));
        }
        return rows;
    }

    @Test
    void eachRawFilterFindsExactlyItsRowsWhetherItsValueIsCommonOrRare() throws Exception {
        // The status, end-reason, endpoint and user indexes hold only some rows (V18); every filter
        // still finds all of its rows and no other, by the index or by walking the time index.
        List<UsageRecord> rows = mixedRecords(3000, T0, DAY, 8);
        write(rows, 1);
        UsageStats stats = new UsageStats(db);
        Map<RawFilter, java.util.function.Predicate<UsageRecord>> filters = new java.util.LinkedHashMap<>();
        for (int status : List.of(200, 429, 502, 404)) {
            filters.put(new RawFilter(T0, T0 + DAY, null, null, null, null, status, null), r -> r.status() == status);
        }
        for (EndReason end : List.of(EndReason.DONE, EndReason.FAILED, EndReason.CLIENT_GONE)) {
            filters.put(new RawFilter(T0, T0 + DAY, null, null, null, null, null, end.recordName()),
                    r -> r.endReason() == end);
        }
        for (String endpoint : List.of("chat", "embeddings", "images/generations")) {
            filters.put(new RawFilter(T0, T0 + DAY, null, null, null, null, null, null, endpoint),
                    r -> endpoint.equals(r.endpoint()));
        }
        for (long user : List.of(1L, 2L, 3L)) {
            filters.put(new RawFilter(T0, T0 + DAY, null, user, null, null, null, null),
                    r -> r.userId() != null && r.userId() == user);
        }
        filters.put(new RawFilter(T0, T0 + DAY, null, 2L, null, null, 502, "failed", "embeddings"),
                r -> r.userId() != null && r.userId() == 2 && r.status() == 502 && "embeddings".equals(r.endpoint()));
        for (Map.Entry<RawFilter, java.util.function.Predicate<UsageRecord>> e : filters.entrySet()) {
            Set<String> expected = new HashSet<>();
            rows.stream().filter(e.getValue()).forEach(r -> expected.add(r.requestId()));
            Set<String> found = new HashSet<>();
            stats.each(e.getKey(), row -> found.add(row.requestId()));
            assertThat(found).as("%s", e.getKey()).isEqualTo(expected);
            List<UsageStats.Row> newest = stats.rows(e.getKey(), null, 50);
            assertThat(newest).as("newest 50 of %s", e.getKey()).hasSize(Math.min(50, expected.size()));
        }
        assertThat(rows).anyMatch(r -> r.userId() == null).anyMatch(r -> "embeddings".equals(r.endpoint()));
    }

    @Test
    void theDashboardQueriesUseTheIndexes() throws Exception {
        write(mixedRecords(20_000, T0, 400 * DAY, 6), 1);
        db.jdbi().useHandle(h -> h.execute("ANALYZE"));
        UsageStats stats = new UsageStats(db);
        long from = T0 + 10 * DAY;
        long to = T0 + 40 * DAY;
        Map<String, RawFilter> filters = new java.util.LinkedHashMap<>();
        filters.put("usage_ts_id", new RawFilter(from, to, null, null, null, null, null, null));
        filters.put("usage_key_id_ts_id", new RawFilter(from, to, 3L, null, null, null, null, null));
        filters.put("usage_user_ts", new RawFilter(from, to, null, 2L, null, null, null, null));
        filters.put("usage_model_ts", new RawFilter(from, to, null, null, "model2", null, null, null));
        filters.put("usage_channel_id_ts_id", new RawFilter(from, to, null, null, null, 2L, null, null));
        filters.put("usage_status_ts", new RawFilter(from, to, null, null, null, null, 502, null));
        filters.put("usage_end_ts", new RawFilter(from, to, null, null, null, null, null, "failed"));
        filters.put("usage_endpoint_ts", new RawFilter(from, to, null, null, null, null, null, null, "embeddings"));
        for (Map.Entry<String, RawFilter> e : filters.entrySet()) {
            Map<String, Object> binds = new HashMap<>();
            List<String> plan = stats.plan(UsageStats.rowsSql(e.getValue(), binds), binds);
            assertThat(String.join("\n", plan)).as("newest 50 rows filtered for %s", e.getKey()).contains(e.getKey());
            if (!e.getKey().equals("usage_endpoint_ts")) { // PostgreSQL sorts its few hundred embeddings rows
                assertThat(String.join("\n", plan)).as("newest 50 rows filtered for %s", e.getKey())
                        .doesNotContainIgnoringCase(sortStep());
            }
        }
        // The common status, end reason and endpoint are not in those indexes (V18): their filters walk (ts, id).
        for (RawFilter common : List.of(new RawFilter(from, to, null, null, null, null, 200, null),
                new RawFilter(from, to, null, null, null, null, null, "done"),
                new RawFilter(from, to, null, null, null, null, null, null, "chat"))) {
            Map<String, Object> binds = new HashMap<>();
            assertThat(String.join("\n", stats.plan(UsageStats.rowsSql(common, binds), binds)))
                    .as("newest 50 rows of %s", common).contains("usage_ts_id").doesNotContainIgnoringCase(sortStep());
        }
        for (Dimension by : List.of(Dimension.MODEL, Dimension.CHANNEL)) {
            Map<String, Object> binds = new HashMap<>();
            List<String> plan = stats.plan(UsageStats.topSql(Bucket.DAY, from, to, Filter.NONE, by, binds), binds);
            assertThat(String.join("\n", plan)).as("30 days by %s from the day rollups", by)
                    .containsPattern(rollupIndex("usage_route_day"));
        }
        Map<String, Object> binds = new HashMap<>();
        List<String> plan = stats.plan(UsageStats.topSql(Bucket.DAY, from, to, Filter.NONE, Dimension.KEY, binds), binds);
        assertThat(String.join("\n", plan)).as("30 days by key").containsPattern(rollupIndex("usage_account_day"));
        binds = new HashMap<>();
        plan = stats.plan(UsageStats.topSql(Bucket.DAY, from, to, new Filter(3L, null, null, null, null, null, null),
                Dimension.MODEL, binds), binds);
        assertThat(String.join("\n", plan)).as("one key's 30 days by model, found by the key's index")
                .contains("usage_day_key_bucket");
    }

    /** How the plan shows a sort of the whole result (which the raw-row indexes avoid). */
    abstract String sortStep();

    /** How the plan shows a rollup table read by its primary key's bucket range. */
    abstract String rollupIndex(String table);

    /** Every row of {@code sql}, its columns as text, separated by spaces. */
    List<String> lines(String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).map((rs, ctx) -> {
            List<String> values = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                values.add(rs.getString(i));
            }
            return String.join(" ", values);
        }).list());
    }

    List<Long> sums(String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).map((rs, ctx) -> {
            List<Long> values = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                values.add(rs.getLong(i));
            }
            return values;
        }).one());
    }
}
