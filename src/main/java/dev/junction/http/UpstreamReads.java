package dev.junction.http;

/**
 * Lets stream events that arrived together leave together. While a request thread is reading an
 * upstream body, {@link JettyExchange#send} holds what it is given, and the body flushes it just
 * before a read that would wait for the provider, that is when nothing more has arrived; while
 * more upstream bytes are already there, the events they hold join the same write (up to the
 * exchange's limit). So no event waits for a later one, but a burst (a provider that batches
 * events, writes one event per packet faster than the gateway relays them, or a fast local model)
 * costs one write instead of one per event. Per thread, so a write from any other thread is never
 * held.
 */
final class UpstreamReads {

    private static final ThreadLocal<UpstreamReads> CURRENT = new ThreadLocal<>();

    /** The upstream body this thread is reading, until it ends or closes. */
    private Object reading;
    /** The exchange holding stream bytes until this thread's next upstream read. */
    private JettyExchange holder;

    private UpstreamReads() {
    }

    /** Whether this thread is reading an upstream body, so a held write will be flushed by it. */
    static boolean inProgress() {
        UpstreamReads state = CURRENT.get();
        return state != null && state.reading != null;
    }

    /** Asks this thread's next upstream read to flush {@code exchange} first. */
    static void flushBeforeNextRead(JettyExchange exchange) {
        CURRENT.get().holder = exchange;
    }

    /** Called by an upstream body before each read: when the read may wait, flush first. */
    static void beforeRead(UpstreamBody body) {
        UpstreamReads state = CURRENT.get();
        if (state != null && state.holder != null && !body.readable()) {
            JettyExchange holder = state.holder;
            state.holder = null;
            holder.flushHeld();
        }
    }

    /** Called by an upstream body after each read; {@code more} is false at its end. */
    static void afterRead(Object body, boolean more) {
        UpstreamReads state = CURRENT.get();
        if (state == null) {
            if (!more) {
                return;
            }
            state = new UpstreamReads();
            CURRENT.set(state);
        }
        if (more) {
            state.reading = body;
        } else if (state.reading == body) {
            state.reading = null;
        }
    }

    /** Called when an upstream body is closed; a no-op on threads that were not reading it. */
    static void closed(Object body) {
        afterRead(body, false);
    }
}
