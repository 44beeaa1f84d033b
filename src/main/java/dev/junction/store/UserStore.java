package dev.junction.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Users and the one-time set-up. Names and emails are compared lower case. Roles are the wire
 * names ({@code owner}, {@code admin}, {@code member}, {@code viewer}); the governance package
 * gives them meaning.
 */
public final class UserStore {

    /**
     * One user row.
     *
     * @param passwordHash the Argon2id PHC string; never leaves the server
     */
    public record User(long id, String name, Optional<String> email, String passwordHash, String role,
            boolean disabled, long createdMillis) {
        public User {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(passwordHash, "passwordHash");
            Objects.requireNonNull(role, "role");
        }

        @Override
        public String toString() {
            return "User[id=" + id + ", name=" + name + ", role=" + role + ", disabled=" + disabled + "]";
        }
    }

    /** What a new user is made of. */
    public record NewUser(String name, Optional<String> email, String passwordHash, String role) {
        public NewUser {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(passwordHash, "passwordHash");
            Objects.requireNonNull(role, "role");
        }

        @Override
        public String toString() {
            return "NewUser[name=" + name + ", role=" + role + "]";
        }
    }

    static final RowMapper<User> MAPPER = (rs, ctx) -> new User(rs.getLong("id"), rs.getString("name"),
            Optional.ofNullable(rs.getString("email")), rs.getString("password_hash"), rs.getString("role"),
            rs.getBoolean("disabled"), rs.getLong("created_at"));
    private static final String COLUMNS = "id, name, email, password_hash, role, disabled, created_at";

    private final Database database;

    public UserStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** Whether the first-run set-up is done (an owner was created through it or seeded). */
    public boolean setupDone() {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM setup")
                .mapTo(Long.class).one() > 0));
    }

    /**
     * Creates the first owner and marks the set-up done, in one transaction: of two concurrent
     * calls exactly one succeeds, the other throws {@link Conflict} and leaves nothing behind.
     */
    public User completeSetup(NewUser owner, long nowMillis) {
        return database.call(jdbi -> Conflict.guard(() -> jdbi.inTransaction(h -> {
            User user = insert(h, owner, nowMillis);
            h.createUpdate("INSERT INTO setup (id, owner_id, done_at) VALUES (1, :owner, :now)")
                    .bind("owner", user.id()).bind("now", nowMillis).execute();
            return user;
        })));
    }

    /** Adds a user; {@link Conflict} when the name or email is taken. */
    public User create(NewUser user, long nowMillis) {
        return database.call(jdbi -> Conflict.guard(() -> jdbi.inTransaction(h -> insert(h, user, nowMillis))));
    }

    private static User insert(Handle h, NewUser user, long nowMillis) {
        long id = h.createUpdate("INSERT INTO users (name, email, password_hash, role, disabled, created_at) "
                + "VALUES (:name, :email, :hash, :role, FALSE, :now)")
                .bind("name", user.name()).bind("email", user.email().orElse(null))
                .bind("hash", user.passwordHash()).bind("role", user.role()).bind("now", nowMillis)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        return new User(id, user.name(), user.email(), user.passwordHash(), user.role(), false, nowMillis);
    }

    public Optional<User> find(long id) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                + " FROM users WHERE id = :id").bind("id", id).map(MAPPER).findOne()));
    }

    /** The user of this (lower-case) name or email. */
    public Optional<User> findByLogin(String login) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                + " FROM users WHERE name = :login OR email = :login ORDER BY id").bind("login", login)
                .map(MAPPER).findFirst()));
    }

    public List<User> list() {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                + " FROM users ORDER BY id").map(MAPPER).list()));
    }

    /** Replaces a user's editable fields; {@link Conflict} when the new name or email is taken. */
    public void update(User user) {
        database.call(jdbi -> Conflict.guard(() -> jdbi.withHandle(h -> h.createUpdate(
                "UPDATE users SET name = :name, email = :email, password_hash = :hash, role = :role, "
                        + "disabled = :disabled WHERE id = :id")
                .bind("name", user.name()).bind("email", user.email().orElse(null))
                .bind("hash", user.passwordHash()).bind("role", user.role()).bind("disabled", user.disabled())
                .bind("id", user.id()).execute())));
    }

    /** Deletes a user with their sessions, tokens and memberships; whether there was one. */
    public boolean delete(long id) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM users WHERE id = :id")
                .bind("id", id).execute())) > 0;
    }

    /** How many enabled users have this role (an owner must not remove the last owner). */
    public long countActive(String role) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM users WHERE role = :role AND disabled = FALSE").bind("role", role)
                .mapTo(Long.class).one()));
    }
}
