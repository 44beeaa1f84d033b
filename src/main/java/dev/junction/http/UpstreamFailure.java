package dev.junction.http;

import java.util.Objects;

/**
 * The upstream could not be reached or stopped answering: no HTTP status to judge by. The relay
 * treats every kind as a reason to try the next channel (before content has been sent).
 */
public final class UpstreamFailure extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong on the wire. */
    public enum Kind {
        CONNECT_REFUSED("connection refused"),
        CONNECT_TIMEOUT("connect timeout"),
        TLS("TLS handshake failed"),
        FIRST_BYTE_TIMEOUT("no response before the first-byte timeout"),
        IDLE_TIMEOUT("upstream went silent (idle timeout)"),
        TOTAL_TIMEOUT("the attempt took longer than its total timeout"),
        RESET("connection reset"),
        CANCELLED("cancelled: the client went away"),
        BODY_TOO_LARGE("response too large"),
        IO("I/O error");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }

        /** Timeouts end up as a 504 when every attempt timed out. */
        public boolean isTimeout() {
            return this == CONNECT_TIMEOUT || this == FIRST_BYTE_TIMEOUT || this == IDLE_TIMEOUT
                    || this == TOTAL_TIMEOUT;
        }
    }

    private final Kind kind;

    public UpstreamFailure(Kind kind, String detail) {
        super(Objects.requireNonNull(kind, "kind").description() + (detail == null ? "" : ": " + detail), null,
                false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
