package dev.junction.usage;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The per-minute, per-hour and per-day aggregates of the usage rows, folded by the writer in the
 * transaction that inserts the raw rows: a batch is summed in memory by (bucket, key, user, team,
 * public model, channel, upstream model, status class) for the full tables, and by fewer
 * dimensions for the narrower ones ({@link Shape}), then each sum is added with one upsert
 * ({@code ON CONFLICT ... DO UPDATE SET x = x + excluded.x}), which SQLite and PostgreSQL both
 * speak and which stays right when several instances write to one database. The upserts go in one
 * order (by their keys), so two instances' transactions lock the same rows in the same order and
 * cannot deadlock.
 */
final class Rollups {

    /** A rollup table and the width of its buckets. */
    enum Grain {
        MINUTE("usage_minute", 60_000L),
        HOUR("usage_hour", 3_600_000L),
        DAY("usage_day", 86_400_000L);

        final String table;
        final long millis;

        Grain(String table, long millis) {
            this.table = table;
            this.millis = millis;
        }

        long bucket(long epochMillis) {
            return Math.floorDiv(epochMillis, millis) * millis;
        }
    }

    /**
     * Which dimensions a rollup table keeps. The full tables keep all of them, in every grain; the
     * narrower ones (hour and day only) leave out the account or the route dimensions, so their size
     * is set by how many models and channels (or keys, users and teams) there are, not by the
     * number of requests: what a 30-day view of a large table reads.
     */
    enum Shape {
        FULL(List.of("key_id", "user_id", "team_id", "public_model", "channel_id", "upstream_model"), ""),
        ROUTE(List.of("public_model", "channel_id", "upstream_model"), "route"),
        ACCOUNT(List.of("key_id", "user_id", "team_id"), "account");

        final List<String> dimensions;
        private final String infix;

        Shape(List<String> dimensions, String infix) {
            List<String> all = new java.util.ArrayList<>(List.of("bucket"));
            all.addAll(dimensions);
            all.add("status_class");
            this.dimensions = List.copyOf(all);
            this.infix = infix;
        }

        /** The table of this shape in {@code grain}: {@code usage_hour}, {@code usage_route_hour}, … */
        String table(Grain grain) {
            return infix.isEmpty() ? grain.table : grain.table.replace("usage_", "usage_" + infix + "_");
        }

        /** Whether this shape has a table in {@code grain} (the narrow ones have no minute grain). */
        boolean has(Grain grain) {
            return this == FULL || grain != Grain.MINUTE;
        }
    }

    /** The dimensions of one rollup row; absent ones (or ones the shape leaves out) are 0 or "". */
    record Key(long bucket, long keyId, long userId, long teamId, String publicModel, long channelId,
            String upstreamModel, int statusClass) implements Comparable<Key> {

        private static final Comparator<Key> ORDER = Comparator.comparingLong(Key::bucket)
                .thenComparingLong(Key::keyId).thenComparingLong(Key::userId).thenComparingLong(Key::teamId)
                .thenComparing(Key::publicModel).thenComparingLong(Key::channelId)
                .thenComparing(Key::upstreamModel).thenComparingInt(Key::statusClass);

        /** The key of {@code cell}'s row in {@code shape}'s table of {@code grain}. */
        static Key of(Grain grain, Shape shape, Cells.Cell cell) {
            boolean account = shape != Shape.ROUTE;
            boolean route = shape != Shape.ACCOUNT;
            return new Key(grain.bucket(cell.minute()), account ? cell.keyId() : 0, account ? cell.userId() : 0,
                    account ? cell.teamId() : 0, route ? cell.publicModel() : "", route ? cell.channelId() : 0,
                    route ? cell.upstreamModel() : "", cell.statusClass());
        }

        @Override
        public int compareTo(Key o) {
            return ORDER.compare(this, o);
        }
    }

    /** The sums of one rollup row. */
    static final class Sums {
        long requests;
        long failovers;
        long streams;
        long estimated;
        long prompt;
        long completion;
        long cachedRead;
        long cacheWrite;
        long reasoning;
        long cost;
        long costUnknown;
        long latencySum;
        long ttftSum;
        long ttftCount;
        final long[] latency = new long[Histogram.BUCKETS];
        final long[] ttft = new long[Histogram.BUCKETS];

        void add(UsageRecord r) {
            requests++;
            failovers += r.attempts().size() > 1 ? 1 : 0;
            streams += r.stream() ? 1 : 0;
            estimated += r.tokenSource() == dev.junction.core.TokenSource.ESTIMATED ? 1 : 0;
            prompt += r.tokens().input();
            completion += r.tokens().output();
            cachedRead += r.tokens().cacheRead();
            cacheWrite += r.tokens().cacheWrite();
            reasoning += r.tokens().reasoning();
            if (r.costMicros() != null) {
                cost += r.costMicros();
            } else {
                costUnknown++;
            }
            latencySum += r.latencyMillis();
            latency[Histogram.bucket(r.latencyMillis())]++;
            if (r.firstByteMillis() >= 0) {
                ttftSum += r.firstByteMillis();
                ttftCount++;
                ttft[Histogram.bucket(r.firstByteMillis())]++;
            }
        }

        /** Adds {@code o}'s sums to these. */
        void add(Sums o) {
            requests += o.requests;
            failovers += o.failovers;
            streams += o.streams;
            estimated += o.estimated;
            prompt += o.prompt;
            completion += o.completion;
            cachedRead += o.cachedRead;
            cacheWrite += o.cacheWrite;
            reasoning += o.reasoning;
            cost += o.cost;
            costUnknown += o.costUnknown;
            latencySum += o.latencySum;
            ttftSum += o.ttftSum;
            ttftCount += o.ttftCount;
            for (int i = 0; i < latency.length; i++) {
                latency[i] += o.latency[i];
                ttft[i] += o.ttft[i];
            }
        }
    }

    static final List<String> DIMENSIONS = Shape.FULL.dimensions;
    static final List<String> MEASURES = measures();

    private static List<String> measures() {
        List<String> m = new java.util.ArrayList<>(List.of("requests", "failovers", "streams", "estimated",
                "prompt_tokens", "completion_tokens", "cached_read_tokens", "cache_write_tokens", "reasoning_tokens",
                "cost_micros", "cost_unknown", "latency_ms_sum", "ttft_ms_sum", "ttft_count"));
        IntStream.range(0, Histogram.BUCKETS).forEach(i -> m.add("lat_h" + i));
        IntStream.range(0, Histogram.BUCKETS).forEach(i -> m.add("ttft_h" + i));
        return List.copyOf(m);
    }

    private Rollups() {
    }

    /** The upsert of each shape's table in each grain, built once. */
    private static final Map<Shape, Map<Grain, String>> UPSERTS = upserts();

    private static Map<Shape, Map<Grain, String>> upserts() {
        Map<Shape, Map<Grain, String>> all = new java.util.EnumMap<>(Shape.class);
        for (Shape shape : Shape.values()) {
            Map<Grain, String> byGrain = new java.util.EnumMap<>(Grain.class);
            for (Grain grain : Grain.values()) {
                byGrain.put(grain, upsertSql(grain, shape));
            }
            all.put(shape, byGrain);
        }
        return all;
    }

    static String upsert(Grain grain, Shape shape) {
        return UPSERTS.get(shape).get(grain);
    }

    private static String upsertSql(Grain grain, Shape shape) {
        return upsertSql(shape.table(grain), shape.dimensions, MEASURES);
    }

    /** {@code INSERT ... ON CONFLICT (dimensions) DO UPDATE SET m = m + excluded.m} for each measure. */
    static String upsertSql(String table, List<String> dimensions, List<String> measures) {
        List<String> columns = new java.util.ArrayList<>(dimensions);
        columns.addAll(measures);
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ") ON CONFLICT ("
                + String.join(", ", dimensions) + ") DO UPDATE SET "
                + measures.stream().map(m -> m + " = " + table + "." + m + " + excluded." + m)
                        .collect(Collectors.joining(", "));
    }

    /**
     * Sums a batch's {@code cells} for each table (every shape in every grain it has) and adds the
     * sums to the rollup tables, in {@code statements}' transaction. The tables go in one fixed
     * order, and the rows of each in key order, so concurrent writers lock in the same order.
     */
    static void fold(Statements statements, Map<Cells.Cell, EndpointRollups.Sums> cells) throws SQLException {
        for (Shape shape : Shape.values()) {
            for (Grain grain : Grain.values()) {
                if (shape.has(grain)) {
                    fold(statements, cells, grain, shape);
                }
            }
        }
    }

    private static void fold(Statements statements, Map<Cells.Cell, EndpointRollups.Sums> cells, Grain grain,
            Shape shape) throws SQLException {
        Map<Key, Sums> sums = new HashMap<>();
        for (Map.Entry<Cells.Cell, EndpointRollups.Sums> cell : cells.entrySet()) {
            sums.computeIfAbsent(Key.of(grain, shape, cell.getKey()), k -> new Sums()).add(cell.getValue().measures);
        }
        PreparedStatement upsert = statements.of(upsert(grain, shape));
        for (Map.Entry<Key, Sums> e : inKeyOrder(sums)) {
            bind(upsert, e.getKey(), e.getValue(), shape);
            upsert.addBatch();
        }
        upsert.executeBatch();
    }

    /**
     * The entries of a batch's sums in key order, the order every writer upserts in. The sums are
     * gathered in a hash map (one lookup per row) and only the distinct keys are sorted.
     */
    static <K extends Comparable<K>, V> List<Map.Entry<K, V>> inKeyOrder(Map<K, V> sums) {
        List<Map.Entry<K, V>> entries = new java.util.ArrayList<>(sums.entrySet());
        entries.sort(Map.Entry.comparingByKey());
        return entries;
    }

    private static void bind(PreparedStatement s, Key k, Sums v, Shape shape) throws SQLException {
        int i = 1;
        s.setLong(i++, k.bucket());
        if (shape != Shape.ROUTE) {
            s.setLong(i++, k.keyId());
            s.setLong(i++, k.userId());
            s.setLong(i++, k.teamId());
        }
        if (shape != Shape.ACCOUNT) {
            s.setString(i++, k.publicModel());
            s.setLong(i++, k.channelId());
            s.setString(i++, k.upstreamModel());
        }
        s.setInt(i++, k.statusClass());
        bindMeasures(s, i, v);
    }

    /** Binds {@code v} in {@link #MEASURES} order from parameter {@code i} on. */
    static void bindMeasures(PreparedStatement s, int i, Sums v) throws SQLException {
        for (long value : new long[] {v.requests, v.failovers, v.streams, v.estimated, v.prompt, v.completion,
                v.cachedRead, v.cacheWrite, v.reasoning, v.cost, v.costUnknown, v.latencySum, v.ttftSum,
                v.ttftCount}) {
            s.setLong(i++, value);
        }
        for (long value : v.latency) {
            s.setLong(i++, value);
        }
        for (long value : v.ttft) {
            s.setLong(i++, value);
        }
    }
}
