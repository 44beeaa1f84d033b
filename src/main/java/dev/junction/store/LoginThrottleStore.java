package dev.junction.store;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Failed sign-ins counted per subject (an account or a client address) and the locks they set.
 * Counting is one atomic upsert, so concurrent failures are all counted, and the state is shared
 * by every instance on the database.
 */
public final class LoginThrottleStore {

    private final Database database;

    public LoginThrottleStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** When the lock on {@code subject} ends, if it is locked at {@code nowMillis}. */
    public OptionalLong lockedUntil(String subject, long nowMillis) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery(
                "SELECT locked_until FROM login_throttle WHERE subject = :s").bind("s", subject)
                .mapTo(Long.class).findOne()
                .filter(until -> until > nowMillis)
                .map(OptionalLong::of).orElse(OptionalLong.empty())));
    }

    /**
     * Counts one failure. Failures before {@code windowStartFloor} no longer count (pass
     * {@link Long#MIN_VALUE} to count every failure since the last {@link #clear}). The
     * {@code limit}-th failure locks the subject until {@code nowMillis + lockMillis} and starts
     * the count again; returns when the lock ends, if this failure set one.
     */
    public OptionalLong recordFailure(String subject, long nowMillis, long windowStartFloor, int limit,
            long lockMillis) {
        return database.call(jdbi -> jdbi.inTransaction(h -> {
            int failures = h.createQuery("""
                    INSERT INTO login_throttle (subject, failures, window_start, locked_until)
                    VALUES (:s, 1, :now, 0)
                    ON CONFLICT (subject) DO UPDATE SET
                        failures = CASE WHEN login_throttle.window_start < :floor THEN 1
                                        ELSE login_throttle.failures + 1 END,
                        window_start = CASE WHEN login_throttle.window_start < :floor THEN :now
                                            ELSE login_throttle.window_start END
                    RETURNING failures""")
                    .bind("s", subject).bind("now", nowMillis).bind("floor", windowStartFloor)
                    .mapTo(Integer.class).one();
            if (failures < limit) {
                return OptionalLong.empty();
            }
            long until = nowMillis + lockMillis;
            h.createUpdate("UPDATE login_throttle SET failures = 0, window_start = :now, locked_until = :until "
                    + "WHERE subject = :s").bind("now", nowMillis).bind("until", until).bind("s", subject).execute();
            return OptionalLong.of(until);
        }));
    }

    /** Forgets the failures of a subject (a successful sign-in). */
    public void clear(String subject) {
        database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM login_throttle WHERE subject = :s")
                .bind("s", subject).execute()));
    }
}
