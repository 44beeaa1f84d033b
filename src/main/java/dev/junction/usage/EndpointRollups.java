package dev.junction.usage;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Usage per endpoint and unit (V11's {@code usage_endpoint_minute/hour/day}): the sums the
 * dashboard breaks consumption down by — how many requests each endpoint served, how many images,
 * characters, seconds of audio, searches or tokens they were billed by, what they cost, and (since
 * V16) every other measure of {@link Rollups}, so that a breakdown or series by endpoint shows latency,
 * failovers and cached tokens like one by model. Folded
 * by the writer in the transaction of the raw rows, like {@link Rollups}, with the same dimensions
 * plus endpoint and unit so that the same filters apply; and (since V17) into narrow hour and day
 * tables by endpoint, unit and status class alone, whose size is set by how many endpoints there
 * are, not by the number of requests: what the Overview's 30 days by endpoint read. Upserts go in
 * one order of tables, each in key order.
 */
final class EndpointRollups {

    static final List<String> DIMENSIONS = List.of("bucket", "endpoint", "unit", "key_id", "user_id", "team_id",
            "public_model", "channel_id", "upstream_model", "status_class");
    /** The dimensions of the narrow tables (V17): none of the account or route ones. */
    static final List<String> NARROW_DIMENSIONS = List.of("bucket", "endpoint", "unit", "status_class");
    /** Units and units estimated, then every measure of the other rollups ({@link Rollups#MEASURES}, V16). */
    static final List<String> MEASURES = measures();

    private static List<String> measures() {
        List<String> m = new java.util.ArrayList<>(List.of("units", "units_estimated"));
        m.addAll(Rollups.MEASURES);
        return List.copyOf(m);
    }

    private EndpointRollups() {
    }

    /** The table of one grain. */
    static String table(Rollups.Grain grain) {
        return switch (grain) {
            case MINUTE -> "usage_endpoint_minute";
            case HOUR -> "usage_endpoint_hour";
            case DAY -> "usage_endpoint_day";
        };
    }

    /** The narrow table of one grain (V17; hour and day only: a minute view reads at most hours of the full table). */
    static String narrowTable(Rollups.Grain grain) {
        return switch (grain) {
            case MINUTE -> throw new IllegalArgumentException("the narrow endpoint rollups have no minute grain");
            case HOUR -> "usage_endpoint_narrow_hour";
            case DAY -> "usage_endpoint_narrow_day";
        };
    }

    /** The dimensions of one row; absent ones are 0 or "". */
    record Key(long bucket, String endpoint, String unit, long keyId, long userId, long teamId, String publicModel,
            long channelId, String upstreamModel, int statusClass) implements Comparable<Key> {

        private static final Comparator<Key> ORDER = Comparator.comparingLong(Key::bucket)
                .thenComparing(Key::endpoint).thenComparing(Key::unit).thenComparingLong(Key::keyId)
                .thenComparingLong(Key::userId).thenComparingLong(Key::teamId).thenComparing(Key::publicModel)
                .thenComparingLong(Key::channelId).thenComparing(Key::upstreamModel)
                .thenComparingInt(Key::statusClass);

        /** The key of {@code cell}'s row in the full table of {@code grain}. */
        static Key of(Rollups.Grain grain, Cells.Cell cell) {
            return new Key(grain.bucket(cell.minute()), cell.endpoint(), cell.unit(), cell.keyId(), cell.userId(),
                    cell.teamId(), cell.publicModel(), cell.channelId(), cell.upstreamModel(), cell.statusClass());
        }

        /** The key of {@code cell}'s row in the narrow table of {@code grain}: account and route dimensions 0 or "". */
        static Key narrow(Rollups.Grain grain, Cells.Cell cell) {
            return new Key(grain.bucket(cell.minute()), cell.endpoint(), cell.unit(), 0, 0, 0, "", 0, "",
                    cell.statusClass());
        }

        @Override
        public int compareTo(Key o) {
            return ORDER.compare(this, o);
        }
    }

    /** The sums of one row: units, then the other rollups' sums. */
    static final class Sums {
        long units;
        long unitsEstimated;
        final Rollups.Sums measures = new Rollups.Sums();

        void add(UsageRecord r) {
            units += r.units().count();
            unitsEstimated += r.units().estimated() ? 1 : 0;
            measures.add(r);
        }

        /** Adds {@code o}'s sums to these. */
        void add(Sums o) {
            units += o.units;
            unitsEstimated += o.unitsEstimated;
            measures.add(o.measures);
        }
    }

    /** The upserts of the full tables, then of the narrow ones, by grain (built once). */
    private static final Map<Rollups.Grain, String> UPSERTS = new java.util.EnumMap<>(Rollups.Grain.class);
    private static final Map<Rollups.Grain, String> NARROW_UPSERTS = new java.util.EnumMap<>(Rollups.Grain.class);

    static {
        for (Rollups.Grain grain : Rollups.Grain.values()) {
            UPSERTS.put(grain, Rollups.upsertSql(table(grain), DIMENSIONS, MEASURES));
            if (grain != Rollups.Grain.MINUTE) {
                NARROW_UPSERTS.put(grain, Rollups.upsertSql(narrowTable(grain), NARROW_DIMENSIONS, MEASURES));
            }
        }
    }

    /**
     * Sums a batch's {@code cells} per grain and adds the sums, in {@code statements}' transaction: the full
     * tables of every grain, then the narrow ones of hours and days, always in this order.
     */
    static void fold(Statements statements, Map<Cells.Cell, Sums> cells) throws SQLException {
        for (Rollups.Grain grain : Rollups.Grain.values()) {
            fold(statements, cells, grain, false);
        }
        fold(statements, cells, Rollups.Grain.HOUR, true);
        fold(statements, cells, Rollups.Grain.DAY, true);
    }

    private static void fold(Statements statements, Map<Cells.Cell, Sums> cells, Rollups.Grain grain, boolean narrow)
            throws SQLException {
        Map<Key, Sums> sums = new HashMap<>();
        for (Map.Entry<Cells.Cell, Sums> cell : cells.entrySet()) {
            Cells.Cell c = cell.getKey();
            if (c.endpoint() != null) {
                sums.computeIfAbsent(narrow ? Key.narrow(grain, c) : Key.of(grain, c), k -> new Sums())
                        .add(cell.getValue());
            }
        }
        if (sums.isEmpty()) {
            return;
        }
        String sql = (narrow ? NARROW_UPSERTS : UPSERTS).get(grain);
        PreparedStatement upsert = statements.of(sql);
        for (Map.Entry<Key, Sums> e : Rollups.inKeyOrder(sums)) {
            Key k = e.getKey();
            int i = 1;
            upsert.setLong(i++, k.bucket());
            upsert.setString(i++, k.endpoint());
            upsert.setString(i++, k.unit());
            if (!narrow) {
                upsert.setLong(i++, k.keyId());
                upsert.setLong(i++, k.userId());
                upsert.setLong(i++, k.teamId());
                upsert.setString(i++, k.publicModel());
                upsert.setLong(i++, k.channelId());
                upsert.setString(i++, k.upstreamModel());
            }
            upsert.setInt(i++, k.statusClass());
            upsert.setLong(i++, e.getValue().units);
            upsert.setLong(i++, e.getValue().unitsEstimated);
            Rollups.bindMeasures(upsert, i, e.getValue().measures);
            upsert.addBatch();
        }
        upsert.executeBatch();
    }
}
