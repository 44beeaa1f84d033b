package dev.junction.relay;

/** How a request's answer ended, recorded with its usage. */
public enum EndReason {
    /** The answer was delivered in full. */
    DONE,
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

    public String recordName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
