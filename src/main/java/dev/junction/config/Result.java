package dev.junction.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What binding a config node gave: a value, or every problem found (never both, never neither).
 * Rules return this instead of throwing, so one pass reports everything to fix.
 *
 * @param value the bound value, present exactly when there are no problems
 * @param problems what is wrong, in the order found
 */
public record Result<T>(Optional<T> value, List<Problem> problems) {

    public Result {
        Objects.requireNonNull(value, "value");
        problems = List.copyOf(problems);
        if (value.isPresent() != problems.isEmpty()) {
            throw new IllegalArgumentException("a result has a value or problems, not both or neither");
        }
    }

    public static <T> Result<T> ok(T value) {
        return new Result<>(Optional.of(value), List.of());
    }

    public static <T> Result<T> failed(List<Problem> problems) {
        return new Result<>(Optional.empty(), problems);
    }

    public static <T> Result<T> failed(Problem problem) {
        return failed(List.of(problem));
    }

    /** A problem with the value of {@code node}. */
    public static <T> Result<T> problem(ConfigNode node, String message) {
        return failed(Problem.at(node, message));
    }

    public boolean isOk() {
        return value.isPresent();
    }

    /** The value passed through {@code mapper}, or the same problems. */
    public <U> Result<U> map(Function<? super T, ? extends U> mapper) {
        return value.isPresent() ? ok(mapper.apply(value.get())) : failed(problems);
    }

    /** The value checked by a further rule, or the same problems. */
    public <U> Result<U> then(Function<? super T, Result<U>> rule) {
        return value.isPresent() ? rule.apply(value.get()) : failed(problems);
    }

    /** The problems, each formatted as the config file's error line. */
    public List<String> format(String label) {
        return problems.stream().map(p -> p.format(label)).toList();
    }
}
