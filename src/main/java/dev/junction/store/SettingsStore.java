package dev.junction.store;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The runtime settings set in the admin API: per setting (its dotted name, {@code failover.max_attempts}),
 * its value as JSON in the config file's syntax, and who set it when. Settings the config file
 * gives are not kept here; they are read from the file on every start and reload.
 */
public final class SettingsStore {

    /** One setting as set. */
    public record StoredSetting(String name, String value, long updatedMillis, String updatedBy) {

        public StoredSetting {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(updatedBy, "updatedBy");
        }
    }

    private final Database database;

    public SettingsStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** Every setting set, by name. */
    public List<StoredSetting> list() {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery(
                "SELECT name, value, updated_at, updated_by FROM settings ORDER BY name")
                .map((rs, ctx) -> new StoredSetting(rs.getString("name"), rs.getString("value"),
                        rs.getLong("updated_at"), rs.getString("updated_by")))
                .list()));
    }

    /**
     * In one transaction: sets each of {@code set} (name → JSON value), replacing what it had, and
     * removes each of {@code removed} (those run on their defaults again).
     */
    public void change(Map<String, String> set, List<String> removed, long nowMillis, String actor) {
        database.call(jdbi -> jdbi.inTransaction(h -> {
            for (String name : removed) {
                h.createUpdate("DELETE FROM settings WHERE name = :name").bind("name", name).execute();
            }
            for (Map.Entry<String, String> entry : set.entrySet()) {
                h.createUpdate("DELETE FROM settings WHERE name = :name").bind("name", entry.getKey()).execute();
                h.createUpdate("INSERT INTO settings (name, value, updated_at, updated_by)"
                        + " VALUES (:name, :value, :at, :by)").bind("name", entry.getKey())
                        .bind("value", entry.getValue()).bind("at", nowMillis).bind("by", actor).execute();
            }
            return null;
        }));
    }
}
