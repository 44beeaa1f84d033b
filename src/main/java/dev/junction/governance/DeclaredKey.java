package dev.junction.governance;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A gateway key as the config file declares it. The plaintext lives only here and in the file; the
 * store keeps a keyed hash of it.
 *
 * @param name label, and with the source the entry's identity
 * @param secret what clients send
 * @param models public model names or globs the key may use
 * @param team the team it belongs to ({@code team:}), made in the database when it is not there yet;
 *     its usage rows count for that team
 */
public record DeclaredKey(String name, String secret, List<String> models, Optional<String> team) {

    public DeclaredKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secret, "secret");
        models = List.copyOf(models);
        Objects.requireNonNull(team, "team");
    }

    /** A key of no team. */
    public DeclaredKey(String name, String secret, List<String> models) {
        this(name, secret, models, Optional.empty());
    }

    @Override
    public String toString() {
        return "DeclaredKey[name=" + name + ", models=" + models + ", team=" + team.orElse("-") + "]";
    }
}
