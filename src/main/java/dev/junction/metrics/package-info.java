/**
 * What the gateway tells operators about itself: Prometheus metrics served at {@code /metrics}
 * ({@link dev.junction.metrics.GatewayMetrics}) and one JSON line per request on the
 * {@code junction.access} logger ({@link dev.junction.metrics.AccessLog}). Both are
 * {@link dev.junction.usage.RequestObserver}s, told of each request's end by admission; channel
 * state is read through {@link dev.junction.metrics.ChannelStates}, so this package knows nothing of
 * routing.
 */
package dev.junction.metrics;
