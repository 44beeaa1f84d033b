package dev.junction.store;

import java.util.List;
import java.util.Objects;

/**
 * The routing rules of the admin API: per public model, its {@code routing:} entry as JSON
 * (strategy, fallbacks, affinity, affinity_ttl, complexity). The config file's entries are not kept
 * here; they are read from the file on every start and reload.
 */
public final class RoutingRuleStore {

    /**
     * One model's rules.
     *
     * @param settings the rules as the JSON of a {@code routing:} entry
     */
    public record StoredRule(String model, String settings, long updatedMillis, String updatedBy) {

        public StoredRule {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(updatedBy, "updatedBy");
        }
    }

    private final Database database;

    public RoutingRuleStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** Every model's rules, by model name. */
    public List<StoredRule> list() {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery(
                "SELECT model, settings, updated_at, updated_by FROM routing_rules ORDER BY model")
                .map((rs, ctx) -> new StoredRule(rs.getString("model"), rs.getString("settings"),
                        rs.getLong("updated_at"), rs.getString("updated_by")))
                .list()));
    }

    /** Sets {@code model}'s rules, replacing any it had. */
    public void put(String model, String settings, long nowMillis, String actor) {
        database.call(jdbi -> jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM routing_rules WHERE model = :model").bind("model", model).execute();
            h.createUpdate("INSERT INTO routing_rules (model, settings, updated_at, updated_by)"
                    + " VALUES (:model, :settings, :at, :by)")
                    .bind("model", model).bind("settings", settings).bind("at", nowMillis).bind("by", actor).execute();
            return null;
        }));
    }

    /** Removes {@code model}'s rules (it routes by the defaults again); false when it had none. */
    public boolean remove(String model) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate(
                "DELETE FROM routing_rules WHERE model = :model").bind("model", model).execute() > 0));
    }
}
