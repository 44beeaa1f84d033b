package dev.junction.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Teams and who is in them; a user may be in several teams. */
public final class TeamStore {

    /** One team with its members' user ids. */
    public record Team(long id, String name, long createdMillis, Set<Long> members) {
        public Team {
            Objects.requireNonNull(name, "name");
            members = Set.copyOf(members);
        }
    }

    private final Database database;

    public TeamStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** Adds a team; {@link Conflict} when the name is taken. */
    public Team create(String name, long nowMillis) {
        long id = database.call(jdbi -> Conflict.guard(() -> jdbi.withHandle(h -> h.createUpdate(
                "INSERT INTO teams (name, created_at) VALUES (:name, :now)").bind("name", name).bind("now", nowMillis)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one())));
        return new Team(id, name, nowMillis, Set.of());
    }

    public Optional<Team> find(long id) {
        return list().stream().filter(t -> t.id() == id).findFirst();
    }

    /** Every team with its members, by id. */
    public List<Team> list() {
        return database.call(jdbi -> jdbi.withHandle(h -> {
            var members = h.createQuery("SELECT team_id, user_id FROM team_members")
                    .map((rs, ctx) -> new long[] {rs.getLong("team_id"), rs.getLong("user_id")}).list();
            return h.createQuery("SELECT id, name, created_at FROM teams ORDER BY id")
                    .map((rs, ctx) -> {
                        long id = rs.getLong("id");
                        Set<Long> ids = new TreeSet<>();
                        members.stream().filter(m -> m[0] == id).forEach(m -> ids.add(m[1]));
                        return new Team(id, rs.getString("name"), rs.getLong("created_at"), ids);
                    }).list();
        }));
    }

    /** The ids of the teams a user is in. */
    public Set<Long> teamsOf(long userId) {
        return database.call(jdbi -> jdbi.withHandle(h -> Set.copyOf(h.createQuery(
                "SELECT team_id FROM team_members WHERE user_id = :user").bind("user", userId)
                .mapTo(Long.class).list())));
    }

    /** Renames a team; {@link Conflict} when the name is taken; whether it exists. */
    public boolean rename(long id, String name) {
        return database.call(jdbi -> Conflict.guard(() -> jdbi.withHandle(h -> h.createUpdate(
                "UPDATE teams SET name = :name WHERE id = :id").bind("name", name).bind("id", id).execute()))) > 0;
    }

    public boolean delete(long id) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM teams WHERE id = :id")
                .bind("id", id).execute())) > 0;
    }

    /** Puts a user in a team; false when they already were. */
    public boolean addMember(long teamId, long userId, long nowMillis) {
        try {
            database.call(jdbi -> Conflict.guard(() -> jdbi.withHandle(h -> h.createUpdate(
                    "INSERT INTO team_members (team_id, user_id, created_at) VALUES (:team, :user, :now)")
                    .bind("team", teamId).bind("user", userId).bind("now", nowMillis).execute())));
            return true;
        } catch (Conflict alreadyIn) {
            return false;
        }
    }

    /** Takes a user out of a team; whether they were in it. */
    public boolean removeMember(long teamId, long userId) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate(
                "DELETE FROM team_members WHERE team_id = :team AND user_id = :user")
                .bind("team", teamId).bind("user", userId).execute())) > 0;
    }
}
