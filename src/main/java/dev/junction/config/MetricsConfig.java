package dev.junction.config;

/**
 * The {@code metrics:} section: whether {@code GET /metrics} serves Prometheus metrics, and whether
 * request and token series carry the gateway key's name.
 *
 * @param enabled serve {@code /metrics} and record the gateway's meters
 * @param perKey add a {@code key} label (the key's name) to the request and token series; off by
 *     default, since every key multiplies those series
 */
public record MetricsConfig(boolean enabled, boolean perKey) {

    /** On, without per-key series. */
    public static final MetricsConfig DEFAULT = new MetricsConfig(true, false);
}
