package dev.junction.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Limits and budgets of keys, users and teams ({@code quotas}), one row per subject: a type
 * ({@code key}, {@code user}, {@code team}) and its stable id. The governance package gives them
 * meaning; here they are numbers, empty for "no limit of that kind".
 */
public final class QuotaStore {

    /**
     * One subject's limits and budget.
     *
     * @param subjectType {@code key}, {@code user} or {@code team}
     * @param budgetMicros dollars per period in micro-dollars
     * @param budgetPeriod {@code day}, {@code week} or {@code month}; present exactly when the budget is
     */
    public record Row(String subjectType, long subjectId, OptionalLong rpm, OptionalLong tpm, OptionalLong concurrent,
            OptionalLong budgetMicros, Optional<String> budgetPeriod, long updatedMillis) {
        public Row {
            Objects.requireNonNull(subjectType, "subjectType");
            Objects.requireNonNull(rpm, "rpm");
            Objects.requireNonNull(tpm, "tpm");
            Objects.requireNonNull(concurrent, "concurrent");
            Objects.requireNonNull(budgetMicros, "budgetMicros");
            Objects.requireNonNull(budgetPeriod, "budgetPeriod");
            if (budgetMicros.isPresent() != budgetPeriod.isPresent()) {
                throw new IllegalArgumentException("a budget has an amount and a period");
            }
        }

        /** Whether it limits nothing (then it is not kept). */
        public boolean empty() {
            return rpm.isEmpty() && tpm.isEmpty() && concurrent.isEmpty() && budgetMicros.isEmpty();
        }
    }

    private static final RowMapper<Row> MAPPER = (rs, ctx) -> new Row(rs.getString("subject_type"),
            rs.getLong("subject_id"), optional(rs.getObject("rpm")), optional(rs.getObject("tpm")),
            optional(rs.getObject("concurrent")), optional(rs.getObject("budget_micros")),
            Optional.ofNullable(rs.getString("budget_period")), rs.getLong("updated_at"));

    private final Database database;

    public QuotaStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    private static OptionalLong optional(Object value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(((Number) value).longValue());
    }

    private static Long boxed(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }

    /** Every subject's row. */
    public List<Row> list() {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery(
                "SELECT * FROM quotas ORDER BY subject_type, subject_id").map(MAPPER).list()));
    }

    public Optional<Row> find(String subjectType, long subjectId) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery(
                "SELECT * FROM quotas WHERE subject_type = :type AND subject_id = :id")
                .bind("type", subjectType).bind("id", subjectId).map(MAPPER).findOne()));
    }

    /** Sets a subject's limits and budget; a row that limits nothing is removed. */
    public void put(Row row) {
        Objects.requireNonNull(row, "row");
        if (row.empty()) {
            delete(row.subjectType(), row.subjectId());
            return;
        }
        database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate("""
                INSERT INTO quotas (subject_type, subject_id, rpm, tpm, concurrent, budget_micros, budget_period,
                    updated_at)
                VALUES (:type, :id, :rpm, :tpm, :concurrent, :micros, :period, :now)
                ON CONFLICT (subject_type, subject_id) DO UPDATE
                SET rpm = excluded.rpm, tpm = excluded.tpm, concurrent = excluded.concurrent,
                    budget_micros = excluded.budget_micros, budget_period = excluded.budget_period,
                    updated_at = excluded.updated_at""")
                .bind("type", row.subjectType()).bind("id", row.subjectId())
                .bindByType("rpm", boxed(row.rpm()), Long.class)
                .bindByType("tpm", boxed(row.tpm()), Long.class)
                .bindByType("concurrent", boxed(row.concurrent()), Long.class)
                .bindByType("micros", boxed(row.budgetMicros()), Long.class)
                .bindByType("period", row.budgetPeriod().orElse(null), String.class)
                .bind("now", row.updatedMillis()).execute()));
    }

    /** Removes a subject's limits and budget; whether it had any. */
    public boolean delete(String subjectType, long subjectId) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate(
                "DELETE FROM quotas WHERE subject_type = :type AND subject_id = :id")
                .bind("type", subjectType).bind("id", subjectId).execute())) > 0;
    }

    /**
     * A live gateway key: its name, source ({@code file} or the admin API's), owner and team (the
     * admin API's keys; empty for the file's).
     */
    public record KeyRow(long id, String name, String source, OptionalLong owner, OptionalLong team) {
    }

    /** Every live (not revoked) gateway key, by id. */
    public Map<Long, KeyRow> liveKeys() {
        Map<Long, KeyRow> keys = new HashMap<>();
        database.call(jdbi -> jdbi.withHandle(h -> h.createQuery(
                "SELECT id, name, source, user_id, team_id FROM gateway_keys WHERE revoked_at IS NULL")
                .map((rs, ctx) -> new KeyRow(rs.getLong("id"), rs.getString("name"), rs.getString("source"),
                        optional(rs.getObject("user_id")), optional(rs.getObject("team_id"))))
                .list())).forEach(k -> keys.put(k.id(), k));
        return keys;
    }
}
