package dev.junction.governance;

import java.util.Objects;
import java.util.function.Supplier;

/** The gateway keys in force, as the request path finds them. */
@FunctionalInterface
public interface KeySource {

    /** The keys in force now: an in-memory lookup, no waiting. */
    KeyRing ring();

    /**
     * The keys once every change this instance has already heard of is applied, waiting a moment
     * if one is being applied. Asked only after a presented key was not found, so that a key just
     * made through another instance is not refused while this one rebuilds its keys.
     */
    default KeyRing settled() {
        return ring();
    }

    /** Keys from {@code ring}; {@link #settled} first runs {@code settle} (which waits for changes in flight). */
    static KeySource of(Supplier<KeyRing> ring, Runnable settle) {
        Objects.requireNonNull(ring, "ring");
        Objects.requireNonNull(settle, "settle");
        return new KeySource() {
            @Override
            public KeyRing ring() {
                return ring.get();
            }

            @Override
            public KeyRing settled() {
                settle.run();
                return ring.get();
            }
        };
    }
}
