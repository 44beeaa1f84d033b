package dev.junction.state;

/**
 * A circuit breaker's state. Closed: requests flow and outcomes are counted. Open: skipped until
 * its rest has passed. Half-open: one probe request is let through; its success closes the
 * circuit, its failure opens it again.
 */
public enum Circuit {
    CLOSED, OPEN, HALF_OPEN;

    /** Lower-case, for logs and the admin API. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
