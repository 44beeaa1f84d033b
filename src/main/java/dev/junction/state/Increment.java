package dev.junction.state;

import java.util.Objects;

/**
 * One bounded increment of an admission that counts several things at once (a key's requests and
 * tokens, its user's, its team's): see {@link Counters#tryAddAll}.
 *
 * @param subject whose counter
 * @param metric what it counts ({@code "requests"}, {@code "tokens"}, …)
 * @param window the period counted in
 * @param amount how much to add
 * @param limit the count it may not pass
 */
public record Increment(StateKey subject, String metric, Window window, long amount, long limit) {

    public Increment {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(window, "window");
    }
}
