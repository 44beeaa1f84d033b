package dev.junction.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Sends requests to providers over Jetty's {@link HttpClient} and hands back blocking streams,
 * which is the natural shape on virtual threads. Time limits: connect (per client, so one
 * client exists per distinct connect timeout), first byte (a scheduled abort, cancelled by the
 * first body byte), and idle (Jetty's per-request idle timeout).
 *
 * <p>Protocols: an {@code https} upstream negotiates HTTP/2 by ALPN (offering {@code http/1.1}
 * and {@code h2}; the server chooses) and gets HTTP/1.1 when the server chooses that or knows no
 * ALPN at all; a plain {@code http} upstream is always spoken to in HTTP/1.1 (no h2c).
 */
public final class UpstreamClient implements AutoCloseable {

    private final Map<Long, HttpClient> clients = new ConcurrentHashMap<>();
    private final Deadlines deadlines;
    private final String userAgent;
    private final java.security.KeyStore trust;

    private UpstreamClient(String userAgent, java.security.KeyStore trust) {
        this.userAgent = userAgent;
        this.trust = trust;
        this.deadlines = new Deadlines("junction-upstream-deadlines");
    }

    /**
     * A client that identifies itself with the given {@code User-Agent} and trusts the JDK's
     * certificate authorities, checking host names.
     */
    public static UpstreamClient create(String userAgent) {
        return new UpstreamClient(userAgent, null);
    }

    /**
     * As {@link #create(String)}, trusting only the certificates in {@code trust} instead of the
     * JDK's authorities (host names are still checked). For tests, whose fake providers present a
     * self-signed certificate; nothing in the configuration reaches this.
     */
    public static UpstreamClient trusting(String userAgent, java.security.KeyStore trust) {
        return new UpstreamClient(userAgent, java.util.Objects.requireNonNull(trust, "trust"));
    }

    /**
     * Sends the request and waits for the status line and headers.
     *
     * @throws UpstreamFailure when no HTTP answer arrives in time
     */
    public UpstreamResponse send(UpstreamRequest spec, CancelSignal cancel) throws UpstreamFailure {
        HttpClient client = clientFor(spec.connect());
        Request request = client.newRequest(spec.uri())
                .method("POST")
                .idleTimeout(spec.idle().toMillis(), TimeUnit.MILLISECONDS)
                .timeout(spec.total().toMillis(), TimeUnit.MILLISECONDS)
                .headers(headers -> spec.headers().forEach(headers::put))
                .body(content(spec));
        HttpVersion version = version(spec.uri());
        if (version != null) {
            request.version(version);
        }
        Deadlines.Deadline[] deadline = new Deadlines.Deadline[1];
        UpstreamBody body = new UpstreamBody(() -> deadline[0].cancel());
        deadline[0] = deadlines.schedule(spec.firstByte().toMillis(),
                () -> request.abort(new FirstByteTimeoutException()));
        cancel.onCancel(() -> request.abort(new ClientGoneException()));
        request.send(body);
        try {
            return new JettyResponse(request, body.awaitReady(), body, deadline[0]);
        } catch (ExecutionException e) {
            deadline[0].cancel();
            throw classify(e.getCause(), false);
        } catch (InterruptedException e) {
            deadline[0].cancel();
            request.abort(e);
            Thread.currentThread().interrupt();
            throw new UpstreamFailure(UpstreamFailure.Kind.CANCELLED, null);
        }
    }

    /** The JSON bytes, or the upload streamed from where it was spooled, with its exact length. */
    private static Request.Content content(UpstreamRequest spec) {
        UploadBody upload = spec.upload();
        if (upload == null) {
            return new BytesRequestContent("application/json", spec.body());
        }
        InputStream in;
        try {
            in = upload.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled upload", e);
        }
        long length = upload.length();
        return new InputStreamRequestContent(upload.contentType(), in,
                new ByteBufferPool.Sized(Buffers.pool(), false, UPLOAD_CHUNK)) {
            @Override
            public long getLength() {
                return length;
            }
        };
    }

    /**
     * {@code null} (not set: negotiated by ALPN) for {@code https}, HTTP/1.1 otherwise, which keeps
     * clear text on HTTP/1.1 whatever the order of the transport's protocols.
     */
    static HttpVersion version(java.net.URI uri) {
        return "https".equalsIgnoreCase(uri.getScheme()) ? null : HttpVersion.HTTP_1_1;
    }

    /** Bytes read from an upload per write to the provider. */
    private static final int UPLOAD_CHUNK = 64 << 10;

    private HttpClient clientFor(Duration connect) {
        return clients.computeIfAbsent(connect.toMillis(), this::newClient);
    }

    private HttpClient newClient(long connectMillis) {
        QueuedThreadPool pool = new QueuedThreadPool(64, 4);
        pool.setName("junction-upstream");
        pool.setReservedThreads(0);
        pool.setDaemon(true);
        SslContextFactory.Client tls = new SslContextFactory.Client();
        if (trust != null) {
            tls.setTrustStore(trust);
        }
        ClientConnector connector = new ClientConnector();
        connector.setExecutor(pool);
        connector.setSslContextFactory(tls);
        // ALPN offers both and the server picks (servers prefer h2). HTTP/1.1 comes first in the list
        // because a TLS server with no ALPN at all gets the first protocol, spoken blind.
        HttpClient client = new HttpClient(new HttpClientTransportDynamic(connector,
                HttpClientConnectionFactory.HTTP11,
                new ClientConnectionFactoryOverHTTP2.HTTP2(new HTTP2Client(connector))));
        client.setExecutor(pool);
        client.setByteBufferPool(Buffers.pool());
        client.setConnectTimeout(connectMillis);
        client.setFollowRedirects(false);
        client.setMaxConnectionsPerDestination(4096);
        client.setMaxRequestsQueuedPerDestination(65536);
        client.setIdleTimeout(Duration.ofMinutes(2).toMillis());
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, userAgent));
        // The response listener only queues bytes for the reading virtual thread and never blocks,
        // so the selector may run it at once instead of handing each read to a pool thread.
        client.getTransport().setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the upstream HTTP client", e);
        }
        // No automatic auth challenges, redirects or 100-continue: every status reaches the relay as
        // sent. (Jetty installs these handlers while starting, so they are removed afterwards.)
        client.getProtocolHandlers().clear();
        return client;
    }

    @Override
    public void close() {
        deadlines.close();
        for (HttpClient client : clients.values()) {
            try {
                client.stop();
            } catch (Exception ignored) {
                // Shutting down: nothing useful to do with a failure here.
            }
        }
        clients.clear();
    }

    /** Maps a transport exception (anywhere in the cause chain) to a failure kind. */
    static UpstreamFailure classify(Throwable error, boolean afterFirstByte) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            switch (t) {
                case UpstreamFailure failure -> {
                    return failure;
                }
                case FirstByteTimeoutException _ -> {
                    return new UpstreamFailure(UpstreamFailure.Kind.FIRST_BYTE_TIMEOUT, null);
                }
                case ClientGoneException _ -> {
                    return new UpstreamFailure(UpstreamFailure.Kind.CANCELLED, null);
                }
                case ConnectException _ -> {
                    return new UpstreamFailure(UpstreamFailure.Kind.CONNECT_REFUSED, null);
                }
                case SocketTimeoutException e -> {
                    return new UpstreamFailure(UpstreamFailure.Kind.CONNECT_TIMEOUT, e.getMessage());
                }
                case TimeoutException e when e.getMessage() != null && e.getMessage().startsWith("Total timeout") -> {
                    return new UpstreamFailure(UpstreamFailure.Kind.TOTAL_TIMEOUT, null);
                }
                case TimeoutException _ -> {
                    return new UpstreamFailure(afterFirstByte ? UpstreamFailure.Kind.IDLE_TIMEOUT
                            : UpstreamFailure.Kind.FIRST_BYTE_TIMEOUT, null);
                }
                case SSLException e -> {
                    return new UpstreamFailure(UpstreamFailure.Kind.TLS, e.getMessage());
                }
                case EofException _, EOFException _, ClosedChannelException _ -> {
                    return new UpstreamFailure(UpstreamFailure.Kind.RESET, "connection closed early");
                }
                default -> {
                }
            }
        }
        String message = error == null ? null : error.getMessage();
        if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("reset")) {
            return new UpstreamFailure(UpstreamFailure.Kind.RESET, message);
        }
        return new UpstreamFailure(UpstreamFailure.Kind.IO, message);
    }

    /** Marks the scheduled abort that enforces the first-byte limit. */
    static final class FirstByteTimeoutException extends TimeoutException {
        private static final long serialVersionUID = 1L;

        FirstByteTimeoutException() {
            super("first-byte timeout");
        }
    }

    /** Marks an abort caused by the client going away. */
    static final class ClientGoneException extends IOException {
        private static final long serialVersionUID = 1L;

        ClientGoneException() {
            super("client went away");
        }
    }

    private static final class JettyResponse implements UpstreamResponse {
        private final Request request;
        private final Response response;
        private final UpstreamBody body;
        private final Deadlines.Deadline deadline;
        /** Read for every answer (its rate-limit headers among them); Jetty's response copies them at each call. */
        private final HttpFields headers;

        JettyResponse(Request request, Response response, UpstreamBody body, Deadlines.Deadline deadline) {
            this.request = request;
            this.response = response;
            this.body = body;
            this.deadline = deadline;
            this.headers = body.headers();
        }

        @Override
        public int status() {
            return response.getStatus();
        }

        @Override
        public String header(String name) {
            return headers.get(name);
        }

        @Override
        public boolean hasHeaderStartingWith(String prefix) {
            for (HttpField field : headers) {
                if (field.getName().regionMatches(true, 0, prefix, 0, prefix.length())) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public InputStream body() {
            return body;
        }

        @Override
        public byte[] readAll(int maxBytes) throws UpstreamFailure {
            byte[] all;
            try {
                all = body.readAll(maxBytes);
            } catch (IOException e) {
                throw failure(e);
            }
            if (all == null) {
                abort();
                throw new UpstreamFailure(UpstreamFailure.Kind.BODY_TOO_LARGE, "over " + maxBytes + " bytes");
            }
            return all;
        }

        @Override
        public UpstreamFailure failure(IOException readError) {
            return classify(readError, body.firstByteSeen());
        }

        @Override
        public void abort() {
            deadline.cancel();
            body.release();
            body.close();
            request.abort(new ClientGoneException());
        }

        @Override
        public void close() {
            deadline.cancel();
            boolean whole = body.release();
            body.close();
            if (!whole) {
                request.abort(new ClientGoneException()); // never reuse a connection mid-answer
            }
        }
    }
}
