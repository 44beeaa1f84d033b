package dev.junction.governance;

import dev.junction.config.KeyConfig;
import dev.junction.store.Database;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gateway keys in the database. Keys from the config file are stored hashed (source
 * {@code config}) and replaced as a set on every start, so removing one from the file revokes it.
 */
public final class KeyStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final Database database;
    private final KeyHasher hasher;

    public KeyStore(Database database, KeyHasher hasher) {
        this.database = Objects.requireNonNull(database, "database");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
    }

    /** Makes the stored config-file keys exactly {@code keys}. */
    public void syncFromConfig(List<KeyConfig> keys, long nowMillis) {
        database.jdbi().useTransaction(handle -> {
            handle.createUpdate("DELETE FROM gateway_keys WHERE source = 'config'").execute();
            for (KeyConfig key : keys) {
                handle.createUpdate("""
                        INSERT INTO gateway_keys (name, key_hash, key_hint, models, source, created_at)
                        VALUES (:name, :hash, :hint, :models, 'config', :now)""")
                        .bind("name", key.name())
                        .bind("hash", hasher.hash(key.key()))
                        .bind("hint", KeyHasher.hint(key.key()))
                        .bind("models", JSON.writeValueAsString(key.models()))
                        .bind("now", nowMillis)
                        .execute();
            }
        });
    }

    /** All stored keys as a lookup ring. */
    public KeyRing ring() {
        Map<String, GatewayKey> byHash = new HashMap<>();
        database.jdbi().useHandle(handle -> handle
                .createQuery("SELECT name, key_hash, key_hint, models FROM gateway_keys")
                .map((rs, ctx) -> Map.entry(rs.getString("key_hash"), new GatewayKey(rs.getString("name"),
                        rs.getString("key_hint"), JSON.readValue(rs.getString("models"), STRINGS))))
                .forEach(e -> byHash.put(e.getKey(), e.getValue())));
        return KeyRing.of(hasher, byHash);
    }
}
