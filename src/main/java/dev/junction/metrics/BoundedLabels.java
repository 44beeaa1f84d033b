package dev.junction.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The values one label may take, kept bounded: a value is used as itself only when {@code admit}
 * accepts it and fewer than {@code cap} distinct values were seen; otherwise it is {@link #OTHER}.
 * A client sending made-up model names therefore cannot grow the number of series without bound.
 */
final class BoundedLabels {

    static final String OTHER = "other";
    static final String NONE = "none";

    private final int cap;
    private final Predicate<String> admit;
    private final ConcurrentHashMap<String, String> seen = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();

    BoundedLabels(int cap, Predicate<String> admit) {
        this.cap = cap;
        this.admit = admit;
    }

    /** The label for {@code value}: itself, {@code other}, or {@code none} when there is none. */
    String of(String value) {
        if (value == null) {
            return NONE;
        }
        String known = seen.get(value);
        if (known != null) {
            return known;
        }
        if (!admit.test(value)) {
            return OTHER;
        }
        if (size.incrementAndGet() > cap) {
            size.decrementAndGet();
            return OTHER;
        }
        String previous = seen.putIfAbsent(value, value);
        if (previous != null) {
            size.decrementAndGet();
            return previous;
        }
        return value;
    }
}
