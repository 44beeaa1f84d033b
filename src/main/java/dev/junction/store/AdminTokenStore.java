package dev.junction.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.mapper.RowMapper;

/** Admin API tokens ({@code jat-…}): a keyed hash to find them by, prefix and suffix to show. */
public final class AdminTokenStore {

    /** One token row; the secret itself is never stored. */
    public record Token(long id, String name, String hash, String prefix, String suffix, long userId,
            long createdMillis, OptionalLong lastUsedMillis, OptionalLong revokedMillis) {
        public Token {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(hash, "hash");
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(suffix, "suffix");
            Objects.requireNonNull(lastUsedMillis, "lastUsedMillis");
            Objects.requireNonNull(revokedMillis, "revokedMillis");
        }

        public boolean revoked() {
            return revokedMillis.isPresent();
        }
    }

    private static final String COLUMNS =
            "id, name, token_hash, prefix, suffix, user_id, created_at, last_used_at, revoked_at";
    private static final RowMapper<Token> MAPPER = (rs, ctx) -> new Token(rs.getLong("id"), rs.getString("name"),
            rs.getString("token_hash"), rs.getString("prefix"), rs.getString("suffix"), rs.getLong("user_id"),
            rs.getLong("created_at"), optional(rs.getObject("last_used_at")), optional(rs.getObject("revoked_at")));

    private final Database database;

    public AdminTokenStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    private static OptionalLong optional(Object value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(((Number) value).longValue());
    }

    public Token create(String name, String hash, String prefix, String suffix, long userId, long nowMillis) {
        long id = database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate("INSERT INTO admin_tokens (name, "
                + "token_hash, prefix, suffix, user_id, created_at) VALUES (:name, :hash, :prefix, :suffix, :user, :now)")
                .bind("name", name).bind("hash", hash).bind("prefix", prefix).bind("suffix", suffix)
                .bind("user", userId).bind("now", nowMillis)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one()));
        return new Token(id, name, hash, prefix, suffix, userId, nowMillis, OptionalLong.empty(), OptionalLong.empty());
    }

    public Optional<Token> find(long id) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                + " FROM admin_tokens WHERE id = :id").bind("id", id).map(MAPPER).findOne()));
    }

    public Optional<Token> findByHash(String hash) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                + " FROM admin_tokens WHERE token_hash = :hash").bind("hash", hash).map(MAPPER).findOne()));
    }

    public List<Token> list() {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                + " FROM admin_tokens ORDER BY id").map(MAPPER).list()));
    }

    public void markUsed(long id, long nowMillis) {
        database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate(
                "UPDATE admin_tokens SET last_used_at = :now WHERE id = :id").bind("now", nowMillis).bind("id", id)
                .execute()));
    }

    /** Revokes a token; false when it is unknown or was already revoked. */
    public boolean revoke(long id, long nowMillis) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate(
                "UPDATE admin_tokens SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
                .bind("now", nowMillis).bind("id", id).execute())) > 0;
    }
}
