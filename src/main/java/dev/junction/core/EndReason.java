package dev.junction.core;

/**
 * How a request ended, recorded with its usage: the relay's outcomes, and {@link #REJECTED} for a
 * request the gateway refused before relaying it. {@link #recordName()} is the stored value.
 */
public enum EndReason {
    /** Refused before any channel was tried (bad key, malformed body, model not allowed or unknown). */
    REJECTED,
    /** The answer was delivered in full. */
    DONE,
    /**
     * The answer was delivered in full, but in more than one part: the stream broke after content and
     * the next candidate continued the same answer (the usage adds both parts).
     */
    CONTINUED,
    /**
     * The answer was delivered in full and ended for the client as a complete one, but the upstream's
     * stream broke after its finish (a finish reason, a stop reason) and before its own end
     * ({@code [DONE]}, {@code message_stop}, the end of the body): the usage is the provider's when it had reported it, else the gateway's estimate.
     */
    TAIL_MISSING,
    /** The upstream refused the request for a reason that was the client's; its error was relayed. */
    UPSTREAM_REJECTED,
    /** No channel could answer; the client got a gateway error. */
    FAILED,
    /** The client disconnected; the upstream call was cancelled. */
    CLIENT_GONE,
    /** The upstream dropped the connection after content was sent. */
    UPSTREAM_CUT,
    /** The upstream went silent after content was sent. */
    IDLE_TIMEOUT,
    /** The upstream sent an event the gateway could not read, or an error event, after content. */
    UPSTREAM_ERROR,
    /** The gateway was stopping and ended the request after its grace period; the client was told in its API. */
    SHUTDOWN;

    /** The value stored in the usage table's {@code end_reason}: the name in lower case. */
    public String recordName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
