/**
 * What routing and governance remember between requests — cooldowns, circuit breakers,
 * suspensions (disabled keys, failing health checks) and windowed counters — behind narrow
 * interfaces, keyed by stable ids ({@link dev.junction.state.StateKey}), never by names or by
 * the objects of one routing snapshot. Each operation is a single atomic step (a compare, a
 * bounded increment, a transition) so that a shared store such as Redis can implement it as
 * one script; the in-memory implementations here serve a single instance.
 * Uses {@code core} only.
 */
package dev.junction.state;
