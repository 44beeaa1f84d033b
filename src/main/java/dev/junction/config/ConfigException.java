package dev.junction.config;

import java.util.List;

/**
 * The config file is wrong. Carries one line per problem, each naming file, line and field, so a
 * person can fix them all in one go.
 */
public final class ConfigException extends RuntimeException {

    private final List<String> problems;

    ConfigException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    /** One human-readable line per problem, e.g. {@code junction.yaml:7: channels[0].base_url: ...}. */
    public List<String> problems() {
        return problems;
    }
}
