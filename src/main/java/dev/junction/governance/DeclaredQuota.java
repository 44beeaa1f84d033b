package dev.junction.governance;

import java.util.Objects;
import java.util.Optional;

/**
 * What the config file says a key is held to ({@code team:}, {@code limits:}, {@code budget:}).
 *
 * @param team the name of the team the key belongs to
 */
public record DeclaredQuota(Optional<String> team, Limits limits, Optional<Budget> budget) {

    public static final DeclaredQuota NONE = new DeclaredQuota(Optional.empty(), Limits.NONE, Optional.empty());

    public DeclaredQuota {
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(budget, "budget");
    }
}
