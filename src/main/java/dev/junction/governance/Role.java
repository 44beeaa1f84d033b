package dev.junction.governance;

import java.util.Locale;
import java.util.Optional;

/** What a user may do in the dashboard and the admin API (DESIGN.md §6); see {@link Permissions}. */
public enum Role {
    /** Everything, including other owners. */
    OWNER,
    /** Everything except owners and what they own. */
    ADMIN,
    /** Their own keys, tokens and usage. */
    MEMBER,
    /** Reads everything, changes nothing but their own password. */
    VIEWER;

    /** The name in JSON and the database: {@code owner}, {@code admin}, {@code member}, {@code viewer}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role of a wire name, if it is one. */
    public static Optional<Role> parse(String wire) {
        for (Role role : values()) {
            if (role.wire().equals(wire)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
