package dev.junction.http;

import java.util.ArrayList;
import java.util.List;

/**
 * Fired once when the client of a request goes away; every upstream call of that request
 * registers its abort here, so a disconnect stops provider work at once.
 */
public final class CancelSignal {

    private final List<Runnable> actions = new ArrayList<>();
    private boolean cancelled;

    /** Runs {@code action} on cancel, or now if already cancelled. */
    public void onCancel(Runnable action) {
        boolean runNow;
        synchronized (this) {
            runNow = cancelled;
            if (!runNow) {
                actions.add(action);
            }
        }
        if (runNow) {
            action.run();
        }
    }

    public void cancel() {
        List<Runnable> toRun;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toRun = List.copyOf(actions);
            actions.clear();
        }
        toRun.forEach(Runnable::run);
    }

    public synchronized boolean cancelled() {
        return cancelled;
    }
}
