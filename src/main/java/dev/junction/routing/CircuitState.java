package dev.junction.routing;

/**
 * A channel's circuit as the outside sees it (logs, the admin API): {@code CLOSED} lets requests
 * flow, {@code OPEN} skips the channel, {@code HALF_OPEN} lets one probe request through.
 */
public enum CircuitState {
    CLOSED,
    OPEN,
    HALF_OPEN
}
