package dev.junction.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fake OpenAI-style provider over real HTTP. It validates requests the way the real API does
 * (400 without model or messages, 401 with the wrong key), answers text, tool calls and streams,
 * and injects faults: any status with headers, connection reset, hang, garbage body, slow first
 * byte, stream cut, stall or malformed chunk. Replies are queued per request; when the queue is
 * empty the default reply is used.
 */
public final class FakeOpenAi implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What the fake does with one request. */
    public sealed interface Reply {
    }

    /** An assistant text answer, streamed in {@code pieces} chunks when the client streams. */
    public record Text(String content, int pieces, long promptTokens, long completionTokens) implements Reply {
    }

    /** One or more tool calls in one assistant turn. */
    public record ToolCalls(List<Call> calls) implements Reply {
    }

    public record Call(String id, String name, String arguments) {
    }

    /** An HTTP error (or any status) with a raw body and headers. */
    public record Status(int code, String body, Map<String, String> headers) implements Reply {
    }

    /** Closes the connection without answering. */
    public record Reset() implements Reply {
    }

    /** Never answers (until the fake closes or the caller gives up). */
    public record Hang() implements Reply {
    }

    /**
     * Starts a stream and sends only keep-alive comments, forever: the gateway holds them back (no
     * content yet), and the fake notices at its next write when the gateway drops the call.
     */
    public record PingForever() implements Reply {
    }

    /** A text stream with a pause before each piece; records when the last piece went out. */
    public record SlowStream(List<String> pieces, Duration gap) implements Reply {
    }

    /** 200 with a body that is not JSON. */
    public record Garbage() implements Reply {
    }

    /** Waits, then replies. */
    public record Delayed(Duration delay, Reply then) implements Reply {
    }

    /** Streams {@code chunksBefore} content chunks, then misbehaves as {@code fault} says. */
    public record BrokenStream(int chunksBefore, StreamFault fault) implements Reply {
    }

    public enum StreamFault { CUT, STALL, MALFORMED, ERROR_EVENT }

    /** {@code then} for a request whose body passes {@code test}, else {@code otherwise}: scripts a tool loop. */
    public record When(java.util.function.Predicate<JsonNode> test, Reply then, Reply otherwise) implements Reply {
    }

    /** A reply chosen from the request body, for real clients whose calls are theirs to decide. */
    public record Scripted(java.util.function.Function<JsonNode, Reply> choose) implements Reply {
    }

    /** A request as the fake received it. */
    public record Received(String path, Map<String, String> headers, JsonNode body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        /** Whether the conversation carries a tool's result (a {@code role: tool} message). */
        public boolean carriesToolResult() {
            return hasToolResult(body);
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final java.util.Set<String> apiKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger aborted = new java.util.concurrent.atomic.AtomicInteger();
    private final ConcurrentLinkedQueue<Reply> queue = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Reply> fallback = new AtomicReference<>(text("Hello from the fake."));
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile long lastSendNanos;
    private volatile boolean strictArguments;

    private FakeOpenAi(String... apiKeys) throws Exception {
        if (apiKeys != null) {
            java.util.Arrays.stream(apiKeys).filter(java.util.Objects::nonNull).forEach(this.apiKeys::add);
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

    /** A fake that accepts {@code Authorization: Bearer <k>} for any of {@code apiKeys} (none: no auth). */
    public static FakeOpenAi start(String... apiKeys) throws Exception {
        return new FakeOpenAi(apiKeys);
    }

    /** Starts accepting one more key (a provider that fixed an account). */
    public void acceptAlso(String apiKey) {
        apiKeys.add(apiKey);
    }

    /** Requests whose connection the gateway dropped while the fake was still answering. */
    public int aborted() {
        return aborted.get();
    }

    public static Text text(String content) {
        return new Text(content, 3, 11, 7);
    }

    public static ToolCalls toolCalls(Call... calls) {
        return new ToolCalls(List.of(calls));
    }

    public static Status status(int code, String body, Map<String, String> headers) {
        return new Status(code, body, headers);
    }

    public static Status status(int code) {
        return new Status(code, "{\"error\":{\"message\":\"fake " + code + "\",\"type\":\"server_error\"}}", Map.of());
    }

    /** The base URL a channel config takes ({@code .../v1}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + connector.getLocalPort() + "/v1";
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** Queues replies for the next requests, in order. */
    /** The top-level arguments OpenAI's chat completions accept. */
    private static final java.util.Set<String> CHAT_ARGUMENTS = java.util.Set.of("model", "messages", "audio",
            "frequency_penalty", "function_call", "functions", "logit_bias", "logprobs", "max_completion_tokens",
            "max_tokens", "metadata", "modalities", "n", "parallel_tool_calls", "prediction", "presence_penalty",
            "prompt_cache_key", "reasoning_effort", "response_format", "safety_identifier", "seed", "service_tier",
            "stop", "store", "stream", "stream_options", "temperature", "tool_choice", "tools", "top_logprobs",
            "top_p", "user", "verbosity", "web_search_options");

    /** Refuses chat arguments OpenAI does not know, with OpenAI's 400, as api.openai.com does. */
    public FakeOpenAi strictArguments() {
        strictArguments = true;
        return this;
    }

    public FakeOpenAi then(Reply... replies) {
        queue.addAll(List.of(replies));
        return this;
    }

    /** The reply used when the queue is empty. */
    public FakeOpenAi always(Reply reply) {
        fallback.set(reply);
        queue.clear();
        return this;
    }

    /**
     * From now on a scripted tool round trip, as an agent CLI runs it: {@code call} while the
     * conversation has no {@code role: tool} message, {@code answer} once it has one ({@link #always}
     * ends it).
     */
    public FakeOpenAi toolRoundTrip(Reply call, Reply answer) {
        return always(new Scripted(body -> hasToolResult(body) ? answer : call));
    }

    static boolean hasToolResult(JsonNode body) {
        for (JsonNode message : body.path("messages")) {
            if ("tool".equals(message.path("role").asString(""))) {
                return true;
            }
        }
        return false;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** {@link System#nanoTime()} when a {@link SlowStream} sent its last piece. */
    public long lastSendNanos() {
        return lastSendNanos;
    }

    public int requestCount() {
        return received.size();
    }

    private void serve(Request request, Response response, Callback callback) throws Exception {
        byte[] bytes = Content.Source.asInputStream(request).readAllBytes();
        Map<String, String> headers = new java.util.HashMap<>();
        request.getHeaders().forEach(f -> headers.put(f.getLowerCaseName(), f.getValue()));
        JsonNode body;
        try {
            body = JSON.readTree(bytes);
        } catch (RuntimeException e) {
            body = JSON.createObjectNode();
        }
        received.add(new Received(Request.getPathInContext(request), Map.copyOf(headers), body));
        CountDownLatch gone = new CountDownLatch(1);
        request.addFailureListener(failure -> {
            aborted.incrementAndGet();
            gone.countDown();
        });
        String auth = headers.getOrDefault("authorization", "");
        if (!apiKeys.isEmpty() && !apiKeys.contains(auth.startsWith("Bearer ") ? auth.substring(7) : "")) {
            write(response, 401, "application/json", "{\"error\":{\"message\":\"Incorrect API key provided\","
                    + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
            callback.succeeded();
            return;
        }
        if (Request.getPathInContext(request).endsWith("/embeddings")) {
            // Embeddings: one deterministic vector per input (its length, 0.5), usage counted per input.
            StringBuilder data = new StringBuilder();
            JsonNode input = body.path("input");
            List<JsonNode> inputs = input.isArray() ? input.valueStream().toList() : List.of(input);
            for (int i = 0; i < inputs.size(); i++) {
                data.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
                        .append(",\"embedding\":[").append(inputs.get(i).asString("").length()).append(",0.5]}");
            }
            write(response, 200, "application/json", "{\"object\":\"list\",\"data\":[" + data + "],\"model\":"
                    + body.path("model") + ",\"usage\":{\"prompt_tokens\":" + 3 * inputs.size()
                    + ",\"total_tokens\":" + 3 * inputs.size() + "}}");
            callback.succeeded();
            return;
        }
        if (!body.path("model").isString() || !body.path("messages").isArray() || body.path("messages").isEmpty()) {
            write(response, 400, "application/json", "{\"error\":{\"message\":\"model and messages are required\","
                    + "\"type\":\"invalid_request_error\"}}");
            callback.succeeded();
            return;
        }
        if (strictArguments) {
            for (String name : body.propertyNames()) {
                if (!CHAT_ARGUMENTS.contains(name)) {
                    write(response, 400, "application/json", "{\"error\":{\"message\":\"Unrecognized request "
                            + "argument supplied: " + name + "\",\"type\":\"invalid_request_error\",\"param\":null,"
                            + "\"code\":null}}");
                    callback.succeeded();
                    return;
                }
            }
        }
        Reply reply = queue.poll();
        reply(request, response, callback, reply != null ? reply : fallback.get(), body, gone);
    }

    /** Waits until the fake closes or the gateway drops this request's connection. */
    private void await(CountDownLatch gone) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (closing.getCount() > 0 && gone.getCount() > 0 && System.nanoTime() < deadline) {
            gone.await(20, TimeUnit.MILLISECONDS);
        }
    }

    private void reply(Request request, Response response, Callback callback, Reply reply, JsonNode body,
            CountDownLatch gone) throws Exception {
        boolean stream = body.path("stream").asBoolean(false);
        boolean usage = body.path("stream_options").path("include_usage").asBoolean(false);
        String model = body.path("model").asString();
        switch (reply) {
            case Scripted(var choose) -> reply(request, response, callback, choose.apply(body), body, gone);
            case When(var test, Reply then, Reply otherwise) -> reply(request, response, callback,
                    test.test(body) ? then : otherwise, body, gone);
            case Delayed(Duration delay, Reply then) -> {
                if (!closing.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                    reply(request, response, callback, then, body, gone);
                } else {
                    callback.succeeded();
                }
            }
            case Status(int code, String text, Map<String, String> extra) -> {
                extra.forEach(response.getHeaders()::put);
                write(response, code, "application/json", text);
                callback.succeeded();
            }
            case Reset() -> {
                request.getConnectionMetaData().getConnection().getEndPoint().close();
                callback.failed(new IOException("reset by the fake"));
            }
            case Hang() -> {
                await(gone);
                request.getConnectionMetaData().getConnection().getEndPoint().close();
                callback.failed(new IOException("hung up by the fake"));
            }
            case PingForever() -> {
                startStream(response);
                try {
                    while (closing.getCount() > 0) {
                        sendRaw(response, ": ping\n\n");
                        Thread.sleep(50);
                    }
                    finish(response, callback);
                } catch (IOException e) {
                    aborted.incrementAndGet();
                    callback.failed(e);
                }
            }
            case SlowStream(List<String> pieces, Duration gap) -> {
                startStream(response);
                send(response, chunk(model, delta("role", "assistant", "content", ""), null));
                for (String piece : pieces) {
                    Thread.sleep(gap.toMillis());
                    lastSendNanos = System.nanoTime();
                    send(response, chunk(model, delta("content", piece), null));
                }
                send(response, chunk(model, JSON.createObjectNode(), "stop"));
                sendRaw(response, "data: [DONE]\n\n");
                finish(response, callback);
            }
            case Garbage() -> {
                write(response, 200, "application/json", "<html>502 Bad Gateway from a proxy</html>");
                callback.succeeded();
            }
            case Text text when !stream -> {
                write(response, 200, "application/json", JSON.writeValueAsString(completion(model, text)));
                callback.succeeded();
            }
            case ToolCalls calls when !stream -> {
                write(response, 200, "application/json", JSON.writeValueAsString(completion(model, calls)));
                callback.succeeded();
            }
            case Text text -> {
                startStream(response);
                send(response, chunk(model, delta("role", "assistant", "content", ""), null));
                for (String piece : split(text.content(), text.pieces())) {
                    send(response, chunk(model, delta("content", piece), null));
                }
                send(response, chunk(model, JSON.createObjectNode(), "stop"));
                if (usage) {
                    send(response, usageChunk(model, text.promptTokens(), text.completionTokens()));
                }
                sendRaw(response, "data: [DONE]\n\n");
                finish(response, callback);
            }
            case ToolCalls calls -> {
                startStream(response);
                send(response, chunk(model, delta("role", "assistant", "content", null), null));
                for (int i = 0; i < calls.calls().size(); i++) {
                    Call call = calls.calls().get(i);
                    ObjectNode first = JSON.createObjectNode();
                    ArrayNode list = first.putArray("tool_calls");
                    ObjectNode tc = list.addObject();
                    tc.put("index", i);
                    tc.put("id", call.id());
                    tc.put("type", "function");
                    tc.putObject("function").put("name", call.name()).put("arguments", "");
                    send(response, chunk(model, first, null));
                    for (String piece : split(call.arguments(), 2)) {
                        ObjectNode more = JSON.createObjectNode();
                        ObjectNode part = more.putArray("tool_calls").addObject();
                        part.put("index", i);
                        part.putObject("function").put("arguments", piece);
                        send(response, chunk(model, more, null));
                    }
                }
                send(response, chunk(model, JSON.createObjectNode(), "tool_calls"));
                if (usage) {
                    send(response, usageChunk(model, 20, 9));
                }
                sendRaw(response, "data: [DONE]\n\n");
                finish(response, callback);
            }
            case BrokenStream(int before, StreamFault fault) -> {
                startStream(response);
                send(response, chunk(model, delta("role", "assistant", "content", ""), null));
                for (int i = 0; i < before; i++) {
                    send(response, chunk(model, delta("content", "part" + i + " "), null));
                }
                switch (fault) {
                    case CUT -> {
                        request.getConnectionMetaData().getConnection().getEndPoint().close();
                        callback.failed(new IOException("cut by the fake"));
                    }
                    case STALL -> {
                        await(gone);
                        request.getConnectionMetaData().getConnection().getEndPoint().close();
                        callback.failed(new IOException("stalled by the fake"));
                    }
                    case MALFORMED -> {
                        sendRaw(response, "data: {\"choices\":[{\"delta\":{\"content\":\"x\"\n\n");
                        sendRaw(response, "data: [DONE]\n\n");
                        finish(response, callback);
                    }
                    case ERROR_EVENT -> {
                        sendRaw(response, "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n");
                        finish(response, callback);
                    }
                }
            }
        }
    }

    private static List<String> split(String text, int pieces) {
        List<String> out = new ArrayList<>();
        int n = Math.max(1, Math.min(pieces, text.length()));
        int size = (text.length() + n - 1) / n;
        for (int i = 0; i < text.length(); i += Math.max(1, size)) {
            out.add(text.substring(i, Math.min(text.length(), i + Math.max(1, size))));
        }
        if (out.isEmpty()) {
            out.add("");
        }
        return out;
    }

    private static ObjectNode delta(Object... pairs) {
        ObjectNode delta = JSON.createObjectNode();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                delta.putNull((String) pairs[i]);
            } else {
                delta.put((String) pairs[i], (String) pairs[i + 1]);
            }
        }
        return delta;
    }

    private static ObjectNode chunk(String model, ObjectNode delta, String finish) {
        ObjectNode chunk = JSON.createObjectNode();
        chunk.put("id", "chatcmpl-fake");
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", 1_700_000_000L);
        chunk.put("model", model);
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return chunk;
    }

    private static ObjectNode usageChunk(String model, long prompt, long completion) {
        ObjectNode chunk = JSON.createObjectNode();
        chunk.put("id", "chatcmpl-fake");
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", 1_700_000_000L);
        chunk.put("model", model);
        chunk.putArray("choices");
        chunk.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        return chunk;
    }

    private static ObjectNode completion(String model, Reply reply) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-fake");
        root.put("object", "chat.completion");
        root.put("created", 1_700_000_000L);
        root.put("model", model);
        root.put("system_fingerprint", "fp_fake");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        long prompt = 20;
        long completion = 9;
        if (reply instanceof Text text) {
            message.put("content", text.content());
            choice.put("finish_reason", "stop");
            prompt = text.promptTokens();
            completion = text.completionTokens();
        } else if (reply instanceof ToolCalls calls) {
            message.putNull("content");
            ArrayNode list = message.putArray("tool_calls");
            for (Call call : calls.calls()) {
                ObjectNode tc = list.addObject();
                tc.put("id", call.id());
                tc.put("type", "function");
                tc.putObject("function").put("name", call.name()).put("arguments", call.arguments());
            }
            choice.put("finish_reason", "tool_calls");
        }
        choice.putNull("logprobs");
        root.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        return root;
    }

    private static void write(Response response, int status, String type, String body) throws IOException {
        response.setStatus(status);
        response.getHeaders().put("Content-Type", type);
        try (Blocker.Callback cb = Blocker.callback()) {
            response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), cb);
            cb.block();
        }
    }

    private static void startStream(Response response) throws IOException {
        response.setStatus(200);
        response.getHeaders().put("Content-Type", "text/event-stream");
        try (Blocker.Callback cb = Blocker.callback()) {
            response.write(false, ByteBuffer.allocate(0), cb);
            cb.block();
        }
    }

    private static void send(Response response, ObjectNode chunk) throws IOException {
        sendRaw(response, "data: " + JSON.writeValueAsString(chunk) + "\n\n");
    }

    private static void sendRaw(Response response, String text) throws IOException {
        try (Blocker.Callback cb = Blocker.callback()) {
            response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), cb);
            cb.block();
        }
    }

    private static void finish(Response response, Callback callback) {
        response.write(true, ByteBuffer.allocate(0), callback);
    }

    @Override
    public void close() throws Exception {
        closing.countDown();
        server.stop();
    }
}
