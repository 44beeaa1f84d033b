package dev.junction.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * An upstream answer taken off the connection by Jetty's selector thread and read by the request's
 * virtual thread as a blocking stream.
 *
 * <p>Each hand-over between the two threads costs a wake-up, so they are kept few. A JSON answer
 * is collected whole before the request thread wakes (one wake-up instead of one for the headers
 * and one per body read), and because the selector thread reads it to the end, the connection goes
 * back to the pool there, without a round trip through the selector. Anything else (an event
 * stream) is handed over chunk by chunk as it arrives. At most {@link #MAX_BUFFERED} bytes wait
 * for the reader; past that the connection is not read until it catches up, so a slow client
 * holds the provider back instead of filling memory.
 *
 * <p>Waits are untimed: the first-byte deadline (or the client going away) aborts the request, and
 * an aborted request always completes this listener.
 */
final class UpstreamBody extends InputStream implements Response.Listener {

    /** Bytes received and not yet read before the connection stops being read. */
    static final int MAX_BUFFERED = 64 << 10;

    private final Runnable onFirstByte;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock:
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int buffered;
    private Response response;
    private HttpFields headers;
    private boolean wholeBeforeReady;
    private boolean ended;
    private Throwable failure;
    private Runnable resume;
    private boolean closed;
    // Written by the producing thread only:
    /**
     * Declared non-blocking (it only queues bytes and wakes the reader): Jetty treats a plain
     * {@code Runnable} given to {@code demand} as blocking, and then hands the selector's work to
     * another thread each time the connection becomes readable, two thread wake-ups per event.
     */
    private final Runnable pumpAgain = Invocable.from(Invocable.InvocationType.NON_BLOCKING, this::pump);
    private Response producing;
    private Content.Source source;
    private volatile boolean firstByte;
    // Read by the consuming thread only:
    private byte[] current;
    private int position;

    /** @param onFirstByte run once, on Jetty's thread, when the body yields its first byte or ends */
    UpstreamBody(Runnable onFirstByte) {
        this.onFirstByte = onFirstByte;
    }

    // ------------------------------------------------------------------------------------------
    // Producer side: Jetty's callbacks

    @Override
    public void onHeaders(Response response) {
        HttpFields fields = response.getHeaders(); // Jetty copies the headers at each call: taken once
        String type = fields.get(HttpHeader.CONTENT_TYPE);
        lock.lock();
        try {
            this.response = response;
            this.headers = fields;
            wholeBeforeReady = type != null && type.regionMatches(true, 0, "application/json", 0, 16);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onContentSource(Response response, Content.Source source) {
        this.producing = response;
        this.source = source;
        pump();
    }

    /**
     * Takes what the connection has. A JSON answer is read until it has nothing more for now, the
     * buffer is full or the body ends, and the reader is woken once for all of it. A stream's chunk
     * is handed to the reader at once, then Jetty is asked to call again when there is more: it
     * parses what its buffer still holds, else reads the connection once, else waits for the
     * selector. Reading on until a read finds nothing would cost a second read of an empty
     * connection per event, since a provider's next event is rarely there yet.
     */
    private void pump() {
        while (true) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                source.demand(pumpAgain);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                producing.abort(chunk.getFailure()); // completes the listener, which wakes the reader
                return;
            }
            int length = chunk.remaining();
            byte[] bytes = null;
            if (length > 0) {
                bytes = new byte[length];
                chunk.get(bytes, 0, length);
            }
            boolean last = chunk.isLast();
            chunk.release();
            if (length > 0) {
                sawFirstByte();
            }
            boolean full;
            boolean stream;
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                if (bytes != null) {
                    chunks.add(bytes);
                    buffered += length;
                }
                full = buffered >= MAX_BUFFERED;
                stream = !wholeBeforeReady;
                if (full && !last) {
                    resume = pumpAgain;
                }
                if (bytes != null && (stream || full)) {
                    changed.signalAll(); // (a JSON answer's reader wakes at its end, in onComplete)
                }
            } finally {
                lock.unlock();
            }
            if (last || full) {
                return;
            }
            if (stream) {
                source.demand(pumpAgain); // not read(): see above
                return;
            }
        }
    }

    @Override
    public void onSuccess(Response response) {
        sawFirstByte(); // an empty body ends here
    }

    /** The end, after Jetty has given the connection back to its pool, so the next call can take it. */
    @Override
    public void onComplete(Result result) {
        lock.lock();
        try {
            if (result.isFailed() && failure == null) {
                failure = result.getFailure();
            }
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void sawFirstByte() {
        if (!firstByte) {
            firstByte = true;
            onFirstByte.run();
        }
    }

    /**
     * Whether a read now would return at once: a chunk is being read or waits, or the body has
     * ended. Called by the reading thread only.
     */
    boolean readable() {
        if (current != null) {
            return true;
        }
        lock.lock();
        try {
            return !chunks.isEmpty() || ended || closed || failure != null;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes received and not yet taken by the reader. */
    int buffered() {
        lock.lock();
        try {
            return buffered;
        } finally {
            lock.unlock();
        }
    }

    /** The answer's headers, once {@link #awaitReady} has returned. */
    HttpFields headers() {
        lock.lock();
        try {
            return headers;
        } finally {
            lock.unlock();
        }
    }

    /** Whether any body byte (or the end of the body) has arrived. */
    boolean firstByteSeen() {
        return firstByte;
    }

    // ------------------------------------------------------------------------------------------
    // Consumer side: the request thread

    /**
     * Waits until the answer is worth waking for: the headers and the whole JSON body, the first
     * chunk of any other body, a full buffer, or the end.
     *
     * @throws ExecutionException when the request failed before any headers arrived
     */
    Response awaitReady() throws InterruptedException, ExecutionException {
        lock.lock();
        try {
            while (!ended && (response == null || chunks.isEmpty()
                    || (wholeBeforeReady && buffered < MAX_BUFFERED))) {
                changed.await();
            }
            if (response == null) {
                throw new ExecutionException(failure != null ? failure : new IOException("no response"));
            }
            return response;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        UpstreamReads.beforeRead(this);
        int n = -1;
        try {
            n = fill(b, off, len);
        } finally {
            UpstreamReads.afterRead(this, n >= 0);
        }
        return n;
    }

    private int fill(byte[] b, int off, int len) throws IOException {
        if (current == null && !next()) {
            return -1;
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        if (position == current.length) {
            current = null;
        }
        return n;
    }

    /**
     * The rest of the body in one exactly sized array (the received chunk itself when the answer
     * came in one), waiting for its end; null when it is longer than {@code maxBytes}.
     */
    byte[] readAll(int maxBytes) throws IOException {
        byte[] first = null;
        List<byte[]> more = null;
        int total = 0;
        if (current != null) {
            first = Arrays.copyOfRange(current, position, current.length);
            total = first.length;
            current = null;
        }
        while (next()) {
            total += current.length;
            if (total > maxBytes) {
                current = null;
                return null;
            }
            if (first == null) {
                first = current;
            } else {
                if (more == null) {
                    more = new ArrayList<>();
                }
                more.add(current);
            }
            current = null;
        }
        if (more == null) {
            return first == null ? new byte[0] : first;
        }
        byte[] all = Arrays.copyOf(first, total);
        int at = first.length;
        for (byte[] part : more) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /** Takes the next chunk, waiting for one; false at the end of the body. */
    private boolean next() throws IOException {
        Runnable resumeNow = null;
        lock.lock();
        try {
            while (chunks.isEmpty()) {
                if (failure != null) {
                    throw failure instanceof IOException io ? io : new IOException(failure);
                }
                if (ended || closed) {
                    return false;
                }
                changed.awaitUninterruptibly();
            }
            current = chunks.poll();
            position = 0;
            buffered -= current.length;
            if (resume != null && buffered < MAX_BUFFERED / 2) {
                resumeNow = resume;
                resume = null;
            }
        } finally {
            lock.unlock();
        }
        if (resumeNow != null) {
            resumeNow.run();
        }
        return true;
    }

    /**
     * Stops reading; returns whether the whole body had already arrived (otherwise the caller
     * aborts the request so the connection is not reused mid-answer).
     */
    boolean release() {
        lock.lock();
        try {
            closed = true;
            chunks.clear();
            buffered = 0;
            resume = null;
            current = null;
            changed.signalAll();
            return ended && failure == null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        UpstreamReads.closed(this);
    }
}
