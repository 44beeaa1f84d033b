package dev.junction.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Channels' stable ids. An entry of the config file is found again by its source and name, so it
 * keeps its id across restarts and reloads; an entry that leaves the file is marked removed, never
 * deleted, so its id is not reused and its usage history still points at it. The provider keys of
 * file entries are not stored.
 */
public final class ChannelStore {

    /** The source of entries declared in the config file. */
    public static final String FILE = "file";

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

    public ChannelStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
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
