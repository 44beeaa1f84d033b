package dev.junction.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Routing-config versions (DESIGN.md §6): one row per change of keys or channels, numbered 1, 2, …
 * Each row keeps the whole routing config as the change left it (JSON without secrets), so the next
 * change, even one made by a restart with an edited file, is diffed against it.
 */
public final class ConfigVersions {

    /**
     * One version.
     *
     * @param number 1, 2, …
     * @param actor who made it: a user, a token, {@code config file}
     * @param source {@code start}, {@code reload} or {@code api}
     * @param summary one line for people
     * @param diff what changed, JSON
     */
    public record Version(long number, long atMillis, String actor, String source, String summary, String diff) {

        public Version {
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(diff, "diff");
        }
    }

    /**
     * What changed between two documents.
     *
     * @param summary one line for people
     * @param diff JSON
     */
    public record Change(String summary, String diff) {

        public Change {
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(diff, "diff");
        }
    }

    private final Database database;

    public ConfigVersions(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /**
     * Writes version latest + 1 for {@code document}, unless {@code differ} (given the latest
     * version's document, or null for the first) finds no change. Safe when several instances do
     * it at once.
     *
     * @return the current version number: the new one, or the latest when nothing changed (0 when
     *     there is none at all)
     */
    public long record(long atMillis, String actor, String source, String document,
            BiFunction<String, String, Optional<Change>> differ) {
        Objects.requireNonNull(document, "document");
        return database.call(jdbi -> database.exclusively(h -> {
            Optional<Latest> latest = h.createQuery(
                    "SELECT version, document FROM config_versions ORDER BY version DESC LIMIT 1")
                    .map((rs, ctx) -> new Latest(rs.getLong("version"), rs.getString("document"))).findOne();
            Optional<Change> change = differ.apply(latest.map(Latest::document).orElse(null), document);
            if (change.isEmpty()) {
                return latest.map(Latest::number).orElse(0L);
            }
            long number = latest.map(Latest::number).orElse(0L) + 1;
            h.createUpdate("INSERT INTO config_versions (version, at, actor, source, summary, diff, document)"
                    + " VALUES (:version, :at, :actor, :source, :summary, :diff, :document)")
                    .bind("version", number).bind("at", atMillis).bind("actor", actor).bind("source", source)
                    .bind("summary", change.get().summary()).bind("diff", change.get().diff())
                    .bind("document", document).execute();
            return number;
        }));
    }

    private record Latest(long number, String document) {
    }

    /** The latest version number, 0 when there is none. */
    public long current() {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(version), 0) FROM config_versions")
                .mapTo(Long.class).findOne().orElse(0L)));
    }

    /** The version numbered {@code number}, if there is one. */
    public Optional<Version> find(long number) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT version, at, actor, source, summary,"
                + " diff FROM config_versions WHERE version = :version").bind("version", number)
                .map((rs, ctx) -> version(rs)).findOne()));
    }

    /**
     * Up to {@code limit} versions made at or after {@code fromMillis} and before {@code toMillis},
     * oldest first: the markers of a time chart.
     */
    public List<Version> between(long fromMillis, long toMillis, int limit) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT version, at, actor, source, summary,"
                + " diff FROM config_versions WHERE at >= :from AND at < :to ORDER BY version LIMIT :limit")
                .bind("from", fromMillis).bind("to", toMillis).bind("limit", limit)
                .map((rs, ctx) -> version(rs)).list()));
    }

    /** The versions numbered above {@code after} up to {@code upTo}, oldest first: what changed in between. */
    public List<Version> range(long after, long upTo) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT version, at, actor, source, summary,"
                + " diff FROM config_versions WHERE version > :after AND version <= :upTo ORDER BY version LIMIT 200")
                .bind("after", after).bind("upTo", upTo).map((rs, ctx) -> version(rs)).list()));
    }

    private static Version version(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Version(rs.getLong("version"), rs.getLong("at"), rs.getString("actor"), rs.getString("source"),
                rs.getString("summary"), rs.getString("diff"));
    }

    /** Up to {@code limit} versions below {@code before} (all when 0), newest first. */
    public List<Version> list(int limit, long before) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT version, at, actor, source, summary,"
                + " diff FROM config_versions WHERE (:before = 0 OR version < :before) ORDER BY version DESC"
                + " LIMIT :limit")
                .bind("before", before).bind("limit", limit)
                .map((rs, ctx) -> new Version(rs.getLong("version"), rs.getLong("at"), rs.getString("actor"),
                        rs.getString("source"), rs.getString("summary"), rs.getString("diff")))
                .list()));
    }
}
