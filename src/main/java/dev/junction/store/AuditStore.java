package dev.junction.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** The audit log: one append-only row per admin write. */
public final class AuditStore {

    /**
     * One entry.
     *
     * @param actor who, as shown ({@code user alice} or {@code token ci (alice)})
     * @param action what, e.g. {@code user.create}
     * @param target on what, e.g. {@code user:7}
     * @param before the target before, as JSON without secrets
     * @param after the target after, as JSON without secrets
     */
    public record Entry(long id, long atMillis, OptionalLong actorUserId, OptionalLong actorTokenId, String actor,
            String action, String target, Optional<String> before, Optional<String> after, Optional<String> ip) {
        public Entry {
            Objects.requireNonNull(actorUserId, "actorUserId");
            Objects.requireNonNull(actorTokenId, "actorTokenId");
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(ip, "ip");
        }
    }

    private final Database database;

    public AuditStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** Appends an entry (its id is ignored and assigned); returns the id. */
    public long append(Entry entry) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate("INSERT INTO audit_log (at, "
                + "actor_user_id, actor_token_id, actor, action, target, before_json, after_json, ip) VALUES "
                + "(:at, :user, :token, :actor, :action, :target, :before, :after, :ip)")
                .bind("at", entry.atMillis())
                .bind("user", entry.actorUserId().isPresent() ? entry.actorUserId().getAsLong() : null)
                .bind("token", entry.actorTokenId().isPresent() ? entry.actorTokenId().getAsLong() : null)
                .bind("actor", entry.actor()).bind("action", entry.action()).bind("target", entry.target())
                .bind("before", entry.before().orElse(null)).bind("after", entry.after().orElse(null))
                .bind("ip", entry.ip().orElse(null))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one()));
    }

    /** Up to {@code limit} entries older than {@code beforeId}, newest first. */
    public List<Entry> list(int limit, long beforeId) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT id, at, actor_user_id, "
                + "actor_token_id, actor, action, target, before_json, after_json, ip FROM audit_log "
                + "WHERE id < :before ORDER BY id DESC LIMIT :limit").bind("before", beforeId).bind("limit", limit)
                .map((rs, ctx) -> new Entry(rs.getLong("id"), rs.getLong("at"), optional(rs.getObject("actor_user_id")),
                        optional(rs.getObject("actor_token_id")), rs.getString("actor"), rs.getString("action"),
                        rs.getString("target"), Optional.ofNullable(rs.getString("before_json")),
                        Optional.ofNullable(rs.getString("after_json")), Optional.ofNullable(rs.getString("ip"))))
                .list()));
    }

    private static OptionalLong optional(Object value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(((Number) value).longValue());
    }
}
