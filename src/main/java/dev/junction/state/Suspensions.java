package dev.junction.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Subjects taken out of rotation until a check shows they work again. */
public interface Suspensions {

    /** Takes {@code subject} out, with its next check due at {@code nextCheck}. */
    void suspend(StateKey subject, String reason, Instant nextCheck);

    /** The suspension of {@code subject}, if it is suspended. */
    Optional<Suspension> suspension(StateKey subject);

    /** Whether {@code subject} is suspended. */
    default boolean suspended(StateKey subject) {
        return suspension(subject).isPresent();
    }

    /**
     * Claims the check of a suspended subject when it is due: moves its next check to
     * {@code now + every} and returns true, atomically, so that only one caller (one instance)
     * runs it. False when the subject is not suspended or its check is not due.
     */
    boolean claimCheck(StateKey subject, Instant now, Duration every);

    /** Brings {@code subject} back. */
    void lift(StateKey subject);
}
