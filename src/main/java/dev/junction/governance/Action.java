package dev.junction.governance;

/** What a principal wants to do to a {@link Target}. */
public enum Action {
    READ,
    CREATE,
    UPDATE,
    DELETE;

    /** Whether the action changes something. */
    public boolean writes() {
        return this != READ;
    }
}
