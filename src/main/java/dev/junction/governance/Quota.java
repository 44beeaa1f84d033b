package dev.junction.governance;

import dev.junction.state.StateKey;
import java.util.Objects;
import java.util.Optional;

/**
 * The limits and budget of one key, user or team.
 *
 * @param level what it belongs to
 * @param id the key's, user's or team's stable id
 * @param name its label, for messages (never a secret)
 * @param limits rate and concurrency limits
 * @param budget the spending cap, if any
 */
public record Quota(Level level, long id, String name, Limits limits, Optional<Budget> budget) {

    public Quota {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(budget, "budget");
    }

    /** Whether it limits anything. */
    public boolean limitsAnything() {
        return !limits.none() || budget.isPresent();
    }

    /** Whether admission needs the request's upper-bound tokens or cost to check it. */
    boolean needsDemand() {
        return limits.tpm() > 0 || budget.isPresent();
    }

    /**
     * The counters of a key, user or team: channel 0 (no channel has it) and a {@code quota:}
     * subject, so they never meet a channel's own counters.
     */
    public static StateKey stateKey(Level level, long id) {
        return new StateKey(0, "quota:" + level.wire() + ":" + id, "");
    }

    StateKey stateKey() {
        return stateKey(level, id);
    }

    /** How messages name it: {@code key alice}, {@code team backend}. */
    String label() {
        return level.wire() + " " + name;
    }
}
