package dev.junction.governance;

import java.util.Objects;

/** What an {@link Action} is aimed at, with the facts {@link Permissions} decides on. */
public sealed interface Target {

    /**
     * One user account, with the role it has (or, for a create or a role change, would have).
     * Changing a user's role or disabling them is also a write on {@link Area#USERS}.
     */
    record User(long id, Role role) implements Target {
        public User {
            Objects.requireNonNull(role, "role");
        }
    }

    /** One team. */
    record Team(long id) implements Target {
    }

    /** Something one user owns: their admin tokens, (later) gateway keys and usage. */
    record Owned(Kind kind, long ownerId, Role ownerRole) implements Target {
        public Owned {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(ownerRole, "ownerRole");
        }
    }

    /** A whole area: listing or managing all of it. */
    record Whole(Area area) implements Target {
        public Whole {
            Objects.requireNonNull(area, "area");
        }
    }

    /** The kinds of things a user owns. */
    enum Kind { TOKEN, KEY, USAGE }

    /** The areas of the admin API. */
    enum Area { USERS, TEAMS, TOKENS, KEYS, USAGE, CHANNELS, SETTINGS, AUDIT }
}
