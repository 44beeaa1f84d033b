package dev.junction.http;

import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Fields;

/** An {@link Exchange} and its {@link Downstream} over one Jetty request/response pair. */
final class JettyExchange implements Exchange, Downstream {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** Most stream bytes held for one write. */
    private static final int MAX_HELD = 32 << 10;
    /** Largest unread body drained (rather than closing the connection) when answering early. */
    private static final long DRAIN_LIMIT = 1 << 20;
    /** How long, and how much, a body refused part-way is still read and dropped after its 413. */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long LINGER_BYTES = 64L << 20;

    private final String requestId;
    /** Taken from the request once: Jetty works each out again at every call. */
    private String path;
    private String remoteAddress;
    private final Request request;
    private final Response response;
    private final long maxBodyBytes;
    private final ServerLimits limits;
    private final Deadlines watchStarts;
    private final AtomicBoolean gone = new AtomicBoolean();
    private volatile boolean stopped;
    private volatile Runnable onStop;
    private Fields query;
    private boolean streaming;
    private boolean finished;
    private DisconnectWatch watch;
    private boolean bodyRead;
    /** Whether the body was refused as too large before its end was read (see {@link #linger}). */
    private boolean refusedPartWay;
    private volatile boolean aborted;
    // Stream output held until this thread next reads the upstream (see UpstreamReads).
    private byte[] held;
    private int heldLength;
    private boolean headersHeld;
    private Throwable flushFailure;

    JettyExchange(String requestId, Request request, Response response, long maxBodyBytes, ServerLimits limits,
            Deadlines watchStarts) {
        this.requestId = requestId;
        this.request = request;
        this.response = response;
        this.maxBodyBytes = maxBodyBytes;
        this.limits = limits;
        this.watchStarts = watchStarts;
    }

    @Override
    public String requestId() {
        return requestId;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String path() {
        String path = this.path;
        if (path == null) {
            path = Request.getPathInContext(request);
            this.path = path;
        }
        return path;
    }

    @Override
    public Optional<String> query(String name) {
        if (query == null) {
            query = Request.extractQueryParameters(request);
        }
        return Optional.ofNullable(query.getValue(name));
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeaders().get(name));
    }

    @Override
    public byte[] body() {
        bodyRead = true;
        long declared = request.getLength();
        if (declared > maxBodyBytes) {
            throw tooLarge();
        }
        try {
            return read(declared, true);
        } catch (BodyTimeoutException e) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            throw GatewayException.invalidRequest(e.getMessage());
        } catch (IOException e) {
            throw GatewayException.invalidRequest("The request body could not be read: " + e.getMessage());
        }
    }

    @Override
    public InputStream bodyStream() {
        bodyRead = true;
        long declared = request.getLength();
        if (declared > maxBodyBytes) {
            throw tooLarge();
        }
        return new BodyStream();
    }

    /**
     * The request body read chunk by chunk as it arrives, never more than one chunk held, under the
     * body limit and the body allowance of {@link #read}.
     */
    private final class BodyStream extends InputStream {
        private final long start = System.nanoTime();
        private long received;
        private ByteBuffer current;
        private Content.Chunk chunk;
        private boolean ended;

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
            while (current == null || !current.hasRemaining()) {
                releaseChunk();
                if (ended) {
                    return -1;
                }
                Content.Chunk next = request.read();
                if (next == null) {
                    try {
                        awaitContent(start, received);
                    } catch (BodyTimeoutException e) {
                        response.getHeaders().put(HttpHeader.CONNECTION, "close");
                        throw GatewayException.invalidRequest(e.getMessage());
                    }
                    continue;
                }
                if (Content.Chunk.isFailure(next)) {
                    Throwable failure = next.getFailure();
                    next.release();
                    throw failure instanceof IOException io ? io : new IOException(failure.getMessage(), failure);
                }
                chunk = next;
                current = next.getByteBuffer();
                ended = next.isLast();
                received += current.remaining();
                if (received > maxBodyBytes) {
                    releaseChunk();
                    throw tooLarge();
                }
            }
            int n = Math.min(len, current.remaining());
            current.get(b, off, n);
            return n;
        }

        private void releaseChunk() {
            if (chunk != null) {
                chunk.release();
                chunk = null;
                current = null;
            }
        }

        @Override
        public void close() {
            releaseChunk();
        }
    }

    /**
     * Reads the body to its end, keeping it (up to the body limit) or discarding it. A body must
     * arrive within the server's body allowance (a fixed time plus a minimum rate), measured from
     * the first read: a client dripping it byte by byte does not hold the request for ever.
     */
    private byte[] read(long declared, boolean keep) throws IOException {
        int limit = (int) Math.min(maxBodyBytes, Integer.MAX_VALUE - 16);
        byte[] buffer = keep ? new byte[declared >= 0 ? (int) declared : 16384] : null;
        int length = 0;
        long start = System.nanoTime();
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                awaitContent(start, length);
                continue;
            }
            if (Content.Chunk.isFailure(chunk)) {
                Throwable failure = chunk.getFailure();
                chunk.release();
                throw failure instanceof IOException io ? io : new IOException(failure.getMessage(), failure);
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            int count = bytes.remaining();
            if (keep && count > 0) {
                if ((long) length + count > limit) {
                    chunk.release();
                    throw tooLarge();
                }
                if (length + count > buffer.length) {
                    buffer = Arrays.copyOf(buffer, (int) Math.min(Math.max((long) buffer.length * 2, length + count),
                            limit));
                }
                bytes.get(buffer, length, count);
            }
            length += count;
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                return !keep ? null : length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
            }
        }
    }

    private void awaitContent(long start, long received) throws IOException {
        long wait = start + limits.bodyAllowanceNanos(received) - System.nanoTime();
        CountDownLatch ready = new CountDownLatch(1);
        if (wait > 0) {
            request.demand(ready::countDown);
        }
        try {
            if (wait <= 0 || !ready.await(wait, TimeUnit.NANOSECONDS)) {
                throw new BodyTimeoutException("The request body did not arrive in time (" + received
                        + " bytes in " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)
                        + " s; a body gets " + limits.bodyTimeout().toSeconds() + " s plus one second per "
                        + limits.bodyMinRate() + " bytes).");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the request body", e);
        }
    }

    /** A body that came too slowly; the connection is not reused. */
    static final class BodyTimeoutException extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTimeoutException(String message) {
            super(message);
        }
    }

    /** The 413 for a body past the limit; the connection closes once the answer is sent (see {@link #linger}). */
    private GatewayException tooLarge() {
        refusedPartWay = true;
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        return GatewayException.of(ErrorKind.PAYLOAD_TOO_LARGE,
                "The request body is larger than the gateway's limit of " + maxBodyBytes + " bytes.");
    }

    @Override
    public Downstream downstream() {
        return this;
    }

    @Override
    public String remoteAddress() {
        String address = this.remoteAddress;
        if (address == null) {
            address = Request.getRemoteAddr(request); // formats the peer's address at each call
            address = address == null ? "" : address;
            this.remoteAddress = address;
        }
        return address;
    }

    @Override
    public boolean secure() {
        return request.isSecure();
    }

    @Override
    public void header(String name, String value) {
        if (!committed()) {
            response.getHeaders().put(name, value);
        }
    }

    @Override
    public void respond(int status, String contentType, byte[] body) throws ClientGoneException {
        if (!bodyRead) {
            keepConnectionUsable();
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        // Stop the watch before the last write: once the client has the whole response it may send
        // its next request on this connection, and those bytes are Jetty's to read, not the watch's.
        stopWatching();
        write(true, ByteBuffer.wrap(body));
        finished = true;
        if (refusedPartWay) {
            linger();
        }
    }

    /**
     * After a 413 for a body the client is still sending, reads and drops what it sends, for at
     * most {@link #LINGER_NANOS} and {@link #LINGER_BYTES}, before the connection closes. Closed
     * with bytes unread, a connection is reset, and a client still writing its body gets the reset
     * instead of the answer (a lingering close, as nginx and Apache do).
     */
    private void linger() {
        long until = System.nanoTime() + LINGER_NANOS;
        long left = LINGER_BYTES;
        while (left > 0) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                CountDownLatch ready = new CountDownLatch(1);
                request.demand(ready::countDown);
                try {
                    long wait = until - System.nanoTime();
                    if (wait <= 0 || !ready.await(wait, TimeUnit.NANOSECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                continue;
            }
            boolean last = chunk.isLast() || Content.Chunk.isFailure(chunk);
            left -= chunk.remaining();
            chunk.release();
            if (last) {
                return;
            }
        }
    }

    /**
     * An answer given before the body was read (401, 404 on an unknown path): drain a small body so
     * the keep-alive connection stays usable, or say {@code Connection: close} so the client does
     * not send its next request on a connection the server will close.
     */
    private void keepConnectionUsable() {
        bodyRead = true;
        long declared = request.getLength();
        if (declared == 0 || declared < 0 && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
            return; // no body (a GET): nothing stands between this answer and the next request
        }
        if (declared > 0 && declared <= DRAIN_LIMIT) {
            try {
                read(declared, false);
                return;
            } catch (IOException e) {
                // Fall through: the connection will not be reused.
            }
        }
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }

    @Override
    public void startStream(int status) throws ClientGoneException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put("X-Accel-Buffering", "no");
        streaming = true;
        if (UpstreamReads.inProgress()) {
            headersHeld = true; // they leave with the first events
            UpstreamReads.flushBeforeNextRead(this);
        } else {
            write(false, EMPTY);
        }
    }

    @Override
    public void startBody(int status, String contentType) throws ClientGoneException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put("X-Accel-Buffering", "no");
        streaming = true;
        if (UpstreamReads.inProgress()) {
            headersHeld = true;
            UpstreamReads.flushBeforeNextRead(this);
        } else {
            write(false, EMPTY);
        }
    }

    @Override
    public void abort() {
        aborted = true;
    }

    /** Whether the response was ended as broken ({@link #abort}). */
    boolean aborted() {
        return aborted;
    }

    @Override
    public void send(byte[] bytes) throws ClientGoneException {
        if (flushFailure != null) {
            throw new ClientGoneException(flushFailure);
        }
        if (UpstreamReads.inProgress() && heldLength + bytes.length <= MAX_HELD) {
            hold(bytes);
            UpstreamReads.flushBeforeNextRead(this);
        } else if (heldLength == 0 && !headersHeld) {
            write(false, ByteBuffer.wrap(bytes));
        } else if (heldLength + bytes.length <= MAX_HELD) {
            hold(bytes);
            writeHeld(false);
        } else {
            writeHeld(false);
            write(false, ByteBuffer.wrap(bytes));
        }
    }

    @Override
    public void finish() throws ClientGoneException {
        if (!finished) {
            finished = true;
            stopWatching();
            writeHeld(true);
        }
    }

    @Override
    public boolean committed() {
        return headersHeld || response.isCommitted();
    }

    /** Writes held stream bytes now; a failure surfaces on the next {@link #send}. */
    void flushHeld() {
        if ((heldLength > 0 || headersHeld) && flushFailure == null) {
            try {
                writeHeld(false);
            } catch (ClientGoneException e) {
                flushFailure = e.getCause();
            }
        }
    }

    private void hold(byte[] bytes) {
        int needed = heldLength + bytes.length;
        if (held == null) {
            held = new byte[Math.max(needed, 4096)];
        } else if (held.length < needed) {
            held = Arrays.copyOf(held, Math.min(MAX_HELD, Math.max(needed, held.length * 2)));
        }
        System.arraycopy(bytes, 0, held, heldLength, bytes.length);
        heldLength += bytes.length;
    }

    private void writeHeld(boolean last) throws ClientGoneException {
        ByteBuffer buffer = heldLength == 0 ? EMPTY : ByteBuffer.wrap(held, 0, heldLength);
        heldLength = 0;
        headersHeld = false;
        write(last, buffer);
    }

    @Override
    public void onClientGone(Runnable action) {
        Runnable once = () -> {
            if (gone.compareAndSet(false, true)) {
                action.run();
            }
        };
        onStop = once;
        if (stopped) {
            once.run();
            return;
        }
        request.addFailureListener(failure -> once.run());
        if (watch == null) {
            watch = DisconnectWatch.schedule(request.getConnectionMetaData().getConnection().getEndPoint(),
                    watchStarts, once,
                    () -> response.getHeaders().put(HttpHeader.CONNECTION, "close"));
        }
    }

    @Override
    public boolean stopped() {
        return stopped;
    }

    /**
     * The gateway is stopping and its grace period is over: whoever serves this exchange is told
     * (as if the client had left, so upstream calls stop), but the client is still there and is
     * answered with the reason — see {@link #stopped()}.
     */
    void stop() {
        stopped = true;
        Runnable action = onStop;
        if (action != null) {
            action.run();
        }
    }

    /** Stops the disconnect watch and makes sure a started stream is terminated. */
    void complete() throws ClientGoneException {
        stopWatching();
        if (streaming) {
            finish();
        }
    }

    void stopWatching() {
        if (watch != null) {
            watch.stop();
            watch = null;
        }
    }

    private void write(boolean last, ByteBuffer buffer) throws ClientGoneException {
        try (Blocker.Callback callback = Blocker.callback()) {
            response.write(last, buffer, callback);
            callback.block();
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
    }
}
