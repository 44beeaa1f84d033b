package dev.junction.store;

import java.util.Objects;
import java.util.Optional;

/**
 * Dashboard sessions. Only keyed hashes of the session id and its CSRF token are stored, so the
 * table cannot be replayed from a copy of the database.
 */
public final class SessionStore {

    /** One session row. */
    public record Session(String idHash, long userId, String csrfHash, long createdMillis, long expiresMillis,
            long lastSeenMillis) {
        public Session {
            Objects.requireNonNull(idHash, "idHash");
            Objects.requireNonNull(csrfHash, "csrfHash");
        }
    }

    private final Database database;

    public SessionStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    public void create(Session session) {
        database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate("INSERT INTO sessions (id_hash, user_id, "
                + "csrf_hash, created_at, expires_at, last_seen_at) VALUES (:id, :user, :csrf, :created, :expires, "
                + ":seen)").bind("id", session.idHash()).bind("user", session.userId())
                .bind("csrf", session.csrfHash()).bind("created", session.createdMillis())
                .bind("expires", session.expiresMillis()).bind("seen", session.lastSeenMillis()).execute()));
    }

    /** The session with this id hash, if it has not expired at {@code nowMillis}. */
    public Optional<Session> find(String idHash, long nowMillis) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT id_hash, user_id, csrf_hash, "
                + "created_at, expires_at, last_seen_at FROM sessions WHERE id_hash = :id AND expires_at > :now")
                .bind("id", idHash).bind("now", nowMillis)
                .map((rs, ctx) -> new Session(rs.getString("id_hash"), rs.getLong("user_id"),
                        rs.getString("csrf_hash"), rs.getLong("created_at"), rs.getLong("expires_at"),
                        rs.getLong("last_seen_at"))).findOne()));
    }

    public void touch(String idHash, long nowMillis) {
        database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate(
                "UPDATE sessions SET last_seen_at = :now WHERE id_hash = :id").bind("now", nowMillis)
                .bind("id", idHash).execute()));
    }

    public void delete(String idHash) {
        database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM sessions WHERE id_hash = :id")
                .bind("id", idHash).execute()));
    }

    /** Ends every session of a user (password changed, disabled, role changed). */
    public int deleteForUser(long userId) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM sessions WHERE user_id = :u")
                .bind("u", userId).execute()));
    }

    /** Ends every session of a user but the one with hash {@code keepHash} (the caller's own). */
    public int deleteForUserExcept(long userId, String keepHash) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate(
                "DELETE FROM sessions WHERE user_id = :u AND id_hash <> :keep").bind("u", userId)
                .bind("keep", keepHash).execute()));
    }

    /** Deletes expired sessions; returns how many. */
    public int prune(long nowMillis) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate(
                "DELETE FROM sessions WHERE expires_at <= :now").bind("now", nowMillis).execute()));
    }
}
