package dev.junction.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Channels' stable ids. An entry of the config file is found again by its source and name, so it
 * keeps its id across restarts and reloads; an entry that leaves the file is marked removed, never
 * deleted, so its id is not reused and its usage history still points at it. The provider keys of
 * file entries are not stored. Entries of the admin API (source {@code admin}) keep their
 * declaration as JSON in {@code settings} and their provider keys sealed with AES-GCM
 * ({@link Secrets}, bound to the row's id) in {@code api_keys}.
 */
public final class ChannelStore {

    /** The source of entries declared in the config file. */
    public static final String FILE = "file";
    /** The source of entries made in the admin API. */
    public static final String ADMIN = "admin";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final String COLUMNS = "id, source, name, type, base_url, settings, enabled, created_at,"
            + " updated_at, removed_at";

    /**
     * A channel row. The provider keys are not in here: {@link #apiKeys(long)} unseals them.
     *
     * @param settings the admin API's declaration (JSON without provider keys); empty for file entries
     */
    public record StoredChannel(long id, String source, String name, String type, String baseUrl,
            Optional<String> settings, boolean enabled, long createdMillis, long updatedMillis,
            OptionalLong removedMillis) {

        public StoredChannel {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(removedMillis, "removedMillis");
        }

        public boolean fromFile() {
            return FILE.equals(source);
        }
    }

    /**
     * What the admin API declares for a channel.
     *
     * @param settings the declaration as JSON, without provider keys
     */
    public record ChannelSettings(String name, String type, String baseUrl, String settings) {

        public ChannelSettings {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(settings, "settings");
        }
    }

    /**
     * What identifies a channel of the file, and what the dashboard shows of it.
     *
     * @param name the channel's name (its label, and with the source its identity)
     * @param type wire format name, e.g. {@code openai}
     * @param baseUrl where it points
     */
    public record FileChannel(String name, String type, String baseUrl) {

        public FileChannel {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(baseUrl, "baseUrl");
        }
    }

    private final Database database;
    private final Secrets secrets;

    /** A store for the file's entries only (no provider keys to seal). */
    public ChannelStore(Database database) {
        this(database, null);
    }

    /** A store that seals the admin API's provider keys with {@code secrets}. */
    public ChannelStore(Database database, Secrets secrets) {
        this.database = Objects.requireNonNull(database, "database");
        this.secrets = secrets;
    }

    private static String context(long id) {
        return "channels.api_keys:" + id;
    }

    private Secrets secrets() {
        if (secrets == null) {
            throw new IllegalStateException("this store was made without secrets");
        }
        return secrets;
    }

    /**
     * Adds a channel of the admin API, enabled, its {@code apiKeys} sealed.
     *
     * @throws Conflict when an admin channel of that name exists
     */
    public StoredChannel create(ChannelSettings channel, List<String> apiKeys, long nowMillis) {
        Objects.requireNonNull(channel, "channel");
        String keys = JSON.writeValueAsString(List.copyOf(apiKeys));
        long id = database.call(jdbi -> Conflict.guard(() -> jdbi.inTransaction(h -> {
            long created = h.createUpdate("""
                    INSERT INTO channels (source, name, type, base_url, settings, enabled, created_at, updated_at)
                    VALUES ('admin', :name, :type, :url, :settings, TRUE, :now, :now)""")
                    .bind("name", channel.name()).bind("type", channel.type()).bind("url", channel.baseUrl())
                    .bind("settings", channel.settings()).bind("now", nowMillis)
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            h.createUpdate("UPDATE channels SET api_keys = :keys WHERE id = :id")
                    .bind("keys", secrets().encrypt(keys, context(created))).bind("id", created).execute();
            return created;
        })));
        return find(id).orElseThrow();
    }

    /**
     * Replaces a live admin channel's declaration and, when given, its provider keys.
     *
     * @return false when there is no live admin channel {@code id}
     * @throws Conflict when another admin channel has the name
     */
    public boolean update(long id, ChannelSettings channel, Optional<List<String>> apiKeys, long nowMillis) {
        Objects.requireNonNull(channel, "channel");
        String sealed = apiKeys.map(keys -> secrets().encrypt(JSON.writeValueAsString(List.copyOf(keys)), context(id)))
                .orElse(null);
        return database.call(jdbi -> Conflict.guard(() -> jdbi.withHandle(h -> h.createUpdate("""
                UPDATE channels SET name = :name, type = :type, base_url = :url, settings = :settings,
                    api_keys = COALESCE(:keys, api_keys), updated_at = :now
                WHERE id = :id AND source = 'admin' AND removed_at IS NULL""")
                .bind("name", channel.name()).bind("type", channel.type()).bind("url", channel.baseUrl())
                .bind("settings", channel.settings()).bind("keys", sealed).bind("now", nowMillis).bind("id", id)
                .execute()))) == 1;
    }

    /** Switches a live admin channel on or off; false when there is none with {@code id}. */
    public boolean enable(long id, boolean enabled, long nowMillis) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate("UPDATE channels SET enabled = :enabled,"
                + " updated_at = :now WHERE id = :id AND source = 'admin' AND removed_at IS NULL")
                .bind("enabled", enabled).bind("now", nowMillis).bind("id", id).execute())) == 1;
    }

    /**
     * Removes a live admin channel: the row stays (its id is never reused), its provider keys are
     * erased and its name gets a {@code (removed #id)} suffix so a new channel may take the name.
     */
    public boolean remove(long id, long nowMillis) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate("UPDATE channels SET removed_at = :now,"
                + " updated_at = :now, api_keys = NULL, enabled = FALSE, name = name || :suffix"
                + " WHERE id = :id AND source = 'admin' AND removed_at IS NULL")
                .bind("now", nowMillis).bind("suffix", " (removed #" + id + ")").bind("id", id).execute())) == 1;
    }

    public Optional<StoredChannel> find(long id) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                + " FROM channels WHERE id = :id").bind("id", id).map((rs, ctx) -> stored(rs)).findOne()));
    }

    /** Every channel not removed, file entries included, oldest first. */
    public List<StoredChannel> live() {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                + " FROM channels WHERE removed_at IS NULL ORDER BY id").map((rs, ctx) -> stored(rs)).list()));
    }

    /** The unsealed provider keys of admin channel {@code id} (none for a file entry). */
    public List<String> apiKeys(long id) {
        String sealed = database.call(jdbi -> jdbi.withHandle(h -> h.createQuery(
                "SELECT api_keys FROM channels WHERE id = :id").bind("id", id).mapTo(String.class).findOne()))
                .orElse(null);
        if (sealed == null) {
            return List.of();
        }
        return JSON.readValue(secrets().decrypt(sealed, context(id)), STRINGS);
    }

    private static StoredChannel stored(ResultSet rs) throws SQLException {
        long removed = rs.getLong("removed_at");
        OptionalLong removedAt = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(removed);
        return new StoredChannel(rs.getLong("id"), rs.getString("source"), rs.getString("name"), rs.getString("type"),
                rs.getString("base_url"), Optional.ofNullable(rs.getString("settings")), rs.getBoolean("enabled"),
                rs.getLong("created_at"), rs.getLong("updated_at"), removedAt);
    }

    /**
     * Records the file's channels as exactly {@code channels} and returns their ids by name, in
     * the given order. Idempotent, and safe when several instances do it at once.
     */
    public Map<String, Long> syncFromFile(List<FileChannel> channels, long nowMillis) {
        List<String> names = new ArrayList<>();
        for (FileChannel channel : channels) {
            names.add(channel.name());
        }
        return database.exclusively(handle -> {
            var removal = handle.createUpdate("UPDATE channels SET removed_at = :now, updated_at = :now"
                    + " WHERE source = 'file' AND removed_at IS NULL"
                    + (names.isEmpty() ? "" : " AND name NOT IN (<names>)")).bind("now", nowMillis);
            if (!names.isEmpty()) {
                removal.bindList("names", names);
            }
            removal.execute();
            for (FileChannel channel : channels) {
                handle.createUpdate("""
                        INSERT INTO channels (source, name, type, base_url, created_at, updated_at)
                        VALUES ('file', :name, :type, :url, :now, :now)
                        ON CONFLICT (source, name) DO UPDATE
                        SET type = excluded.type, base_url = excluded.base_url, removed_at = NULL,
                            updated_at = excluded.updated_at
                        WHERE channels.type <> excluded.type OR channels.base_url <> excluded.base_url
                            OR channels.removed_at IS NOT NULL""")
                        .bind("name", channel.name())
                        .bind("type", channel.type())
                        .bind("url", channel.baseUrl())
                        .bind("now", nowMillis)
                        .execute();
            }
            Map<String, Long> ids = new LinkedHashMap<>();
            Map<String, Long> stored = new HashMap<>();
            handle.createQuery("SELECT id, name FROM channels WHERE source = 'file' AND removed_at IS NULL")
                    .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getLong("id")))
                    .forEach(e -> stored.put(e.getKey(), e.getValue()));
            for (String name : names) {
                ids.put(name, Objects.requireNonNull(stored.get(name), name));
            }
            return ids;
        });
    }
}
