package dev.junction.governance;

import dev.junction.store.Conflict;
import dev.junction.store.Database;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gateway keys in the database, each with a stable id. A key of the config file (source
 * {@code file}) is found again by its name on every start and keeps its id; removing it from the
 * file revokes it (the row stays, so the id is never reused and usage keeps pointing at it).
 * Only a keyed hash of a secret is stored.
 */
public final class KeyStore {

    /** The source of keys declared in the config file: read-only everywhere else. */
    public static final String FILE = "file";
    /** The source of keys made in the admin API. */
    public static final String ADMIN = "admin";
    /** Every key the gateway makes starts with this. */
    public static final String SECRET_PREFIX = "sk-";

    private static final String COLUMNS = "id, source, name, key_hash, key_prefix, key_hint, models, user_id, team_id,"
            + " expires_at, allowed_ips, created_at, updated_at, revoked_at";

    /**
     * A key as stored, without its secret.
     *
     * @param prefix the first characters of the secret (admin keys), shown with the hint
     * @param fingerprint the first characters of the secret's keyed hash: tells a changed secret
     *     apart in config versions without revealing anything (empty once revoked)
     */
    public record StoredKey(long id, String source, String name, Optional<String> prefix, String hint,
            List<String> models, OptionalLong userId, OptionalLong teamId, OptionalLong expiresAt,
            List<String> allowedIps, long createdMillis, long updatedMillis, OptionalLong revokedMillis,
            String fingerprint) {

        public StoredKey {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(hint, "hint");
            models = List.copyOf(models);
            allowedIps = List.copyOf(allowedIps);
            Objects.requireNonNull(fingerprint, "fingerprint");
        }

        /** Declared in the config file, so read-only here. */
        public boolean fromFile() {
            return FILE.equals(source);
        }

        public boolean revoked() {
            return revokedMillis.isPresent();
        }
    }

    /**
     * What the admin API sets on a key.
     *
     * @param models allow-list of model globs
     * @param userId the owner
     * @param teamId the team it counts for, if any
     * @param expiresAt epoch millis when it stops working, if ever
     * @param allowedIps addresses and CIDR ranges it works from; empty for anywhere
     */
    public record KeySettings(String name, List<String> models, long userId, OptionalLong teamId,
            OptionalLong expiresAt, List<String> allowedIps) {

        public KeySettings {
            Objects.requireNonNull(name, "name");
            models = List.copyOf(models);
            Objects.requireNonNull(teamId, "teamId");
            Objects.requireNonNull(expiresAt, "expiresAt");
            allowedIps = List.copyOf(allowedIps);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final Database database;
    private final KeyHasher hasher;
    private final SecureRandom random = new SecureRandom();

    public KeyStore(Database database, KeyHasher hasher) {
        this.database = Objects.requireNonNull(database, "database");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
    }

    /**
     * Makes the live config-file keys exactly {@code keys}: new ones are added, changed ones
     * updated in place, missing ones revoked. Idempotent (an unchanged file writes nothing), and
     * safe when several instances sharing the database start at once.
     */
    public void syncFromFile(List<DeclaredKey> keys, long nowMillis) {
        List<String> names = new ArrayList<>();
        for (DeclaredKey key : keys) {
            names.add(key.name());
        }
        database.exclusively(handle -> {
            // Revoke first, so a secret moved to a new name does not meet its old row's hash.
            var revoke = handle.createUpdate("UPDATE gateway_keys SET revoked_at = :now, updated_at = :now,"
                    + " key_hash = NULL WHERE source = 'file' AND revoked_at IS NULL"
                    + (names.isEmpty() ? "" : " AND name NOT IN (<names>)")).bind("now", nowMillis);
            if (!names.isEmpty()) {
                revoke.bindList("names", names);
            }
            revoke.execute();
            for (DeclaredKey key : keys) {
                handle.createUpdate("""
                        INSERT INTO gateway_keys (source, name, key_hash, key_hint, models, created_at, updated_at)
                        VALUES ('file', :name, :hash, :hint, :models, :now, :now)
                        ON CONFLICT (source, name) DO UPDATE
                        SET key_hash = excluded.key_hash, key_hint = excluded.key_hint, models = excluded.models,
                            revoked_at = NULL, updated_at = excluded.updated_at
                        WHERE gateway_keys.key_hash IS NULL OR gateway_keys.key_hash <> excluded.key_hash
                            OR gateway_keys.models <> excluded.models OR gateway_keys.revoked_at IS NOT NULL""")
                        .bind("name", key.name())
                        .bind("hash", hasher.hash(key.secret()))
                        .bind("hint", KeyHasher.hint(key.secret()))
                        .bind("models", JSON.writeValueAsString(key.models()))
                        .bind("now", nowMillis)
                        .execute();
                fileKeyTeam(handle, key, nowMillis);
            }
            return null;
        });
    }

    /**
     * Gives the file's key {@code key} the team its {@code team:} names (made when the database has
     * no team of that name yet), or none, so that its usage rows count for that team.
     */
    private static void fileKeyTeam(org.jdbi.v3.core.Handle handle, DeclaredKey key, long nowMillis) {
        if (key.team().isEmpty()) {
            handle.createUpdate("UPDATE gateway_keys SET team_id = NULL WHERE source = 'file' AND name = :name"
                    + " AND team_id IS NOT NULL").bind("name", key.name()).execute();
            return;
        }
        String team = QuotaBook.teamName(key.team().get());
        handle.createUpdate("INSERT INTO teams (name, created_at) VALUES (:name, :now) ON CONFLICT (name) DO NOTHING")
                .bind("name", team).bind("now", nowMillis).execute();
        long teamId = handle.createQuery("SELECT id FROM teams WHERE name = :name").bind("name", team)
                .mapTo(Long.class).one();
        handle.createUpdate("UPDATE gateway_keys SET team_id = :team WHERE source = 'file' AND name = :name"
                + " AND (team_id IS NULL OR team_id <> :team)").bind("team", teamId).bind("name", key.name())
                .execute();
    }

    /**
     * Gives the key {@code id} a new label. Its id, and with it its usage history, budgets and
     * limits, stay. Keys from the config file are read-only: rename them in the file (which makes
     * a new key).
     *
     * @throws IllegalArgumentException when there is no such key or it comes from the file
     */
    public void rename(long id, String name, long nowMillis) {
        Objects.requireNonNull(name, "name");
        int changed = database.jdbi().withHandle(h -> h.createUpdate(
                "UPDATE gateway_keys SET name = :name, updated_at = :now WHERE id = :id AND source <> 'file'")
                .bind("name", name).bind("now", nowMillis).bind("id", id).execute());
        if (changed == 0) {
            throw new IllegalArgumentException("no key " + id + " that may be renamed (keys from the config file are"
                    + " read-only)");
        }
    }

    /** A new secret: {@code sk-} and 32 random bytes, base64url (43 characters). */
    public String generateSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What people see first of a secret: {@code sk-} and 4 characters. */
    public static String visiblePrefix(String secret) {
        return secret.substring(0, Math.min(secret.length(), 7));
    }

    /**
     * Stores a new key of the admin API with {@code secret} (of which only the keyed hash is kept).
     *
     * @throws Conflict when an admin key of that name exists
     */
    public StoredKey create(KeySettings settings, String secret, long nowMillis) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(secret, "secret");
        long id = database.call(jdbi -> Conflict.guard(() -> jdbi.withHandle(h -> h.createUpdate("""
                INSERT INTO gateway_keys (source, name, key_hash, key_prefix, key_hint, models, user_id, team_id,
                    expires_at, allowed_ips, created_at, updated_at)
                VALUES ('admin', :name, :hash, :prefix, :hint, :models, :user, :team, :expires, :ips, :now, :now)""")
                .bind("name", settings.name())
                .bind("hash", hasher.hash(secret))
                .bind("prefix", visiblePrefix(secret))
                .bind("hint", KeyHasher.hint(secret))
                .bind("models", JSON.writeValueAsString(settings.models()))
                .bind("user", settings.userId())
                .bind("team", settings.teamId().isPresent() ? settings.teamId().getAsLong() : null)
                .bind("expires", settings.expiresAt().isPresent() ? settings.expiresAt().getAsLong() : null)
                .bind("ips", settings.allowedIps().isEmpty() ? null : JSON.writeValueAsString(settings.allowedIps()))
                .bind("now", nowMillis)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one())));
        return find(id).orElseThrow();
    }

    /**
     * Changes what an admin key may do; its secret and id stay.
     *
     * @return false when there is no live admin key {@code id}
     * @throws Conflict when another admin key has the name
     */
    public boolean update(long id, KeySettings settings, long nowMillis) {
        Objects.requireNonNull(settings, "settings");
        return database.call(jdbi -> Conflict.guard(() -> jdbi.withHandle(h -> h.createUpdate("""
                UPDATE gateway_keys SET name = :name, models = :models, user_id = :user, team_id = :team,
                    expires_at = :expires, allowed_ips = :ips, updated_at = :now
                WHERE id = :id AND source = 'admin' AND revoked_at IS NULL""")
                .bind("id", id)
                .bind("name", settings.name())
                .bind("models", JSON.writeValueAsString(settings.models()))
                .bind("user", settings.userId())
                .bind("team", settings.teamId().isPresent() ? settings.teamId().getAsLong() : null)
                .bind("expires", settings.expiresAt().isPresent() ? settings.expiresAt().getAsLong() : null)
                .bind("ips", settings.allowedIps().isEmpty() ? null : JSON.writeValueAsString(settings.allowedIps()))
                .bind("now", nowMillis)
                .execute()))) == 1;
    }

    /**
     * Revokes a live admin key: its secret stops working at once; the row stays (usage points at its
     * id) and its name gets a {@code (revoked #id)} suffix, so a new key may take the name.
     */
    public boolean revoke(long id, long nowMillis) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate("UPDATE gateway_keys SET revoked_at = :now,"
                + " updated_at = :now, key_hash = NULL, name = name || :suffix"
                + " WHERE id = :id AND source = 'admin' AND revoked_at IS NULL")
                .bind("id", id).bind("now", nowMillis).bind("suffix", " (revoked #" + id + ")").execute())) == 1;
    }

    /** Gives a live admin key a new secret; the old one stops working at once, the id stays. */
    public boolean rotate(long id, String secret, long nowMillis) {
        Objects.requireNonNull(secret, "secret");
        return database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate("UPDATE gateway_keys SET key_hash = :hash,"
                + " key_prefix = :prefix, key_hint = :hint, updated_at = :now"
                + " WHERE id = :id AND source = 'admin' AND revoked_at IS NULL")
                .bind("hash", hasher.hash(secret)).bind("prefix", visiblePrefix(secret))
                .bind("hint", KeyHasher.hint(secret)).bind("id", id).bind("now", nowMillis).execute())) == 1;
    }

    public Optional<StoredKey> find(long id) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                + " FROM gateway_keys WHERE id = :id").bind("id", id).map((rs, ctx) -> stored(rs)).findOne()));
    }

    /** Every key, revoked ones included, oldest first. */
    public List<StoredKey> list() {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                + " FROM gateway_keys ORDER BY id").map((rs, ctx) -> stored(rs)).list()));
    }

    private static StoredKey stored(ResultSet rs) throws SQLException {
        String ips = rs.getString("allowed_ips");
        String hash = rs.getString("key_hash");
        return new StoredKey(rs.getLong("id"), rs.getString("source"), rs.getString("name"),
                Optional.ofNullable(rs.getString("key_prefix")), rs.getString("key_hint"),
                JSON.readValue(rs.getString("models"), STRINGS), optionalLong(rs, "user_id"),
                optionalLong(rs, "team_id"), optionalLong(rs, "expires_at"),
                ips == null ? List.of() : JSON.readValue(ips, STRINGS), rs.getLong("created_at"),
                rs.getLong("updated_at"), optionalLong(rs, "revoked_at"),
                hash == null ? "" : hash.substring(0, Math.min(8, hash.length())));
    }

    private static OptionalLong optionalLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /** All live keys (not revoked, and their owner, if any, an enabled user) as a lookup ring. */
    public KeyRing ring() {
        Map<String, GatewayKey> byHash = new HashMap<>();
        database.call(jdbi -> {
            jdbi.useHandle(handle -> handle
                    .createQuery("SELECT k.id, k.name, k.key_hash, k.key_hint, k.models, k.expires_at, k.allowed_ips"
                            + " FROM gateway_keys k LEFT JOIN users u ON u.id = k.user_id"
                            + " WHERE k.revoked_at IS NULL AND k.key_hash IS NOT NULL"
                            // a key works while its owner is an enabled user (the file's keys have none)
                            + " AND (k.user_id IS NULL OR (u.id IS NOT NULL AND u.disabled = FALSE))")
                    .map((rs, ctx) -> Map.entry(rs.getString("key_hash"), key(rs)))
                    .forEach(e -> byHash.put(e.getKey(), e.getValue())));
            return null;
        });
        return KeyRing.of(hasher, byHash);
    }

    private static GatewayKey key(ResultSet rs) throws SQLException {
        OptionalLong expires = optionalLong(rs, "expires_at");
        String ips = rs.getString("allowed_ips");
        List<AddressRange> ranges = new ArrayList<>();
        if (ips != null) {
            for (String ip : JSON.readValue(ips, STRINGS)) {
                // Stored values were validated on the way in; one that no longer parses admits nobody.
                ranges.add(AddressRange.parse(ip).orElse(new AddressRange(new byte[16], 128)));
            }
        }
        return new GatewayKey(rs.getLong("id"), rs.getString("name"), rs.getString("key_hint"),
                JSON.readValue(rs.getString("models"), STRINGS),
                expires.isPresent() ? Optional.of(Instant.ofEpochMilli(expires.getAsLong())) : Optional.empty(), ranges);
    }
}
