package dev.junction.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices an HTTP/1.1 client hanging up while the gateway waits for an upstream. Jetty does not
 * read a connection while its request is being handled, so a close stays silent until the next
 * write, which for a request held back until the first token may be minutes away. This watch asks
 * the connection to report readability: an end of stream (or a failure) means the client is gone.
 * Clients do not pipeline requests behind a pending LLM call; if bytes do arrive they are dropped
 * and the connection is closed after the response, so they are never misread.
 */
final class DisconnectWatch implements Callback {

    /** Marks our own cancellation when the exchange ends normally. */
    private static final class Finished extends Exception {
        private static final long serialVersionUID = 1L;

        Finished() {
            super("exchange finished", null, false, false);
        }
    }

    private final EndPoint endPoint;
    private final Runnable onGone;
    private final Runnable onUnexpectedData;
    private final AtomicBoolean done = new AtomicBoolean();

    private DisconnectWatch(EndPoint endPoint, Runnable onGone, Runnable onUnexpectedData) {
        this.endPoint = endPoint;
        this.onGone = onGone;
        this.onUnexpectedData = onUnexpectedData;
    }

    /** Starts watching; returns null when the connection cannot be watched this way (e.g. HTTP/2). */
    static DisconnectWatch start(EndPoint endPoint, Runnable onGone, Runnable onUnexpectedData) {
        if (!(endPoint instanceof AbstractEndPoint)) {
            return null;
        }
        DisconnectWatch watch = new DisconnectWatch(endPoint, onGone, onUnexpectedData);
        return endPoint.tryFillInterested(watch) ? watch : null;
    }

    @Override
    public void succeeded() {
        if (done.get()) {
            return;
        }
        try {
            ByteBuffer probe = BufferUtil.allocate(64);
            int read = endPoint.fill(probe);
            if (read < 0) {
                gone();
            } else {
                if (read > 0) {
                    onUnexpectedData.run();
                }
                if (!done.get()) {
                    endPoint.tryFillInterested(this);
                }
            }
        } catch (IOException e) {
            gone();
        }
    }

    @Override
    public void failed(Throwable cause) {
        if (!(cause instanceof Finished)) {
            gone();
        }
    }

    private void gone() {
        if (done.compareAndSet(false, true)) {
            onGone.run();
        }
    }

    /** Stops watching so Jetty can read the connection's next request. */
    void stop() {
        if (done.compareAndSet(false, true) && endPoint instanceof AbstractEndPoint abstractEndPoint) {
            abstractEndPoint.getFillInterest().onFail(new Finished());
        }
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }
}
