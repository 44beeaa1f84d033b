package dev.junction.relay;

import dev.junction.routing.Router;
import dev.junction.routing.Selection;
import java.time.Instant;
import java.util.List;

/**
 * A request's chain of public models: the one the client asked for, then its {@code fallbacks:} in
 * order, each tried when the one before it has no channel left (failed, at its limits, or unable to
 * serve what the request needs). Remembers the soonest limit reset and what was missing on each.
 */
final class Fallbacks {

    private final Router router;
    private final Relay.Call call;
    private final List<String> chain;
    private int next;
    private Instant limitedUntil;
    private String limitName = "";
    private final StringBuilder missing = new StringBuilder();

    Fallbacks(Router router, Relay.Call call) {
        this.router = router;
        this.call = call;
        this.chain = call.selection.fallbacks();
    }

    /**
     * Whether the client's model, or else a fallback (which then becomes the call's selection), has
     * a channel able to serve the request at all.
     */
    boolean servable() {
        if (!call.selection.unservable()) {
            return true;
        }
        note(call.selection);
        while (next < chain.size()) {
            Selection selection = router.select(chain.get(next++), call.needs);
            if (!selection.isEmpty() && !selection.unservable()) {
                call.selection = selection;
                return true;
            }
            note(selection);
        }
        return false;
    }

    /** The current model's channels are spent: move to the next fallback that can serve; false when none is left. */
    boolean advance() {
        remember(call.selection);
        while (next < chain.size()) {
            Selection selection = router.select(chain.get(next++), call.needs);
            if (!selection.isEmpty() && !selection.unservable()) {
                call.selection = selection;
                return true;
            }
            note(selection);
        }
        return false;
    }

    private void remember(Selection selection) {
        if (selection.limitedUntil().isPresent()
                && (limitedUntil == null || selection.limitedUntil().get().isBefore(limitedUntil))) {
            limitedUntil = selection.limitedUntil().get();
            limitName = selection.limitName();
        }
    }

    private void note(Selection selection) {
        if (selection.isEmpty()) {
            return;
        }
        missing.append(missing.isEmpty() ? "" : "; ").append(selection.model().equals(call.primary) ? ""
                : "fallback " + selection.model() + " → ").append(selection.missing());
    }

    /** The soonest reset among the channels skipped at a limit, or null when none was. */
    Instant limitedUntil() {
        remember(call.selection);
        return limitedUntil;
    }

    String limitName() {
        return limitName;
    }

    /** What each model's channels lacked, for the 400. */
    String missing() {
        return missing.toString();
    }
}
