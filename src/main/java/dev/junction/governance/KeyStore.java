package dev.junction.governance;

import dev.junction.store.Database;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final Database database;
    private final KeyHasher hasher;

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
            }
            return null;
        });
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

    /** All live (not revoked) keys as a lookup ring. */
    public KeyRing ring() {
        Map<String, GatewayKey> byHash = new HashMap<>();
        database.jdbi().useHandle(handle -> handle
                .createQuery("SELECT id, name, key_hash, key_hint, models FROM gateway_keys"
                        + " WHERE revoked_at IS NULL AND key_hash IS NOT NULL")
                .map((rs, ctx) -> Map.entry(rs.getString("key_hash"), new GatewayKey(rs.getLong("id"),
                        rs.getString("name"), rs.getString("key_hint"), JSON.readValue(rs.getString("models"), STRINGS))))
                .forEach(e -> byHash.put(e.getKey(), e.getValue())));
        return KeyRing.of(hasher, byHash);
    }
}
