package dev.junction.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
 * The shared machinery of fake non-OpenAI providers ({@link FakeAnthropic}, {@link FakeGemini}):
 * a real HTTP server, scripted replies in a provider-neutral vocabulary (so one test can run
 * against either provider), a record of every request, and fault injection. Each subclass
 * validates requests as strictly as the real API and answers in its wire format, so a malformed
 * translation fails the test with the provider's own kind of 400.
 */
public abstract class FakeProvider implements AutoCloseable {

    protected static final JsonMapper JSON = JsonMapper.builder().build();

    /** What the fake does with one request. */
    public sealed interface Reply {
    }

    /** A text answer, streamed in {@code pieces} pieces. */
    public record Text(String content, int pieces, long inputTokens, long outputTokens) implements Reply {
    }

    /** Function calls in one turn, optionally after some text. */
    public record ToolCalls(String leadingText, List<Call> calls) implements Reply {
    }

    public record Call(String name, String arguments) {
    }

    /** Reasoning, then {@code then} (a {@link Text} or {@link ToolCalls}). */
    public record Thinking(String thinking, Reply then) implements Reply {
    }

    /** A safety system stops the answer. */
    public record Blocked() implements Reply {
    }

    /** Any status with a raw body and headers. */
    public record Status(int code, String body, Map<String, String> headers) implements Reply {
    }

    /** Closes the connection without answering. */
    public record Reset() implements Reply {
    }

    /** Never answers until the fake closes. */
    public record Hang() implements Reply {
    }

    /** 200 with a body that is not JSON. */
    public record Garbage() implements Reply {
    }

    /** Streams {@code piecesBefore} text pieces, then misbehaves. */
    public record BrokenStream(int piecesBefore, Fault fault) implements Reply {
    }

    public enum Fault { CUT, ERROR_EVENT, MALFORMED }

    /**
     * A reply chosen by looking at the request, for clients (real CLIs) whose number and order of
     * calls is theirs to decide; the chosen reply may be any other kind.
     */
    public record Scripted(java.util.function.Function<Received, Reply> choose) implements Reply {
    }

    /** {@code then} for a request that passes {@code test}, else {@code otherwise}: scripts a tool loop by what came back. */
    public record When(java.util.function.Predicate<Received> test, Reply then, Reply otherwise) implements Reply {
    }

    /** A request as the fake received it. */
    public record Received(String path, String query, Map<String, String> headers, JsonNode body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** Whether the conversation carries a tool's result (Anthropic, Gemini or OpenAI spelling). */
        public boolean carriesToolResult() {
            String text = body.toString();
            return text.contains("\"tool_result\"") || text.contains("\"functionResponse\"")
                    || text.contains("\"role\":\"tool\"");
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

    private final Server server;
    private final ServerConnector connector;
    private final Set<String> apiKeys = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Reply> queue = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Reply> fallback = new AtomicReference<>(text("Hello from the fake."));
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    /** A fake that accepts {@code apiKey}, or any credential when it is null. */
    protected FakeProvider(String apiKey) throws Exception {
        if (apiKey != null) {
            apiKeys.add(apiKey);
        }
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setVirtualThreadsExecutor(new VirtualThreadPool(1024));
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

    /** The origin, which is what {@code anthropic} and {@code gemini} channels take as {@code base_url}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + connector.getLocalPort();
    }

    /** Accepts this key too from now on (a key that starts working again). */
    public FakeProvider acceptAlso(String apiKey) {
        apiKeys.add(apiKey);
        return this;
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

    // --- what a provider defines ------------------------------------------------------------------

    /** The status and error body for a request the real API would refuse, or null when it is valid. */
    protected abstract Rejection validate(Received request);

    /** Writes a successful reply in the provider's format. */
    protected abstract void answer(Received request, Reply reply, Exchange exchange) throws Exception;

    /** The provider's error body for a message. */
    protected abstract String errorBody(int status, String message);

    /** A refusal: status and message. */
    protected record Rejection(int status, String message) {
    }

    /** Writing helpers over one request/response pair. */
    protected final class Exchange {
        final Request request;
        final Response response;
        final Callback callback;

        Exchange(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
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
            blockingWrite(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        }

        public void finish() {
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
        Exchange exchange = new Exchange(request, response, callback);
        Rejection rejection = validate(received);
        if (rejection != null) {
            exchange.json(rejection.status(), errorBody(rejection.status(), rejection.message()));
            return;
        }
        Reply reply = queue.poll();
        reply = reply != null ? reply : fallback.get();
        if (reply instanceof Scripted scripted) {
            reply = scripted.choose().apply(received);
        }
        reply(received, reply, exchange);
    }

    private void reply(Received request, Reply reply, Exchange exchange) throws Exception {
        switch (reply) {
            case When(var test, Reply then, Reply otherwise) -> reply(request, test.test(request) ? then : otherwise,
                    exchange);
            case Status(int code, String text, Map<String, String> extra) -> {
                extra.forEach(exchange.response.getHeaders()::put);
                exchange.json(code, text);
            }
            case Reset() -> exchange.cut();
            case Hang() -> {
                closing.await(60, TimeUnit.SECONDS);
                exchange.cut();
            }
            case Garbage() -> exchange.json(200, "<html>502 Bad Gateway from a proxy</html>");
            default -> answer(request, reply, exchange);
        }
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
