package dev.junction.governance;

/**
 * What one request may use at most, reserved when it is admitted: the real use replaces it when it ends.
 *
 * @param tokens prompt estimate plus the most output it may generate
 * @param micros the cost of those tokens at the price of the dearest model that may serve it
 */
public record Demand(long tokens, long micros) {

    /** A request that spends nothing that is counted (a token count). */
    public static final Demand NONE = new Demand(0, 0);

    public Demand {
        if (tokens < 0 || micros < 0) {
            throw new IllegalArgumentException("a demand is never negative");
        }
    }
}
