package dev.junction.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices an HTTP/1.1 client hanging up while the gateway waits for an upstream. Jetty does not
 * read a connection while its request is being handled, so a close stays silent until the next
 * write, which for a request held back until the first token may be minutes away. This watch asks
 * the connection to report readability: an end of stream (or a failure) means the client is gone.
 *
 * <p>Watching costs a selector round trip, so it starts only once the request has been running for
 * {@link #DELAY_MILLIS}; answers faster than that never pay for it, and a client that left
 * earlier is noticed the moment the watch starts. Clients do not pipeline requests behind a pending
 * LLM call; if bytes do arrive they are dropped and the connection is closed after the response.
 *
 * <p>{@link #stop()} is called before the response's last write, and it waits for a read in
 * progress: after it returns the watch never reads again, so the client's next request on this
 * connection is Jetty's alone.
 */
final class DisconnectWatch implements Callback {

    /** How long a request runs before its connection is watched. */
    static final long DELAY_MILLIS = 50;

    /** Marks our own cancellation when the exchange ends normally. */
    private static final class Finished extends Exception {
        private static final long serialVersionUID = 1L;

        Finished() {
            super("exchange finished", null, false, false);
        }
    }

    private final AbstractEndPoint endPoint;
    private final Runnable onGone;
    private final Runnable onUnexpectedData;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean stopped; // guarded by lock
    private boolean registered; // guarded by lock
    private Deadlines.Deadline pendingStart; // guarded by lock

    private DisconnectWatch(AbstractEndPoint endPoint, Runnable onGone, Runnable onUnexpectedData) {
        this.endPoint = endPoint;
        this.onGone = onGone;
        this.onUnexpectedData = onUnexpectedData;
    }

    /**
     * Starts watching after {@link #DELAY_MILLIS}; returns null when the connection cannot be
     * watched this way (e.g. HTTP/2, which reports a reset stream by itself).
     */
    static DisconnectWatch schedule(EndPoint endPoint, Deadlines starts, Runnable onGone,
            Runnable onUnexpectedData) {
        if (!(endPoint instanceof AbstractEndPoint abstractEndPoint)) {
            return null;
        }
        DisconnectWatch watch = new DisconnectWatch(abstractEndPoint, onGone, onUnexpectedData);
        watch.lock.lock();
        try {
            watch.pendingStart = starts.schedule(DELAY_MILLIS, watch::register);
        } finally {
            watch.lock.unlock();
        }
        return watch;
    }

    private void register() {
        lock.lock();
        try {
            pendingStart = null;
            if (!stopped && !registered) {
                registered = endPoint.tryFillInterested(this);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void succeeded() {
        boolean gone = false;
        lock.lock();
        try {
            registered = false;
            if (stopped) {
                return;
            }
            int read = endPoint.fill(BufferUtil.allocate(64));
            if (read < 0) {
                gone = stopped = true;
            } else {
                if (read > 0) {
                    onUnexpectedData.run();
                }
                registered = endPoint.tryFillInterested(this);
            }
        } catch (IOException e) {
            gone = stopped = true;
        } finally {
            lock.unlock();
        }
        if (gone) {
            onGone.run();
        }
    }

    @Override
    public void failed(Throwable cause) {
        if (cause instanceof Finished) {
            return;
        }
        boolean gone;
        lock.lock();
        try {
            registered = false;
            gone = !stopped;
            stopped = true;
        } finally {
            lock.unlock();
        }
        if (gone) {
            onGone.run();
        }
    }

    /** Stops watching so Jetty can read the connection's next request. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            if (pendingStart != null) {
                pendingStart.cancel();
                pendingStart = null;
            }
            if (registered) {
                registered = false;
                endPoint.getFillInterest().onFail(new Finished());
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }
}
