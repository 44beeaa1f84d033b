package dev.junction.governance;

import java.util.Objects;
import java.util.Set;

/**
 * Who is calling the admin API: a signed-in user, or an admin token acting with its owner's role.
 *
 * @param userId the user (the token's owner for a token)
 * @param name the user's name
 * @param role the user's role now
 * @param teams the ids of the teams the user is in
 */
public record Principal(long userId, String name, Role role, Set<Long> teams) {

    public Principal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        teams = Set.copyOf(teams);
    }

    /** Whether this principal may do {@code action} to {@code target}; see {@link Permissions}. */
    public boolean can(Action action, Target target) {
        return Permissions.can(this, action, target);
    }
}
