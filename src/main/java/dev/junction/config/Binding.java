package dev.junction.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The problems of one bind, collected as the binder goes: a binder takes each rule's
 * {@link Result}, carries on with a fallback when it failed, and hands back everything it found.
 */
final class Binding {

    private final List<Problem> problems = new ArrayList<>();

    void add(Problem problem) {
        problems.add(problem);
    }

    void add(ConfigNode at, String message) {
        problems.add(Problem.at(at, message));
    }

    void addAll(List<Problem> more) {
        problems.addAll(more);
    }

    /** The value of {@code result}, its problems kept. */
    <T> Optional<T> take(Result<T> result) {
        problems.addAll(result.problems());
        return result.value();
    }

    /** The value of {@code result}, or {@code fallback} when it failed (its problems kept). */
    <T> T take(Result<T> result, T fallback) {
        return take(result).orElse(fallback);
    }

    /** Whether nothing was found wrong so far. */
    boolean clean() {
        return problems.isEmpty();
    }

    int count() {
        return problems.size();
    }

    /** The value when nothing was found wrong, else every problem. */
    <T> Result<T> result(Supplier<T> value) {
        return problems.isEmpty() ? Result.ok(value.get()) : Result.failed(problems);
    }

    /** The fields of a mapping, unknown and repeated fields reported; see {@link Fields}. */
    Fields fields(ConfigNode node, Set<String> allowed) {
        return Fields.of(this, node, allowed);
    }
}
