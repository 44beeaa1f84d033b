package dev.junction.usage;

import dev.junction.core.RequestIds;
import dev.junction.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jdbi.v3.core.statement.Query;

/**
 * The queries behind the stats API. Totals, breakdowns and time series read only the rollups
 * ({@link Rollups}): of the bucket asked for, the narrowest table that has every dimension the
 * query filters or groups by ({@link #table}), so a 30-day view by model reads 30 day rows per
 * model and channel, however many requests and keys there were. Percentiles come from the rollups' latency
 * histograms ({@link Histogram}). Raw rows are read newest first with keyset paging on
 * {@code (ts, id)}: never {@code OFFSET}, never {@code COUNT(*)}.
 */
public final class UsageStats {

    /** Bucket widths, each read from its own rollup table. */
    public enum Bucket {
        MINUTE(Rollups.Grain.MINUTE), HOUR(Rollups.Grain.HOUR), DAY(Rollups.Grain.DAY);

        final Rollups.Grain grain;

        Bucket(Rollups.Grain grain) {
            this.grain = grain;
        }

        public long millis() {
            return grain.millis;
        }

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The start of the bucket holding {@code epochMillis}. */
        public long grainStart(long epochMillis) {
            return grain.bucket(epochMillis);
        }

        /** The bucket a range of {@code millis} is best shown in: minutes up to 6 h, hours up to 14 days, else days. */
        public static Bucket forRange(long millis) {
            return millis <= 6 * 3_600_000L ? MINUTE : millis <= 14 * 86_400_000L ? HOUR : DAY;
        }

        public static Optional<Bucket> parse(String wire) {
            for (Bucket b : values()) {
                if (b.wire().equals(wire)) {
                    return Optional.of(b);
                }
            }
            return Optional.empty();
        }
    }

    /** What rollups can be grouped by. */
    public enum Dimension {
        MODEL("model", "public_model", false),
        CHANNEL("channel", "channel_id", true),
        KEY("key", "key_id", true),
        USER("user", "user_id", true),
        TEAM("team", "team_id", true),
        UPSTREAM_MODEL("upstream_model", "upstream_model", false),
        STATUS_CLASS("status_class", "status_class", true),
        /** chat, embeddings, images/generations, …: read from the endpoint rollups ({@link EndpointRollups}). */
        ENDPOINT("endpoint", "endpoint", false);

        /** Whether the account rollups (key, user, team) have this dimension. */
        boolean account() {
            return this == KEY || this == USER || this == TEAM || this == STATUS_CLASS;
        }

        /** Whether the route rollups (model, channel, upstream model) have this dimension. */
        boolean route() {
            return this == MODEL || this == CHANNEL || this == UPSTREAM_MODEL || this == STATUS_CLASS;
        }

        private final String wire;
        final String column;
        final boolean numeric;

        Dimension(String wire, String column, boolean numeric) {
            this.wire = wire;
            this.column = column;
            this.numeric = numeric;
        }

        public String wire() {
            return wire;
        }

        public static Optional<Dimension> parse(String wire) {
            for (Dimension d : values()) {
                if (d.wire.equals(wire)) {
                    return Optional.of(d);
                }
            }
            return Optional.empty();
        }

        public static String wires() {
            return java.util.Arrays.stream(values()).map(Dimension::wire).collect(Collectors.joining(", "));
        }
    }

    /** What a top-N list is ordered by. */
    public enum Metric {
        REQUESTS("requests", "SUM(requests)"),
        COST("cost", "SUM(cost_micros)"),
        TOKENS("tokens", "SUM(prompt_tokens) + SUM(completion_tokens)"),
        ERRORS("errors", "SUM(CASE WHEN status_class <> 2 THEN requests ELSE 0 END)");

        private final String wire;
        final String expression;

        Metric(String wire, String expression) {
            this.wire = wire;
            this.expression = expression;
        }

        public String wire() {
            return wire;
        }

        public static Optional<Metric> parse(String wire) {
            for (Metric m : values()) {
                if (m.wire.equals(wire)) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Which rollup rows count; null fields do not filter.
     *
     * @param userId for a member, always their own id
     */
    public record Filter(Long keyId, Long userId, Long teamId, String model, Long channelId, String upstreamModel,
            Integer statusClass) {

        public static final Filter NONE = new Filter(null, null, null, null, null, null, null);

        /** Whether it filters on a key, user or team. */
        boolean onAccount() {
            return keyId != null || userId != null || teamId != null;
        }

        /** Whether it filters on a model, channel or upstream model. */
        boolean onRoute() {
            return model != null || channelId != null || upstreamModel != null;
        }

        void apply(StringBuilder where, Map<String, Object> binds) {
            add(where, binds, "key_id", keyId);
            add(where, binds, "user_id", userId);
            add(where, binds, "team_id", teamId);
            add(where, binds, "public_model", model);
            add(where, binds, "channel_id", channelId);
            add(where, binds, "upstream_model", upstreamModel);
            add(where, binds, "status_class", statusClass);
        }
    }

    /**
     * Which raw rows count: {@code from} ≤ ts &lt; {@code to}; null fields do not filter ({@code endpoint}:
     * {@code chat}, {@code images/generations}, …).
     */
    public record RawFilter(long from, long to, Long keyId, Long userId, String model, Long channelId,
            Integer status, String endReason, String endpoint) {

        /** A filter on everything but the endpoint. */
        public RawFilter(long from, long to, Long keyId, Long userId, String model, Long channelId, Integer status,
                String endReason) {
            this(from, to, keyId, userId, model, channelId, status, endReason, null);
        }

        void apply(StringBuilder where, Map<String, Object> binds) {
            where.append(" WHERE ts >= :from AND ts < :to");
            binds.put("from", from);
            binds.put("to", to);
            add(where, binds, "key_id", keyId);
            add(where, binds, "user_id", userId);
            add(where, binds, "public_model", model);
            add(where, binds, "channel_id", channelId);
            add(where, binds, "status", status);
            add(where, binds, "end_reason", endReason);
            add(where, binds, "endpoint", endpoint);
            // The status, end-reason and endpoint indexes hold only the uncommon values (V18): a
            // filter on one of those repeats the index's condition, so the planner can prove the
            // index covers it whatever the bound value.
            if (status != null && status != 200) {
                where.append(" AND status <> 200");
            }
            if (endReason != null && !endReason.equals("done")) {
                where.append(" AND end_reason <> 'done'");
            }
            if (endpoint != null && !endpoint.equals("chat")) {
                where.append(" AND endpoint <> 'chat'");
            }
        }
    }

    /** Where a page of raw rows ends: the last row's time and id. */
    public record Cursor(long ts, long id) {

        /** {@code ts.id}, opaque to clients. */
        public String wire() {
            return ts + "." + id;
        }

        public static Optional<Cursor> parse(String wire) {
            int dot = wire.indexOf('.');
            try {
                return dot < 0 ? Optional.empty() : Optional.of(new Cursor(Long.parseLong(wire.substring(0, dot)),
                        Long.parseLong(wire.substring(dot + 1))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * The sums of a set of rollup rows.
     *
     * @param ok requests answered 2xx
     * @param clientErrors requests answered 4xx
     * @param serverErrors requests answered 5xx (or not answered)
     * @param failovers requests that tried more than one channel
     * @param estimated requests whose tokens were estimated
     * @param costMicros sum of the known costs, in micro-dollars
     * @param costUnknown requests whose cost is unknown
     * @param latency latency histogram ({@link Histogram})
     * @param ttft time-to-first-byte histogram
     */
    public record Totals(long requests, long ok, long clientErrors, long serverErrors, long failovers, long streams,
            long estimated, long promptTokens, long completionTokens, long cachedReadTokens, long cacheWriteTokens,
            long reasoningTokens, long costMicros, long costUnknown, long latencySum, long ttftSum, long ttftCount,
            long[] latency, long[] ttft) {
    }

    /** One group of a breakdown. */
    public record Group(String key, Totals totals) {
    }

    /** One point of a time series: a bucket's start, its group (null when not grouped) and sums. */
    public record Point(long bucket, String group, Totals totals) {
    }

    /**
     * One raw usage row, as stored.
     */
    public record Row(long id, String requestId, long ts, String keyName, Long keyId, Long userId, Long teamId,
            String publicModel, String channel, Long channelId, String upstreamModel, int status, long promptTokens,
            long completionTokens, long cachedReadTokens, long cacheWriteTokens, long reasoningTokens,
            Long costMicros, String tokenSource, long latencyMs, Long firstByteMs, boolean stream, String attempts,
            String endReason, String clientApi, String clientIp, Integer configVersion, String endpoint, long units,
            String unit, String unitDetail, boolean unitsEstimated) {
    }

    /**
     * The sums of one endpoint and unit ({@link EndpointRollups}).
     *
     * @param endpoint {@code chat}, {@code embeddings}, {@code images/generations}, …
     * @param unit what {@code units} counts: token, image, character, second or search
     * @param ok requests answered 2xx
     * @param unitsEstimated requests whose units were estimated
     */
    public record EndpointTotals(String endpoint, String unit, long requests, long ok, long units,
            long unitsEstimated, long promptTokens, long completionTokens, long costMicros, long costUnknown) {
    }

    private static final String SUMS = sums();

    private final Database database;

    public UsageStats(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    private static String sums() {
        List<String> s = new ArrayList<>(List.of("SUM(requests) AS requests",
                "SUM(CASE WHEN status_class = 2 THEN requests ELSE 0 END) AS ok",
                "SUM(CASE WHEN status_class = 4 THEN requests ELSE 0 END) AS client_errors",
                "SUM(CASE WHEN status_class = 5 THEN requests ELSE 0 END) AS server_errors"));
        for (String m : Rollups.MEASURES) {
            if (!m.equals("requests")) {
                s.add("SUM(" + m + ") AS " + m);
            }
        }
        return String.join(", ", s);
    }

    /**
     * The sums over {@code [from, to)} to the minute ({@code from} rounded down, {@code to} up):
     * whole days from the day rollups, the hours at the ends from the hour rollups and the minutes
     * at the edges from the minute rollups ({@link #spans}); {@code bucket} does not change the sum.
     */
    public Totals totals(Bucket bucket, long from, long to, Filter filter) {
        Map<String, Object> binds = new HashMap<>();
        String rows = rollups(spans(edge(from), to, Rollups.Grain.DAY), filter, null, null, binds);
        return read(h -> bind(h.createQuery("SELECT " + SUMS + " FROM " + rows), binds)
                .map((rs, ctx) -> totals(rs)).one());
    }

    /** The {@code limit} largest groups by {@code metric}, largest first. */
    public List<Group> top(Bucket bucket, long from, long to, Filter filter, Dimension by, Metric metric, int limit) {
        Map<String, Object> binds = new HashMap<>();
        String rows = rollups(spans(edge(from), to, Rollups.Grain.DAY), filter, by, null, binds);
        binds.put("limit", limit);
        String sql = "SELECT " + by.column + " AS g, " + SUMS + " FROM " + rows
                + " GROUP BY " + by.column + " ORDER BY " + metric.expression + " DESC, " + by.column + " LIMIT :limit";
        return read(h -> bind(h.createQuery(sql), binds)
                .map((rs, ctx) -> new Group(rs.getString("g"), totals(rs))).list());
    }

    /**
     * The series over {@code [from, to)} per bucket, per group of {@code by} when given (then only
     * the {@code groups} largest groups by requests, the rest summed under {@code "other"}). Whole
     * buckets are read from their own grain's rollups, the partial ones at the ends from finer ones
     * ({@link #spans}), so the first and last points hold only what falls in the range.
     */
    public List<Point> series(Bucket bucket, long from, long to, Filter filter, Dimension by, int groups) {
        Map<String, Object> binds = new HashMap<>();
        String rows = rollups(spans(edge(from), to, bucket.grain), filter, by, bucket.grain, binds);
        if (by == null) {
            String sql = "SELECT bucket, " + SUMS + " FROM " + rows + " GROUP BY bucket ORDER BY bucket";
            return read(h -> bind(h.createQuery(sql), binds)
                    .map((rs, ctx) -> new Point(rs.getLong("bucket"), null, totals(rs))).list());
        }
        List<String> kept = top(bucket, from, to, filter, by, Metric.REQUESTS, groups).stream().map(Group::key).toList();
        String sql = "SELECT bucket, " + by.column + " AS g, " + SUMS + " FROM " + rows
                + " GROUP BY bucket, " + by.column + " ORDER BY bucket";
        List<Point> points = read(h -> bind(h.createQuery(sql), binds)
                .map((rs, ctx) -> new Point(rs.getLong("bucket"), rs.getString("g"), totals(rs))).list());
        Map<String, Point> merged = new LinkedHashMap<>();
        for (Point p : points) {
            String group = kept.contains(p.group()) ? p.group() : "other";
            merged.merge(p.bucket() + "\u0000" + group, new Point(p.bucket(), group, p.totals()),
                    (a, b) -> new Point(a.bucket(), a.group(), plus(a.totals(), b.totals())));
        }
        return List.copyOf(merged.values());
    }

    /**
     * Usage over {@code [from, to)} per endpoint and unit, the most requested first, from the
     * endpoint rollups: whole days from the day grain, the ends from the hour and minute grains
     * (the narrow endpoint tables when {@code filter} is on none of key, user, team, model, channel
     * and upstream model: {@link #table}).
     */
    public List<EndpointTotals> byEndpoint(Bucket bucket, long from, long to, Filter filter) {
        Map<String, Object> binds = new HashMap<>();
        String rows = union(spans(edge(from), to, Rollups.Grain.DAY), grain -> endpointTable(grain, filter),
                List.of("endpoint", "unit", "status_class"), EndpointRollups.MEASURES, filter, null, binds);
        String sql = "SELECT endpoint, unit, SUM(requests) AS requests,"
                + " SUM(CASE WHEN status_class = 2 THEN requests ELSE 0 END) AS ok, SUM(units) AS units,"
                + " SUM(units_estimated) AS units_estimated, SUM(prompt_tokens) AS prompt_tokens,"
                + " SUM(completion_tokens) AS completion_tokens, SUM(cost_micros) AS cost_micros,"
                + " SUM(cost_unknown) AS cost_unknown FROM " + rows
                + " GROUP BY endpoint, unit ORDER BY SUM(requests) DESC, endpoint, unit";
        return read(h -> bind(h.createQuery(sql), binds).map((rs, ctx) -> new EndpointTotals(
                rs.getString("endpoint"), rs.getString("unit"), rs.getLong("requests"), rs.getLong("ok"),
                rs.getLong("units"), rs.getLong("units_estimated"), rs.getLong("prompt_tokens"),
                rs.getLong("completion_tokens"), rs.getLong("cost_micros"), rs.getLong("cost_unknown"))).list());
    }

    /**
     * Runs a rollup read. On PostgreSQL without parallel workers: a range's {@code UNION ALL} of
     * small index ranges invites a Parallel Append, whose worker start-up cost far more than the
     * read (2.5 ms serial against 57 ms parallel for a 30-day breakdown, bench/RESULTS.md).
     */
    private <T> T read(org.jdbi.v3.core.HandleCallback<T, RuntimeException> callback) {
        if (database.dialect() != Database.Dialect.POSTGRESQL) {
            return database.jdbi().withHandle(callback);
        }
        return database.jdbi().inTransaction(h -> {
            h.execute("SET LOCAL max_parallel_workers_per_gather = 0");
            return callback.withHandle(h);
        });
    }

    /** Labels of the ids a dimension groups by (channel, key, user and team names); empty for the others. */
    public Map<String, String> names(Dimension by) {
        String sql = switch (by) {
            case CHANNEL -> "SELECT id, name FROM channels";
            case KEY -> "SELECT id, name FROM gateway_keys";
            case USER -> "SELECT id, name FROM users";
            case TEAM -> "SELECT id, name FROM teams";
            default -> null;
        };
        if (sql == null) {
            return Map.of();
        }
        return database.jdbi().withHandle(h -> {
            Map<String, String> names = new HashMap<>();
            h.createQuery(sql).map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                    .forEach(e -> names.put(e.getKey(), e.getValue()));
            return names;
        });
    }

    /** Up to {@code limit} raw rows, newest first, after {@code cursor} when given. */
    public List<Row> rows(RawFilter filter, Cursor cursor, int limit) {
        Map<String, Object> binds = new HashMap<>();
        StringBuilder where = new StringBuilder();
        filter.apply(where, binds);
        if (cursor != null) {
            where.append(" AND (ts < :cts OR (ts = :cts AND id < :cid))");
            binds.put("cts", cursor.ts());
            binds.put("cid", cursor.id());
        }
        binds.put("limit", limit);
        return database.jdbi().withHandle(h -> bind(h.createQuery(rawSql(where) + " ORDER BY ts DESC, id DESC LIMIT :limit"),
                binds).map((rs, ctx) -> row(rs)).list());
    }

    /**
     * How far from the millisecond in its id a request's row may lie: none for rows written since
     * the row's time is that millisecond; rows written before were stamped a moment after it.
     */
    static final long ID_TIME_BEFORE_MILLIS = 1_000;
    static final long ID_TIME_AFTER_MILLIS = 10_000;

    /**
     * The row of one request (the newest, should an id repeat), found by the time its id carries
     * through the time index: the rows of a few seconds are read, never the table. An id the
     * gateway did not make names no row.
     */
    public Optional<Row> request(String requestId) {
        Optional<java.time.Instant> madeAt = RequestIds.madeAt(requestId);
        if (madeAt.isEmpty()) {
            return Optional.empty();
        }
        long millis = madeAt.get().toEpochMilli();
        return database.jdbi().withHandle(h -> h.createQuery(requestSql())
                .bind("from", millis - ID_TIME_BEFORE_MILLIS).bind("to", millis + ID_TIME_AFTER_MILLIS)
                .bind("id", requestId).map((rs, ctx) -> row(rs)).findOne());
    }

    /** The query of {@link #request}: binds {@code id}, {@code from} and {@code to}. */
    static String requestSql() {
        return rawSql(new StringBuilder(" WHERE ts >= :from AND ts <= :to AND request_id = :id"))
                + " ORDER BY ts DESC, id DESC LIMIT 1";
    }

    /**
     * Every raw row matching {@code filter}, newest first, one at a time: the database streams them
     * (a cursor on PostgreSQL; SQLite steps) so memory holds one fetch of rows, never the result.
     */
    public void each(RawFilter filter, Consumer<Row> sink) {
        Map<String, Object> binds = new HashMap<>();
        StringBuilder where = new StringBuilder();
        filter.apply(where, binds);
        database.jdbi().useTransaction(h -> {
            Query query = bind(h.createQuery(rawSql(where) + " ORDER BY ts DESC, id DESC"), binds);
            query.setFetchSize(1000);
            query.map((rs, ctx) -> row(rs)).forEach(sink);
        });
    }

    /** The plan the database chooses for {@code sql} (EXPLAIN QUERY PLAN / EXPLAIN), one line per row. */
    public List<String> plan(String sql, Map<String, Object> binds) {
        String explain = (database.dialect() == Database.Dialect.SQLITE ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + sql;
        return database.jdbi().withHandle(h -> bind(h.createQuery(explain), binds)
                .map((rs, ctx) -> database.dialect() == Database.Dialect.SQLITE ? rs.getString("detail")
                        : rs.getString(1)).list());
    }

    /** The raw-rows query a filter makes, for {@link #plan}. */
    static String rowsSql(RawFilter filter, Map<String, Object> binds) {
        StringBuilder where = new StringBuilder();
        filter.apply(where, binds);
        binds.put("limit", 50);
        return rawSql(where) + " ORDER BY ts DESC, id DESC LIMIT :limit";
    }

    /** The breakdown query, for {@link #plan}. */
    static String topSql(Bucket bucket, long from, long to, Filter filter, Dimension by,
            Map<String, Object> binds) {
        String rows = rollups(spans(from, to, Rollups.Grain.DAY), filter, by, null, binds);
        binds.put("limit", 10);
        return "SELECT " + by.column + " AS g, " + SUMS + " FROM " + rows
                + " GROUP BY " + by.column + " ORDER BY SUM(requests) DESC LIMIT :limit";
    }

    /**
     * One part of a range and the rollup grain it is read from: buckets {@code from} ≤ bucket &lt;
     * {@code to}, both on the grain's boundaries.
     */
    record Span(Rollups.Grain grain, long from, long to) {
    }

    /**
     * How {@code [from, to)} is read, to the minute ({@code from} rounded down, {@code to} up): the
     * whole buckets of {@code coarsest} from its rollups, what is left at either end in whole
     * buckets of the next finer grain, and so on down to minutes. A week from 10:37 on day 1 to
     * 14:05 on day 8 is 23 minutes, 13 hours, 6 days, 14 hours and 5 minutes: about a tenth of the
     * rows its 168 hours would be. In order of time; never empty (an empty range is one empty span).
     */
    static List<Span> spans(long from, long to, Rollups.Grain coarsest) {
        long f = Rollups.Grain.MINUTE.bucket(from);
        long t = -Rollups.Grain.MINUTE.bucket(-to);
        List<Span> spans = new ArrayList<>();
        split(f, t, coarsest, spans);
        return spans.isEmpty() ? List.of(new Span(Rollups.Grain.MINUTE, f, f)) : List.copyOf(spans);
    }

    private static void split(long from, long to, Rollups.Grain grain, List<Span> spans) {
        if (from >= to) {
            return;
        }
        if (grain == Rollups.Grain.MINUTE) {
            spans.add(new Span(grain, from, to));
            return;
        }
        Rollups.Grain finer = Rollups.Grain.values()[grain.ordinal() - 1];
        long first = -grain.bucket(-from);
        long last = grain.bucket(to);
        if (first < last) {
            split(from, first, finer, spans);
            spans.add(new Span(grain, first, last));
            split(last, to, finer, spans);
        } else {
            split(from, to, finer, spans);
        }
    }

    /**
     * The start of a range as it can be read: to the minute while the minute rollups reach back to
     * it, else its hour. Minute rollups are kept as long as raw rows ({@code keep_raw}), hours and
     * days longer; when none is as old as {@code from}, either there was no traffic before it (so
     * the whole hour holds none from before {@code from} and its sum is exact) or they were
     * pruned, and the hour is the finest sum left.
     */
    private long edge(long from) {
        if (from % Rollups.Grain.HOUR.millis == 0) {
            return from;
        }
        Long oldest = database.jdbi().withHandle(h -> h.createQuery("SELECT MIN(bucket) FROM "
                + Rollups.Grain.MINUTE.table).mapTo(Long.class).findOne().orElse(null));
        return oldest != null && oldest <= Rollups.Grain.MINUTE.bucket(from) ? from : Rollups.Grain.HOUR.bucket(from);
    }

    /** The rollup rows of {@code spans} for a query by {@code by} ({@link #union}). */
    private static String rollups(List<Span> spans, Filter filter, Dimension by, Rollups.Grain points,
            Map<String, Object> binds) {
        List<String> keys = by == null || by == Dimension.STATUS_CLASS ? List.of("status_class")
                : List.of(by.column, "status_class");
        return union(spans, grain -> table(grain, filter, by), keys, Rollups.MEASURES, filter, points, binds);
    }

    /**
     * A derived table of the rollup rows of every span that {@code filter} keeps, each span read
     * from its grain's table (its index on the bucket range) and summed by {@code keys} (and by
     * point of {@code points}' width when given, a finer grain's buckets folded into it), so the
     * outer query sums a few rows per span.
     */
    private static String union(List<Span> spans, java.util.function.Function<Rollups.Grain, String> table,
            List<String> keys, List<String> measures, Filter filter, Rollups.Grain points, Map<String, Object> binds) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < spans.size(); i++) {
            Span span = spans.get(i);
            List<String> group = new ArrayList<>(keys);
            String select = String.join(", ", keys);
            if (points != null) {
                String bucket = span.grain() == points ? "bucket" : "bucket - bucket % " + points.millis;
                group.add(bucket);
                select = bucket + " AS bucket, " + select;
            }
            StringBuilder where = new StringBuilder(" WHERE bucket >= :from" + i + " AND bucket < :to" + i);
            binds.put("from" + i, span.from());
            binds.put("to" + i, span.to());
            filter.apply(where, binds);
            parts.add("SELECT " + select + ", " + measures.stream().map(m -> "SUM(" + m + ") AS " + m)
                    .collect(Collectors.joining(", ")) + " FROM " + table.apply(span.grain()) + where
                    + " GROUP BY " + String.join(", ", group));
        }
        return "(" + String.join(" UNION ALL ", parts) + ") spans";
    }

    /**
     * The rollup table a query reads: of {@code bucket}'s grain, the route table when it filters and
     * groups by none of key, user and team; the account table when by none of model, channel and
     * upstream model; the full table when it mixes both (or for minutes, which have only the full
     * table: a minute view spans at most hours, so it reads at most those hours' requests). Grouped
     * by endpoint, the narrow endpoint table of the grain (endpoint, unit and status class) when the
     * filter is on none of the account and route dimensions, else the full endpoint table, which has
     * every dimension (and is the only one of minutes).
     *
     * @param by the grouping, or null
     */
    public static String table(Bucket bucket, Filter filter, Dimension by) {
        return table(bucket.grain, filter, by);
    }

    private static String table(Rollups.Grain grain, Filter filter, Dimension by) {
        if (by == Dimension.ENDPOINT) {
            return endpointTable(grain, filter);
        }
        boolean account = filter.onAccount() || (by != null && by.account() && !by.route());
        boolean route = filter.onRoute() || (by != null && by.route() && !by.account());
        Rollups.Shape shape = account && route ? Rollups.Shape.FULL
                : account ? Rollups.Shape.ACCOUNT : Rollups.Shape.ROUTE;
        return shape.has(grain) ? shape.table(grain) : grain.table;
    }

    /** The endpoint rollup table a query by endpoint reads ({@link #table}). */
    private static String endpointTable(Rollups.Grain grain, Filter filter) {
        boolean narrow = !filter.onAccount() && !filter.onRoute() && grain != Rollups.Grain.MINUTE;
        return narrow ? EndpointRollups.narrowTable(grain) : EndpointRollups.table(grain);
    }

    private static String rawSql(CharSequence where) {
        return "SELECT id, request_id, ts, key_name, key_id, user_id, team_id, public_model, channel, channel_id,"
                + " upstream_model, status, prompt_tokens, completion_tokens, cached_read_tokens, cache_write_tokens,"
                + " reasoning_tokens, cost_micros, token_source, latency_ms, first_byte_ms, stream, attempts,"
                + " end_reason, client_api, client_ip, config_version, endpoint, units, unit, unit_detail,"
                + " units_estimated FROM usage" + where;
    }

    private static void add(StringBuilder where, Map<String, Object> binds, String column, Object value) {
        if (value != null) {
            where.append(" AND ").append(column).append(" = :").append(column);
            binds.put(column, value);
        }
    }

    private static Query bind(Query query, Map<String, Object> binds) {
        binds.forEach(query::bind);
        return query;
    }

    private static Totals totals(ResultSet rs) throws SQLException {
        long[] latency = new long[Histogram.BUCKETS];
        long[] ttft = new long[Histogram.BUCKETS];
        for (int i = 0; i < Histogram.BUCKETS; i++) {
            latency[i] = rs.getLong("lat_h" + i);
            ttft[i] = rs.getLong("ttft_h" + i);
        }
        return new Totals(rs.getLong("requests"), rs.getLong("ok"), rs.getLong("client_errors"),
                rs.getLong("server_errors"), rs.getLong("failovers"), rs.getLong("streams"), rs.getLong("estimated"),
                rs.getLong("prompt_tokens"), rs.getLong("completion_tokens"), rs.getLong("cached_read_tokens"),
                rs.getLong("cache_write_tokens"), rs.getLong("reasoning_tokens"), rs.getLong("cost_micros"),
                rs.getLong("cost_unknown"), rs.getLong("latency_ms_sum"), rs.getLong("ttft_ms_sum"),
                rs.getLong("ttft_count"), latency, ttft);
    }

    static Totals plus(Totals a, Totals b) {
        long[] latency = new long[Histogram.BUCKETS];
        long[] ttft = new long[Histogram.BUCKETS];
        for (int i = 0; i < Histogram.BUCKETS; i++) {
            latency[i] = a.latency()[i] + b.latency()[i];
            ttft[i] = a.ttft()[i] + b.ttft()[i];
        }
        return new Totals(a.requests() + b.requests(), a.ok() + b.ok(), a.clientErrors() + b.clientErrors(),
                a.serverErrors() + b.serverErrors(), a.failovers() + b.failovers(), a.streams() + b.streams(),
                a.estimated() + b.estimated(), a.promptTokens() + b.promptTokens(),
                a.completionTokens() + b.completionTokens(), a.cachedReadTokens() + b.cachedReadTokens(),
                a.cacheWriteTokens() + b.cacheWriteTokens(), a.reasoningTokens() + b.reasoningTokens(),
                a.costMicros() + b.costMicros(), a.costUnknown() + b.costUnknown(), a.latencySum() + b.latencySum(),
                a.ttftSum() + b.ttftSum(), a.ttftCount() + b.ttftCount(), latency, ttft);
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getLong("id"), rs.getString("request_id"), rs.getLong("ts"), rs.getString("key_name"),
                nullableLong(rs, "key_id"), nullableLong(rs, "user_id"), nullableLong(rs, "team_id"),
                rs.getString("public_model"), rs.getString("channel"), nullableLong(rs, "channel_id"),
                rs.getString("upstream_model"), rs.getInt("status"), rs.getLong("prompt_tokens"),
                rs.getLong("completion_tokens"), rs.getLong("cached_read_tokens"), rs.getLong("cache_write_tokens"),
                rs.getLong("reasoning_tokens"), nullableLong(rs, "cost_micros"), rs.getString("token_source"),
                rs.getLong("latency_ms"), nullableLong(rs, "first_byte_ms"), rs.getBoolean("stream"),
                rs.getString("attempts"), rs.getString("end_reason"), rs.getString("client_api"),
                rs.getString("client_ip"), rs.getObject("config_version") == null ? null : rs.getInt("config_version"),
                rs.getString("endpoint"), rs.getLong("units"), rs.getString("unit"), rs.getString("unit_detail"),
                rs.getBoolean("units_estimated"));
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
