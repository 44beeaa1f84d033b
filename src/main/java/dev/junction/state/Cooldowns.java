package dev.junction.state;

import java.time.Instant;

/** Rests: a subject (typically a provider key after a 429) is passed over until a time. */
public interface Cooldowns {

    /** Rests {@code subject} until {@code until}; never shortens a longer rest already set. */
    void coolUntil(StateKey subject, Instant until);

    /** When {@code subject} may be used again; {@link Instant#EPOCH} when it is not resting. */
    Instant until(StateKey subject);

    /** Ends any rest of {@code subject}. */
    void clear(StateKey subject);
}
