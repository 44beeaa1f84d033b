package dev.junction.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shared machinery of every fake provider ({@link FakeOpenAi}, {@link FakeAnthropic},
 * {@link FakeGemini}, {@link FakeResponses}): a real HTTP server, scripted replies in one
 * provider-neutral vocabulary (so one test can run against any provider, and every fault can be
 * injected on every channel type), a record of every request, and the faults themselves: any
 * status, connection reset, hang, garbage body, slow first byte, keep-alives only, and a stream
 * that is cut, stalls, sends a malformed event or an error event after some content. Each subclass
 * validates requests as strictly as the real API and answers in its wire format, so a malformed
 * translation fails the test with the provider's own kind of 400.
 */
public abstract class FakeProvider implements AutoCloseable {

    protected static final JsonMapper JSON = JsonMapper.builder().build();

    /** What the fake does with one request. */
    public sealed interface Reply {
    }

    // --- answers ------------------------------------------------------------------------------------

    /** A text answer, streamed in {@code pieces} pieces. */
    public record Text(String content, int pieces, long inputTokens, long outputTokens) implements Reply {
    }

    /** Function calls in one turn, optionally after some text. */
    public record ToolCalls(String leadingText, List<Call> calls) implements Reply {
    }

    /** One function call; {@code id} is the provider's call id, or null to let the fake make one up. */
    public record Call(String id, String name, String arguments) {
        public Call(String name, String arguments) {
            this(null, name, arguments);
        }
    }

    /** Reasoning, then {@code then} (a {@link Text} or {@link ToolCalls}). */
    public record Thinking(String thinking, Reply then) implements Reply {
    }

    /** A safety system stops the answer. */
    public record Blocked() implements Reply {
    }

    // --- faults, the same on every fake ------------------------------------------------------------

    /**
     * Any status with headers and a raw body; a null body is the provider's own error body for
     * that status (see {@link #status(int)}).
     */
    public record Status(int code, String body, Map<String, String> headers) implements Reply {
    }

    /** Closes the connection without answering. */
    public record Reset() implements Reply {
    }

    /** Never answers, until the fake closes or the caller drops the connection. */
    public record Hang() implements Reply {
    }

    /** 200 with a body that is not JSON. */
    public record Garbage() implements Reply {
    }

    /** Waits (the first byte comes late), then replies. */
    public record Delayed(Duration delay, Reply then) implements Reply {
    }

    /**
     * Starts a stream and sends only the provider's keep-alives, forever: the gateway holds them
     * back (no content yet), and the fake notices at its next write when the gateway drops the call.
     */
    public record PingForever() implements Reply {
    }

    /** A text stream with a pause before each piece; {@link #lastSendNanos()} says when the last went out. */
    public record SlowStream(List<String> pieces, Duration gap) implements Reply {
    }

    /** Streams {@code piecesBefore} text pieces ({@code part0 }, {@code part1 }, …), then misbehaves. */
    public record BrokenStream(int piecesBefore, Fault fault) implements Reply {
    }

    /** Sends {@code then} but closes the connection after its first {@code events} stream events. */
    public record CutAfter(int events, Reply then) implements Reply {
    }

    /**
     * Sends {@code then} but closes the connection instead of sending the first event whose text
     * contains {@code marker}, or, when none does (or {@code marker} is null), instead of ending the
     * body normally: a stream cut after the provider's finish, before its own end.
     */
    public record CutBefore(String marker, Reply then) implements Reply {
    }

    /**
     * Sends {@code then} but ends the body normally instead of sending the first event whose text
     * contains {@code marker}: a stream without the provider's own end ({@code [DONE]}, …).
     */
    public record EndBefore(String marker, Reply then) implements Reply {
    }

    /** How a {@link BrokenStream} misbehaves. */
    public enum Fault {
        /** The connection closes. */
        CUT,
        /** Nothing more comes, until the caller gives up. */
        STALL,
        /** An event whose data is cut-off JSON, then a normal end of the body. */
        MALFORMED,
        /** The provider's in-band error event, then the end of the body. */
        ERROR_EVENT
    }

    // --- replies chosen by the request -------------------------------------------------------------

    /**
     * A reply chosen by looking at the request, for clients (real CLIs) whose number and order of
     * calls is theirs to decide; the chosen reply may be any other kind.
     */
    public record Scripted(Function<Received, Reply> choose) implements Reply {
    }

    /** {@code then} for a request that passes {@code test}, else {@code otherwise}: a tool loop by what came back. */
    public record When(Predicate<Received> test, Reply then, Reply otherwise) implements Reply {
    }

    /** A request as the fake received it. */
    public record Received(String path, String query, Map<String, String> headers, JsonNode body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** Whether the conversation carries a tool's result (Anthropic, Gemini, Chat or Responses spelling). */
        public boolean carriesToolResult() {
            String text = body.toString();
            return text.contains("\"tool_result\"") || text.contains("\"functionResponse\"")
                    || text.contains("\"role\":\"tool\"") || text.contains("\"function_call_output\"");
        }
    }

    public static Text text(String content) {
        return new Text(content, 3, 11, 7);
    }

    public static ToolCalls toolCalls(Call... calls) {
        return new ToolCalls("", List.of(calls));
    }

    public static Call call(String name, String arguments) {
        return new Call(name, arguments);
    }

    /** {@code code} with the provider's own error body. */
    public static Status status(int code) {
        return new Status(code, null, Map.of());
    }

    /** {@code code} with the provider's own error body and these headers (e.g. {@code Retry-After}). */
    public static Status status(int code, Map<String, String> headers) {
        return new Status(code, null, headers);
    }

    public static Status status(int code, String body, Map<String, String> headers) {
        return new Status(code, body, headers);
    }

    private final Server server;
    private final ServerConnector connector;
    private final Set<String> apiKeys = ConcurrentHashMap.newKeySet();
    private final Set<String> tolerated = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Reply> queue = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Reply> fallback = new AtomicReference<>(text("Hello from the fake."));
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> protocols = new CopyOnWriteArrayList<>();
    private volatile ServerConnector tls;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicInteger aborted = new AtomicInteger();
    private volatile long lastSendNanos;

    /** A fake that accepts any of {@code apiKeys}, or any credential when there is none. */
    protected FakeProvider(String... apiKeys) throws Exception {
        if (apiKeys != null) {
            Arrays.stream(apiKeys).filter(Objects::nonNull).forEach(this.apiKeys::add);
        }
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setVirtualThreadsExecutor(new VirtualThreadPool(4096));
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract(Handler.Abstract.InvocationType.BLOCKING) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                serve(request, response, callback);
                return true;
            }
        });
        server.start();
    }

    /** What a channel of this fake's kind takes as {@code base_url} (the origin, unless a subclass says otherwise). */
    public String baseUrl() {
        ServerConnector secure = tls;
        return secure != null ? "https://127.0.0.1:" + secure.getLocalPort()
                : "http://127.0.0.1:" + connector.getLocalPort();
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** How {@link #serveTls} speaks over TLS. */
    public enum TlsMode {
        /** ALPN offers only {@code h2}: an HTTP/1.1 client gets no protocol and is dropped. */
        HTTP2_ONLY,
        /** HTTP/1.1 with no ALPN at all, as a TLS server that knows nothing of HTTP/2. */
        HTTP1_ONLY
    }

    /**
     * Also serves HTTPS on another loopback port with {@code certificate}'s key, in {@code mode};
     * {@link #baseUrl()} then names that origin. Call once, before the fake is used.
     */
    public FakeProvider serveTls(TestCertificate certificate, TlsMode mode) throws Exception {
        org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
        ssl.setKeyStore(certificate.keyStore());
        ssl.setKeyStorePassword(certificate.password());
        org.eclipse.jetty.server.HttpConfiguration http = new org.eclipse.jetty.server.HttpConfiguration();
        http.addCustomizer(new org.eclipse.jetty.server.SecureRequestCustomizer(false));
        ServerConnector connector = switch (mode) {
            case HTTP2_ONLY -> {
                var h2 = new org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory(http);
                var alpn = new org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory("h2");
                alpn.setDefaultProtocol("h2");
                yield new ServerConnector(server, new org.eclipse.jetty.server.SslConnectionFactory(ssl,
                        alpn.getProtocol()), alpn, h2);
            }
            case HTTP1_ONLY -> new ServerConnector(server, new org.eclipse.jetty.server.SslConnectionFactory(ssl,
                    "http/1.1"), new org.eclipse.jetty.server.HttpConnectionFactory(http));
        };
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        connector.start();
        tls = connector;
        return this;
    }

    /** The HTTP version of every request received, in order ({@code HTTP/2.0}, {@code HTTP/1.1}). */
    public List<String> protocols() {
        return List.copyOf(protocols);
    }

    /** Accepts this key too from now on (a key that starts working again). */
    public FakeProvider acceptAlso(String apiKey) {
        apiKeys.add(apiKey);
        return this;
    }

    /**
     * From now on also accepts these top-level request fields, which the real API would refuse, as
     * a compatible server with extensions does (for a test of fields that must survive pass-through).
     */
    public FakeProvider tolerating(String... fields) {
        tolerated.addAll(List.of(fields));
        return this;
    }

    /** Whether a top-level field the real API does not know was allowed by {@link #tolerating}. */
    protected boolean tolerated(String field) {
        return tolerated.contains(field);
    }

    /** Whether a presented credential is accepted. */
    protected boolean authorized(String presented) {
        return apiKeys.isEmpty() || apiKeys.contains(presented);
    }

    /** Queues replies for the next requests, in order. */
    public FakeProvider then(Reply... replies) {
        queue.addAll(List.of(replies));
        return this;
    }

    /** The reply used when the queue is empty. */
    public FakeProvider always(Reply reply) {
        fallback.set(reply);
        queue.clear();
        return this;
    }

    /**
     * From now on a scripted tool round trip, as an agent CLI runs it: {@code call} while the
     * conversation has no tool result, {@code answer} once it has one ({@link #always} ends it).
     */
    public FakeProvider toolRoundTrip(Reply call, Reply answer) {
        return always(new Scripted(request -> request.carriesToolResult() ? answer : call));
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public Received last() {
        return received.getLast();
    }

    public int requestCount() {
        return received.size();
    }

    /** Requests whose connection the caller dropped while the fake was still answering. */
    public int aborted() {
        return aborted.get();
    }

    /** {@link System#nanoTime()} when a {@link SlowStream} sent its last piece. */
    public long lastSendNanos() {
        return lastSendNanos;
    }

    // --- what a provider defines ------------------------------------------------------------------

    /** The status and error body for a request the real API would refuse, or null when it is valid. */
    protected abstract Rejection validate(Received request);

    /** Writes an answer ({@link Text}, {@link ToolCalls}, {@link Thinking}, {@link Blocked}) in the provider's way. */
    protected abstract void answer(Received request, Reply reply, Exchange exchange) throws Exception;

    /** The provider's error body for a message. */
    protected abstract String errorBody(int status, String message);

    /** Whether the request asks for an event stream. */
    protected boolean streams(Received request) {
        return request.body().path("stream").asBoolean(false);
    }

    /**
     * The events a streamed text answer starts with, after the stream's status and headers and
     * before its first text (a role chunk, {@code message_start}, {@code response.created}, …).
     */
    protected abstract void openText(Received request, Exchange exchange) throws IOException;

    /** One piece of a streamed text answer. */
    protected abstract void textPiece(Received request, Exchange exchange, String piece) throws IOException;

    /** What completes a streamed text answer (finish reason, usage, terminator). */
    protected abstract void closeText(Received request, Exchange exchange) throws IOException;

    /** The provider's in-band error event. */
    protected abstract void errorEvent(Exchange exchange) throws IOException;

    /** An event in the provider's framing whose data is cut-off JSON. */
    protected abstract void malformedEvent(Exchange exchange) throws IOException;

    /** One keep-alive (an SSE comment unless the provider has its own). */
    protected void keepAlive(Exchange exchange) throws IOException {
        exchange.raw(": ping\n\n");
    }

    /** A refusal: status and message. */
    protected record Rejection(int status, String message) {
    }

    /** A rule of the real API that a request breaks; the subclass turns it into a 400. */
    protected static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** Throws {@link Invalid} with the provider's message unless {@code condition} holds. */
    protected static void require(boolean condition, String message) {
        if (!condition) {
            throw new Invalid(message);
        }
    }

    /** Ends a {@link CutAfter} reply at the cut. */
    private static final class CutNow extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CutNow() {
            super("cut", null, false, false);
        }
    }

    /** Writing helpers over one request/response pair. */
    protected final class Exchange {
        final Request request;
        final Response response;
        final Callback callback;
        private final StringBuilder streamed = new StringBuilder();
        private int sequence;
        /** Events still to send before a {@link CutAfter} cuts; negative: never. */
        private int cutAfter = -1;
        /** Under a {@link CutBefore}: whether the end is a cut, and the marker of the event that is not sent. */
        private boolean cutAtEnd;
        private String cutBefore;
        /** Under an {@link EndBefore}: the marker of the event at which the body ends normally. */
        private String endBefore;

        Exchange(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        /** 0, 1, 2, … for the events of one stream that number themselves. */
        public int nextSequence() {
            return sequence++;
        }

        /** The text pieces a {@link SlowStream} or {@link BrokenStream} has sent so far. */
        public String streamed() {
            return streamed.toString();
        }

        public void json(int status, String body) throws IOException {
            write(status, "application/json", body);
            callback.succeeded();
        }

        public void startStream() throws IOException {
            response.setStatus(200);
            response.getHeaders().put("Content-Type", "text/event-stream");
            blockingWrite(false, ByteBuffer.allocate(0));
        }

        /** One event; {@code name} may be null for data-only events. */
        public void event(String name, Object data) throws IOException {
            String json = data instanceof String s ? s : JSON.writeValueAsString(data);
            raw((name == null ? "" : "event: " + name + "\n") + "data: " + json + "\n\n");
        }

        public void raw(String text) throws IOException {
            if (endBefore != null && text.contains(endBefore)) {
                finish();
                throw new CutNow();
            }
            if (cutAfter == 0 || cutBefore != null && text.contains(cutBefore)) {
                cut();
                throw new CutNow();
            }
            if (cutAfter > 0) {
                cutAfter--;
            }
            blockingWrite(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        }

        public void finish() {
            if (cutAtEnd) {
                cut();
                return;
            }
            response.write(true, ByteBuffer.allocate(0), callback);
        }

        public void cut() {
            request.getConnectionMetaData().getConnection().getEndPoint().close();
            callback.failed(new IOException("cut by the fake"));
        }

        private void write(int status, String type, String body) throws IOException {
            response.setStatus(status);
            response.getHeaders().put("Content-Type", type);
            blockingWrite(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
        }

        private void blockingWrite(boolean last, ByteBuffer buffer) throws IOException {
            try (Blocker.Callback cb = Blocker.callback()) {
                response.write(last, buffer, cb);
                cb.block();
            }
        }
    }

    // --- serving ----------------------------------------------------------------------------------

    private void serve(Request request, Response response, Callback callback) throws Exception {
        protocols.add(request.getConnectionMetaData().getHttpVersion().asString());
        byte[] bytes = Content.Source.asInputStream(request).readAllBytes();
        Map<String, String> headers = new HashMap<>();
        request.getHeaders().forEach(f -> headers.put(f.getLowerCaseName(), f.getValue()));
        JsonNode body;
        try {
            body = JSON.readTree(bytes);
        } catch (RuntimeException e) {
            body = JSON.createObjectNode();
        }
        Received received = new Received(Request.getPathInContext(request), request.getHttpURI().getQuery(),
                Map.copyOf(headers), body);
        this.received.add(received);
        CountDownLatch gone = new CountDownLatch(1);
        request.addFailureListener(failure -> {
            aborted.incrementAndGet();
            gone.countDown();
        });
        Exchange exchange = new Exchange(request, response, callback);
        Rejection rejection = validate(received);
        if (rejection != null) {
            exchange.json(rejection.status(), errorBody(rejection.status(), rejection.message()));
            return;
        }
        Reply reply = queue.poll();
        reply(received, reply != null ? reply : fallback.get(), exchange, gone);
    }

    /** Waits until the fake closes or the caller drops this request's connection. */
    private void await(CountDownLatch gone) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (closing.getCount() > 0 && gone.getCount() > 0 && System.nanoTime() < deadline) {
            gone.await(20, TimeUnit.MILLISECONDS);
        }
    }

    private void reply(Received request, Reply reply, Exchange exchange, CountDownLatch gone) throws Exception {
        switch (reply) {
            case Scripted(var choose) -> reply(request, choose.apply(request), exchange, gone);
            case When(var test, Reply then, Reply otherwise) -> reply(request, test.test(request) ? then : otherwise,
                    exchange, gone);
            case Delayed(Duration delay, Reply then) -> {
                if (!closing.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                    reply(request, then, exchange, gone);
                } else {
                    exchange.callback.succeeded();
                }
            }
            case Status(int code, String text, Map<String, String> extra) -> {
                extra.forEach(exchange.response.getHeaders()::put);
                exchange.json(code, text != null ? text : errorBody(code, "fake " + code));
            }
            case Reset() -> exchange.cut();
            case CutAfter(int events, Reply then) -> {
                exchange.cutAfter = events;
                try {
                    reply(request, then, exchange, gone);
                } catch (CutNow done) {
                    // the connection is closed; nothing more to send
                }
            }
            case CutBefore(String marker, Reply then) -> {
                exchange.cutAtEnd = true;
                exchange.cutBefore = marker;
                try {
                    reply(request, then, exchange, gone);
                } catch (CutNow done) {
                    // the connection is closed; nothing more to send
                }
            }
            case EndBefore(String marker, Reply then) -> {
                exchange.endBefore = marker;
                try {
                    reply(request, then, exchange, gone);
                } catch (CutNow done) {
                    // the body has ended; nothing more to send
                }
            }
            case Hang() -> {
                await(gone);
                exchange.cut();
            }
            case Garbage() -> exchange.json(200, "<html>502 Bad Gateway from a proxy</html>");
            case PingForever() -> {
                exchange.startStream();
                try {
                    while (closing.getCount() > 0) {
                        keepAlive(exchange);
                        Thread.sleep(50);
                    }
                    exchange.finish();
                } catch (IOException e) {
                    aborted.incrementAndGet();
                    exchange.callback.failed(e);
                }
            }
            case SlowStream(List<String> pieces, Duration gap) -> {
                exchange.startStream();
                openText(request, exchange);
                for (String piece : pieces) {
                    Thread.sleep(gap.toMillis());
                    lastSendNanos = System.nanoTime();
                    piece(request, exchange, piece);
                }
                closeText(request, exchange);
                exchange.finish();
            }
            case BrokenStream(int before, Fault fault) -> {
                exchange.startStream();
                openText(request, exchange);
                for (int i = 0; i < before; i++) {
                    piece(request, exchange, "part" + i + " ");
                }
                switch (fault) {
                    case CUT -> exchange.cut();
                    case STALL -> {
                        await(gone);
                        exchange.cut();
                    }
                    case MALFORMED -> {
                        malformedEvent(exchange);
                        exchange.finish();
                    }
                    case ERROR_EVENT -> {
                        errorEvent(exchange);
                        exchange.finish();
                    }
                }
            }
            default -> answer(request, reply, exchange);
        }
    }

    private void piece(Received request, Exchange exchange, String text) throws IOException {
        exchange.streamed.append(text);
        textPiece(request, exchange, text);
    }

    /** Splits text into {@code pieces} pieces (at least one). */
    protected static List<String> split(String text, int pieces) {
        List<String> out = new ArrayList<>();
        int n = Math.max(1, Math.min(pieces, text.length()));
        int size = Math.max(1, (text.length() + n - 1) / n);
        for (int i = 0; i < text.length(); i += size) {
            out.add(text.substring(i, Math.min(text.length(), i + size)));
        }
        if (out.isEmpty()) {
            out.add("");
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        closing.countDown();
        server.stop();
    }
}
