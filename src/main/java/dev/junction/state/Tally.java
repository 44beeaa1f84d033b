package dev.junction.state;

/**
 * The answer of a bounded increment.
 *
 * @param admitted whether the amount was added (false: it would have passed the limit, nothing changed)
 * @param count the counter after the call
 * @param window the window counted in; its end is when a refused caller may try again
 */
public record Tally(boolean admitted, long count, Window window) {
}
