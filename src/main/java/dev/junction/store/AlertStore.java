package dev.junction.store;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Alerts (issue 19) as rows: rules made in the admin API ({@code alert_rules}), the alerts they raised
 * ({@code alerts}: open while {@code resolved_at} is null, at most one open per rule and subject), and
 * the exceptions teams asked for ({@code alert_exceptions}). The admin package gives them meaning.
 */
public final class AlertStore {

    /** A rule made in the admin API. */
    public record RuleRow(String name, String kind, double threshold, long windowMillis, Optional<String> model,
            long minRequests, boolean enabled, String createdBy, long updatedMillis) {
        public RuleRow {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(createdBy, "createdBy");
        }
    }

    /**
     * One alert: what fired, at which tier, for what, and how far it reached (keys, users, teams,
     * spend in micro-dollars) when last evaluated.
     *
     * @param teamIds the teams whose traffic the reach counted (who of the members may read it)
     */
    public record AlertRow(long id, String rule, String kind, String subject, Optional<String> model, String tier,
            double value, double threshold, String summary, long reachKeys, long reachUsers, long reachTeams,
            long reachMicros, long startedMillis, long updatedMillis, OptionalLong resolvedMillis,
            Set<Long> teamIds) {
        public AlertRow {
            teamIds = Set.copyOf(teamIds);
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(tier, "tier");
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(resolvedMillis, "resolvedMillis");
        }

        public boolean open() {
            return resolvedMillis.isEmpty();
        }
    }

    /** An exception a team asked for. */
    public record ExceptionRow(long id, long teamId, String rule, String model, String kind, Optional<Double> threshold,
            String reason, Optional<String> evidenceLink, Optional<String> evidenceBaseline, String state,
            long requestedBy, long requestedMillis, OptionalLong decidedBy, OptionalLong decidedMillis,
            Optional<String> decisionNote, long expiresMillis) {
        public ExceptionRow {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(threshold, "threshold");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(evidenceLink, "evidenceLink");
            Objects.requireNonNull(evidenceBaseline, "evidenceBaseline");
            Objects.requireNonNull(state, "state");
        }
    }

    private static final RowMapper<RuleRow> RULE = (rs, ctx) -> new RuleRow(rs.getString("name"),
            rs.getString("kind"), rs.getDouble("threshold"), rs.getLong("window_ms"),
            Optional.ofNullable(rs.getString("model")), rs.getLong("min_requests"), rs.getBoolean("enabled"),
            rs.getString("created_by"), rs.getLong("updated_at"));

    private static final RowMapper<AlertRow> ALERT = (rs, ctx) -> new AlertRow(rs.getLong("id"), rs.getString("rule"),
            rs.getString("kind"), rs.getString("subject"), Optional.ofNullable(rs.getString("model")),
            rs.getString("tier"), rs.getDouble("value"), rs.getDouble("threshold"), rs.getString("summary"),
            rs.getLong("reach_keys"), rs.getLong("reach_users"), rs.getLong("reach_teams"), rs.getLong("reach_micros"),
            rs.getLong("started_at"), rs.getLong("updated_at"), optional(rs.getObject("resolved_at")),
            teams(rs.getString("team_ids")));

    private static final RowMapper<ExceptionRow> EXCEPTION = (rs, ctx) -> new ExceptionRow(rs.getLong("id"),
            rs.getLong("team_id"), rs.getString("rule"), rs.getString("model"), rs.getString("kind"),
            Optional.ofNullable((Number) rs.getObject("threshold")).map(Number::doubleValue),
            rs.getString("reason"), Optional.ofNullable(rs.getString("evidence_link")),
            Optional.ofNullable(rs.getString("evidence_baseline")), rs.getString("state"), rs.getLong("requested_by"),
            rs.getLong("requested_at"), optional(rs.getObject("decided_by")), optional(rs.getObject("decided_at")),
            Optional.ofNullable(rs.getString("decision_note")), rs.getLong("expires_at"));

    private final Database database;

    public AlertStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** ",1,3," from {1, 3}; "," for none. */
    static String teams(Set<Long> ids) {
        return ids.stream().sorted().map(String::valueOf).collect(Collectors.joining(",", ",", ","))
                .replace(",,", ",");
    }

    static Set<Long> teams(String text) {
        if (text == null) {
            return Set.of();
        }
        return Arrays.stream(text.split(",")).filter(t -> !t.isEmpty()).map(Long::valueOf)
                .collect(Collectors.toUnmodifiableSet());
    }

    private static OptionalLong optional(Object value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(((Number) value).longValue());
    }

    // Rules

    public List<RuleRow> rules() {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT * FROM alert_rules ORDER BY name")
                .map(RULE).list()));
    }

    public Optional<RuleRow> rule(String name) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT * FROM alert_rules WHERE name = :n")
                .bind("n", name).map(RULE).findOne()));
    }

    /** Adds a rule; {@link Conflict} when the name is taken. */
    public void addRule(RuleRow row) {
        database.call(jdbi -> Conflict.guard(() -> jdbi.withHandle(h -> h.createUpdate("INSERT INTO alert_rules "
                + "(name, kind, threshold, window_ms, model, min_requests, enabled, created_by, updated_at) VALUES "
                + "(:name, :kind, :threshold, :window, :model, :min, :enabled, :by, :at)")
                .bind("name", row.name()).bind("kind", row.kind()).bind("threshold", row.threshold())
                .bind("window", row.windowMillis()).bind("model", row.model().orElse(null))
                .bind("min", row.minRequests()).bind("enabled", row.enabled()).bind("by", row.createdBy())
                .bind("at", row.updatedMillis()).execute())));
    }

    /** Replaces a rule's settings (its name stays); whether it exists. */
    public boolean updateRule(RuleRow row) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate("UPDATE alert_rules SET kind = :kind, "
                + "threshold = :threshold, window_ms = :window, model = :model, min_requests = :min, "
                + "enabled = :enabled, updated_at = :at WHERE name = :name")
                .bind("name", row.name()).bind("kind", row.kind()).bind("threshold", row.threshold())
                .bind("window", row.windowMillis()).bind("model", row.model().orElse(null))
                .bind("min", row.minRequests()).bind("enabled", row.enabled()).bind("at", row.updatedMillis())
                .execute())) > 0;
    }

    public boolean deleteRule(String name) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM alert_rules WHERE name = :n")
                .bind("n", name).execute())) > 0;
    }

    // Alerts

    /** Every open alert, oldest first. */
    public List<AlertRow> open() {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery(
                "SELECT * FROM alerts WHERE resolved_at IS NULL ORDER BY started_at, id").map(ALERT).list()));
    }

    /** The newest {@code limit} alerts, open or not, newest first. */
    public List<AlertRow> recent(int limit) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery(
                "SELECT * FROM alerts ORDER BY started_at DESC, id DESC LIMIT :limit").bind("limit", limit)
                .map(ALERT).list()));
    }

    /**
     * The newest {@code limit} alerts whose reach touched one of {@code teams} (open only when
     * {@code openOnly}), newest first; none for no teams.
     */
    public List<AlertRow> recentOf(Set<Long> teams, boolean openOnly, int limit) {
        if (teams.isEmpty()) {
            return List.of();
        }
        List<Long> ids = List.copyOf(teams);
        StringBuilder touches = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            touches.append(i == 0 ? "" : " OR ").append("team_ids LIKE :t").append(i);
        }
        String sql = "SELECT * FROM alerts WHERE (" + touches + ")" + (openOnly ? " AND resolved_at IS NULL" : "")
                + " ORDER BY started_at DESC, id DESC LIMIT :limit";
        return database.call(jdbi -> jdbi.withHandle(h -> {
            var query = h.createQuery(sql).bind("limit", limit);
            for (int i = 0; i < ids.size(); i++) {
                query.bind("t" + i, "%," + ids.get(i) + ",%");
            }
            return query.map(ALERT).list();
        }));
    }

    public Optional<AlertRow> alert(long id) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT * FROM alerts WHERE id = :id")
                .bind("id", id).map(ALERT).findOne()));
    }

    /**
     * Opens an alert (its id ignored); {@link Conflict} when one is open for the same rule and
     * subject already (another instance raised it first).
     */
    public AlertRow openAlert(AlertRow row) {
        long id = database.call(jdbi -> Conflict.guard(() -> jdbi.withHandle(h -> h.createUpdate("INSERT INTO "
                + "alerts (rule, kind, subject, model, tier, value, threshold, summary, reach_keys, reach_users, "
                + "reach_teams, reach_micros, started_at, updated_at, open_key, team_ids) VALUES (:rule, :kind, "
                + ":subject, :model, :tier, :value, :threshold, :summary, :keys, :users, :teams, :micros, :at, :at, "
                + ":open, :teamIds)")
                .bind("rule", row.rule()).bind("kind", row.kind()).bind("subject", row.subject())
                .bind("model", row.model().orElse(null)).bind("tier", row.tier()).bind("value", row.value())
                .bind("threshold", row.threshold()).bind("summary", row.summary()).bind("keys", row.reachKeys())
                .bind("users", row.reachUsers()).bind("teams", row.reachTeams()).bind("micros", row.reachMicros())
                .bind("at", row.startedMillis()).bind("open", openKey(row.rule(), row.subject()))
                .bind("teamIds", teams(row.teamIds()))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one())));
        return alert(id).orElseThrow();
    }

    /** Updates an open alert's measurement and tier. */
    public void refresh(long id, String tier, double value, double threshold, String summary, long keys, long users,
            long teams, long micros, Set<Long> teamIds, long atMillis) {
        database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate("UPDATE alerts SET tier = :tier, value = :value, "
                + "threshold = :threshold, summary = :summary, reach_keys = :keys, reach_users = :users, "
                + "reach_teams = :teams, reach_micros = :micros, team_ids = :teamIds, updated_at = :at WHERE id = :id")
                .bind("id", id).bind("tier", tier).bind("value", value).bind("threshold", threshold)
                .bind("summary", summary).bind("keys", keys).bind("users", users).bind("teams", teams)
                .bind("micros", micros).bind("teamIds", teams(teamIds)).bind("at", atMillis).execute()));
    }

    /** Resolves an open alert; whether this call resolved it (not another instance before). */
    public boolean resolve(long id, long atMillis) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate("UPDATE alerts SET resolved_at = :at, "
                + "updated_at = :at, open_key = NULL WHERE id = :id AND resolved_at IS NULL")
                .bind("id", id).bind("at", atMillis).execute())) > 0;
    }

    private static String openKey(String rule, String subject) {
        return rule + "\n" + subject;
    }

    // Exceptions

    public long addException(ExceptionRow row) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate("INSERT INTO alert_exceptions (team_id, "
                + "rule, model, kind, threshold, reason, evidence_link, evidence_baseline, state, requested_by, "
                + "requested_at, expires_at) VALUES (:team, :rule, :model, :kind, :threshold, :reason, :link, "
                + ":baseline, :state, :by, :at, :expires)")
                .bind("team", row.teamId()).bind("rule", row.rule()).bind("model", row.model())
                .bind("kind", row.kind()).bind("threshold", row.threshold().orElse(null))
                .bind("reason", row.reason()).bind("link", row.evidenceLink().orElse(null))
                .bind("baseline", row.evidenceBaseline().orElse(null)).bind("state", row.state())
                .bind("by", row.requestedBy()).bind("at", row.requestedMillis()).bind("expires", row.expiresMillis())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one()));
    }

    public List<ExceptionRow> exceptions() {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery(
                "SELECT * FROM alert_exceptions ORDER BY id DESC").map(EXCEPTION).list()));
    }

    public Optional<ExceptionRow> exception(long id) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery(
                "SELECT * FROM alert_exceptions WHERE id = :id").bind("id", id).map(EXCEPTION).findOne()));
    }

    /**
     * Records a decision: moves an exception from {@code from} to {@code to}; whether it was in
     * {@code from} (two deciders at once: one wins).
     */
    public boolean decide(long id, String from, String to, long by, long atMillis, Optional<String> note) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate("UPDATE alert_exceptions SET state = :to, "
                + "decided_by = :by, decided_at = :at, decision_note = :note WHERE id = :id AND state = :from")
                .bind("id", id).bind("from", from).bind("to", to).bind("by", by).bind("at", atMillis)
                .bind("note", note.orElse(null)).execute())) > 0;
    }

    /** Marks a pending or approved exception expired; whether this call did. */
    public boolean expire(long id, String from) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate("UPDATE alert_exceptions SET "
                + "state = 'expired' WHERE id = :id AND state = :from").bind("id", id).bind("from", from)
                .execute())) > 0;
    }
}
