package dev.junction.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * A connection the server does not serve: it writes one canned response, half-closes, discards
 * whatever the client still sends and closes when the client does (or after a few seconds), so the
 * response is not lost to a reset. Costs no request thread and no parser.
 */
final class RefusedConnection extends AbstractConnection {

    private static final long LINGER_MILLIS = 3_000;

    private final ByteBuffer answer;

    private RefusedConnection(EndPoint endPoint, Executor executor, ByteBuffer answer) {
        super(endPoint, executor);
        this.answer = answer;
    }

    /** A 429 in OpenAI's error shape (no request has been read, so its API is unknown). */
    static RefusedConnection tooManyConnections(EndPoint endPoint, Executor executor, int cap) {
        byte[] body = EdgeErrors.body(null, 429, "Too many connections from your address (the gateway allows "
                + cap + " at once); close idle ones or reuse them.");
        String head = "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n";
        ByteBuffer answer = ByteBuffer.allocate(head.length() + body.length);
        answer.put(head.getBytes(StandardCharsets.US_ASCII)).put(body).flip();
        return new RefusedConnection(endPoint, executor, answer);
    }

    @Override
    public void onOpen() {
        super.onOpen();
        getEndPoint().setIdleTimeout(LINGER_MILLIS);
        getEndPoint().write(Callback.from(this::linger, failure -> getEndPoint().close()), answer);
    }

    private void linger() {
        getEndPoint().shutdownOutput();
        fillInterested();
    }

    @Override
    public void onFillable() {
        ByteBuffer discard = BufferUtil.allocate(1024);
        try {
            while (true) {
                int read = getEndPoint().fill(discard);
                BufferUtil.clear(discard);
                if (read < 0) {
                    getEndPoint().close();
                    return;
                }
                if (read == 0) {
                    fillInterested();
                    return;
                }
            }
        } catch (IOException e) {
            getEndPoint().close();
        }
    }
}
