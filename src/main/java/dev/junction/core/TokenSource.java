package dev.junction.core;

/**
 * Where a request's token counts came from, stored with its usage: the provider's own report, or
 * the gateway's estimate when the provider said nothing (a cut stream, a client that left, a
 * provider that omits usage). {@link #recordName()} is the stored value.
 */
public enum TokenSource {
    /** No tokens were spent (refused before relaying, failed on every channel). */
    NONE,
    /** Counted by the provider. */
    PROVIDER,
    /** Estimated by the gateway's tokenizer from what was sent and delivered. */
    ESTIMATED;

    /** The value stored in the usage table's {@code token_source}: null for {@link #NONE}. */
    public String recordName() {
        return this == NONE ? null : name().toLowerCase(java.util.Locale.ROOT);
    }
}
