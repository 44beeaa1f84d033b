package dev.junction.usage;

import dev.junction.store.Database;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What each gateway key spent since an instant, read back from the recorded costs (the served
 * channel's price, as the budget was charged when each request ended), so a budget's spend survives a
 * restart. It reads the hourly rollups, written in the same transaction as the raw rows: they are kept
 * far longer than raw rows ({@code keep_rollups}), so a month's spend is whole even when {@code keep_raw}
 * is shorter, and a budget period starts on an hour. Unknown costs count nothing, as when they settled.
 */
public final class PeriodSpend {

    private final Database database;

    public PeriodSpend(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** Micro-dollars spent per key id by requests that arrived at or after {@code since} (an hour's start). */
    public Map<Long, Long> byKeySince(Instant since) {
        Map<Long, Long> spent = new HashMap<>();
        database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("""
                SELECT key_id, SUM(cost_micros) AS spent
                FROM usage_account_hour
                WHERE bucket >= :since AND key_id <> 0
                GROUP BY key_id""").bind("since", since.toEpochMilli())
                .map((rs, ctx) -> Map.entry(rs.getLong("key_id"), rs.getLong("spent"))).list()))
                .forEach(e -> spent.merge(e.getKey(), e.getValue(), Long::sum));
        return spent;
    }
}
