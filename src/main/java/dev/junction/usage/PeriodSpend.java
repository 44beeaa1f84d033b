package dev.junction.usage;

import dev.junction.catalog.Catalog;
import dev.junction.store.Database;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What each gateway key spent since an instant, read back from the usage table: the tokens of its
 * rows priced at the catalog price of the model that served them (the rule budgets charge by), so a
 * budget's spend survives a restart. Rows of a model with no known price cost nothing. Rows are
 * summed per key and model before pricing, so a price tier (Gemini's long-prompt rate) is applied
 * to the sum rather than row by row.
 */
public final class PeriodSpend {

    private final Database database;
    private final Catalog catalog;

    public PeriodSpend(Database database, Catalog catalog) {
        this.database = Objects.requireNonNull(database, "database");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /** Micro-dollars spent per key id by requests that arrived at or after {@code since}. */
    public Map<Long, Long> byKeySince(Instant since) {
        Map<Long, Long> spent = new HashMap<>();
        database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("""
                SELECT key_id, upstream_model, SUM(prompt_tokens) AS input, SUM(completion_tokens) AS output,
                       SUM(cached_read_tokens) AS cache_read, SUM(cache_write_tokens) AS cache_write,
                       SUM(reasoning_tokens) AS reasoning
                FROM usage
                WHERE ts >= :since AND key_id IS NOT NULL AND upstream_model IS NOT NULL
                GROUP BY key_id, upstream_model""").bind("since", since.toEpochMilli())
                .map((rs, ctx) -> {
                    long cost = catalog.cost(rs.getString("upstream_model"), rs.getLong("input"), rs.getLong("output"),
                            Math.min(rs.getLong("cache_read"), rs.getLong("input")), rs.getLong("cache_write"),
                            rs.getLong("reasoning")).orElse(0);
                    return Map.entry(rs.getLong("key_id"), cost);
                }).list())).forEach(e -> spent.merge(e.getKey(), e.getValue(), Long::sum));
        return spent;
    }
}
