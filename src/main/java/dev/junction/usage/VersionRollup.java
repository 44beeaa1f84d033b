package dev.junction.usage;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The per-version aggregate ({@code usage_version}) the {@link Baselines} read: a {@link RunningTotal}
 * per (routing-config version, public model, channel, key, team, status class), folded by the writer in the transaction of the raw rows,
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

    static final List<String> DIMENSIONS = List.of("config_version", "public_model", "channel_id", "key_id",
            "team_id", "status_class");
    static final List<String> MEASURES = RunningTotal.MEASURES;
    private static final String UPSERT = Rollups.upsertSql(TABLE, DIMENSIONS, MEASURES);

    private VersionRollup() {
    }

    /** Adds a batch's {@code sums} per version key to {@code usage_version}, in {@code statements}' transaction. */
    static void fold(Statements statements, Map<Key, RunningTotal> sums) throws SQLException {
        PreparedStatement upsert = statements.of(UPSERT);
        for (Map.Entry<Key, RunningTotal> e : Rollups.inKeyOrder(sums)) {
            bind(upsert, e.getKey(), e.getValue());
            upsert.addBatch();
        }
        upsert.executeBatch();
    }

    private static void bind(PreparedStatement s, Key k, RunningTotal v) throws SQLException {
        int i = 1;
        s.setLong(i++, k.version());
        s.setString(i++, k.publicModel());
        s.setLong(i++, k.channelId());
        s.setLong(i++, k.keyId());
        s.setLong(i++, k.teamId());
        s.setInt(i++, k.statusClass());
        v.bind(s, i);
    }
}
