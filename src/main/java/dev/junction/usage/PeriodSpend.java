package dev.junction.usage;

import dev.junction.store.Database;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What each gateway key spent since an instant, read back from the usage table's recorded costs (the
 * served channel's price, as the budget was charged when each request ended), so a budget's spend
 * survives a restart. Rows whose cost is unknown count nothing, as they did when they settled.
 */
public final class PeriodSpend {

    private final Database database;

    public PeriodSpend(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** Micro-dollars spent per key id by requests that arrived at or after {@code since}. */
    public Map<Long, Long> byKeySince(Instant since) {
        Map<Long, Long> spent = new HashMap<>();
        database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("""
                SELECT key_id, SUM(cost_micros) AS spent
                FROM usage
                WHERE ts >= :since AND key_id IS NOT NULL AND cost_micros IS NOT NULL
                GROUP BY key_id""").bind("since", since.toEpochMilli())
                .map((rs, ctx) -> Map.entry(rs.getLong("key_id"), rs.getLong("spent"))).list()))
                .forEach(e -> spent.merge(e.getKey(), e.getValue(), Long::sum));
        return spent;
    }
}
