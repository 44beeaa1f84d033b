package dev.junction.catalog;

import java.util.List;

/** The catalog data is broken; every line names the entry and what is wrong with it. */
final class CatalogException extends RuntimeException {

    private final List<String> problems;

    public CatalogException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
