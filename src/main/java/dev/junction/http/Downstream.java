package dev.junction.http;

/**
 * The response to the gateway's client, free of server types so the relay can write to it.
 * Either {@link #respond} once, or {@link #startStream} then {@link #send} events and
 * {@link #finish}. A token reaches the client when it reaches the gateway: stream writes are
 * flushed at once, except that events sent while the same thread is reading an upstream body leave
 * together just before that thread reads the upstream again (so a burst costs one write).
 */
public interface Downstream {

    /** Sets a response header; ignored once the response is committed. */
    void header(String name, String value);

    /** Sends a complete response. */
    void respond(int status, String contentType, byte[] body) throws ClientGoneException;

    /** Commits status and headers of a {@code text/event-stream} response. */
    void startStream(int status) throws ClientGoneException;

    /**
     * Commits status and headers of a response whose body follows in pieces ({@link #send}) as it
     * arrives: a binary stream (speech audio), or any answer relayed byte for byte.
     */
    default void startBody(int status, String contentType) throws ClientGoneException {
        startStream(status);
    }

    /**
     * Ends a started response as broken: the client sees the connection end without the body's
     * clean end (no last chunk), so a cut audio stream is never taken for a complete one.
     */
    default void abort() {
    }

    /** Writes and flushes bytes of a started stream. */
    void send(byte[] bytes) throws ClientGoneException;

    /** Ends a started stream. */
    void finish() throws ClientGoneException;

    /** Whether status and headers have gone out. */
    boolean committed();

    /** Runs {@code action} once if the client disconnects while the exchange is in progress. */
    void onClientGone(Runnable action);

    /**
     * Whether the gateway, stopping, cut this exchange short after its grace period: the
     * {@link #onClientGone} action has run, but the client is still there and should be told why
     * its answer ends (an in-band error event, or a 503 when nothing was sent yet).
     */
    default boolean stopped() {
        return false;
    }

    /** The client went away: writing is pointless, the upstream call should stop. */
    final class ClientGoneException extends Exception {
        private static final long serialVersionUID = 1L;

        public ClientGoneException(Throwable cause) {
            super("client went away", cause, false, false);
        }
    }
}
