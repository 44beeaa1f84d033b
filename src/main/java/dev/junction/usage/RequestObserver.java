package dev.junction.usage;

import java.util.List;
import java.util.Objects;

/**
 * Told of every request's end, once, on the request's thread, after its usage row was queued:
 * the hook for metrics and the access log. An observer must be quick and must not throw (what it
 * throws is logged and dropped); slow work (disk, network) belongs on its own thread.
 */
@FunctionalInterface
public interface RequestObserver {

    /** Observes nothing. */
    RequestObserver NONE = end -> { };

    void onEnd(RequestEnd end);

    /** Tells each of {@code observers}, in order. */
    static RequestObserver all(List<? extends RequestObserver> observers) {
        List<RequestObserver> each = List.copyOf(observers);
        each.forEach(o -> Objects.requireNonNull(o, "observer"));
        return switch (each.size()) {
            case 0 -> NONE;
            case 1 -> each.getFirst();
            default -> new EachObserver(each);
        };
    }
}
