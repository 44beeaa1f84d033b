package dev.junction.catalog;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * Where one provider's numbers came from and when they were checked.
 *
 * @param provider the provider key in the data file
 * @param urls the provider pages the prices and limits were read from
 * @param checked the date they were checked
 * @param how how they were checked (a stored copy of the page, a cross-check, or from memory)
 */
record Source(String provider, List<String> urls, LocalDate checked, String how) {
    public Source {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(checked, "checked");
        Objects.requireNonNull(how, "how");
        urls = List.copyOf(urls);
    }
}
