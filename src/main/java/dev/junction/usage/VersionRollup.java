package dev.junction.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The per-version aggregate ({@code usage_version}) the {@link Baselines} read: sums and sums of
 * squares of cost, tokens, latency and time to first byte per (routing-config version, public
 * model, channel, key, team, status class), folded by the writer in the transaction of the raw rows,
 * in key order like {@link Rollups} (so two instances cannot deadlock).
 */
final class VersionRollup {

    static final String TABLE = "usage_version";

    record Key(long version, String publicModel, long channelId, long keyId, long teamId, int statusClass)
            implements Comparable<Key> {

        private static final Comparator<Key> ORDER = Comparator.comparingLong(Key::version)
                .thenComparing(Key::publicModel).thenComparingLong(Key::channelId).thenComparingLong(Key::keyId)
                .thenComparingLong(Key::teamId).thenComparingInt(Key::statusClass);

        static Key of(UsageRecord r) {
            return new Key(r.configVersion() == null ? 0 : r.configVersion(), r.publicModel() == null ? ""
                    : r.publicModel(), id(r.channelId()), id(r.keyId()), id(r.teamId()), r.statusClass());
        }

        private static long id(Long id) {
            return id == null ? 0 : id;
        }

        @Override
        public int compareTo(Key o) {
            return ORDER.compare(this, o);
        }
    }

    static final class Sums {
        long requests;
        long failovers;
        long prompt;
        long completion;
        double tokensSq;
        long cost;
        double costSq;
        long costUnknown;
        long latencySum;
        double latencySq;
        long ttftSum;
        double ttftSq;
        long ttftCount;
        final long[] latency = new long[Histogram.BUCKETS];
        final long[] ttft = new long[Histogram.BUCKETS];

        void add(UsageRecord r) {
            requests++;
            failovers += r.attempts().size() > 1 ? 1 : 0;
            prompt += r.tokens().input();
            completion += r.tokens().output();
            double tokens = (double) r.tokens().input() + r.tokens().output();
            tokensSq += tokens * tokens;
            if (r.costMicros() != null) {
                cost += r.costMicros();
                costSq += (double) r.costMicros() * r.costMicros();
            } else {
                costUnknown++;
            }
            latencySum += r.latencyMillis();
            latencySq += (double) r.latencyMillis() * r.latencyMillis();
            latency[Histogram.bucket(r.latencyMillis())]++;
            if (r.firstByteMillis() >= 0) {
                ttftSum += r.firstByteMillis();
                ttftSq += (double) r.firstByteMillis() * r.firstByteMillis();
                ttftCount++;
                ttft[Histogram.bucket(r.firstByteMillis())]++;
            }
        }
    }

    static final List<String> DIMENSIONS = List.of("config_version", "public_model", "channel_id", "key_id",
            "team_id", "status_class");
    static final List<String> MEASURES = measures();

    private static List<String> measures() {
        List<String> m = new ArrayList<>(List.of("requests", "failovers", "prompt_tokens", "completion_tokens",
                "tokens_sq", "cost_micros", "cost_sq", "cost_unknown", "latency_ms_sum", "latency_sq", "ttft_ms_sum",
                "ttft_sq", "ttft_count"));
        IntStream.range(0, Histogram.BUCKETS).forEach(i -> m.add("lat_h" + i));
        IntStream.range(0, Histogram.BUCKETS).forEach(i -> m.add("ttft_h" + i));
        return List.copyOf(m);
    }

    private VersionRollup() {
    }

    static String upsert() {
        List<String> columns = new ArrayList<>(DIMENSIONS);
        columns.addAll(MEASURES);
        return "INSERT INTO " + TABLE + " (" + String.join(", ", columns) + ") VALUES ("
                + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ") ON CONFLICT ("
                + String.join(", ", DIMENSIONS) + ") DO UPDATE SET "
                + MEASURES.stream().map(m -> m + " = " + TABLE + "." + m + " + excluded." + m)
                        .collect(Collectors.joining(", "));
    }

    /** Sums {@code batch} per version key and adds the sums to {@code usage_version}, on {@code connection}'s transaction. */
    static void fold(Connection connection, List<UsageRecord> batch) throws SQLException {
        Map<Key, Sums> sums = new TreeMap<>();
        for (UsageRecord r : batch) {
            sums.computeIfAbsent(Key.of(r), k -> new Sums()).add(r);
        }
        try (PreparedStatement upsert = connection.prepareStatement(upsert())) {
            for (Map.Entry<Key, Sums> e : sums.entrySet()) {
                bind(upsert, e.getKey(), e.getValue());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    private static void bind(PreparedStatement s, Key k, Sums v) throws SQLException {
        int i = 1;
        s.setLong(i++, k.version());
        s.setString(i++, k.publicModel());
        s.setLong(i++, k.channelId());
        s.setLong(i++, k.keyId());
        s.setLong(i++, k.teamId());
        s.setInt(i++, k.statusClass());
        s.setLong(i++, v.requests);
        s.setLong(i++, v.failovers);
        s.setLong(i++, v.prompt);
        s.setLong(i++, v.completion);
        s.setDouble(i++, v.tokensSq);
        s.setLong(i++, v.cost);
        s.setDouble(i++, v.costSq);
        s.setLong(i++, v.costUnknown);
        s.setLong(i++, v.latencySum);
        s.setDouble(i++, v.latencySq);
        s.setLong(i++, v.ttftSum);
        s.setDouble(i++, v.ttftSq);
        s.setLong(i++, v.ttftCount);
        for (long value : v.latency) {
            s.setLong(i++, value);
        }
        for (long value : v.ttft) {
            s.setLong(i++, value);
        }
    }
}
