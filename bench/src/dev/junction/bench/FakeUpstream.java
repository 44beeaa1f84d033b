package dev.junction.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A fast fake provider for the load bench: fixed answers rendered once, served by a non-blocking
 * Jetty handler on the selector threads, so it costs as little CPU as possible and the gateway's
 * share of the box is what the bench sees.
 *
 * <pre>
 * POST /v1/chat/completions           fixed JSON answer, or (body has "stream":true) a fixed SSE stream
 *                                      of --chunks events written at once
 * POST /slow/v1/chat/completions      the same stream, one event every --slow-delay-ms
 * POST /split/v1/chat/completions     the same stream, one write per event, each as soon as the last
 *                                      has gone (as a Node server's res.write per event does)
 * POST /big/v1/chat/completions       one SSE stream of --big-mb megabytes, written as fast as read
 * POST /anthropic/v1/messages         Anthropic Messages answer or stream (for the translation bench)
 * POST /anthropic-split/v1/messages   the same Anthropic stream, one write per event (translated per-event cost)
 * </pre>
 *
 * Usage: {@code FakeUpstream --port P [--chunks 20] [--slow-delay-ms 100] [--big-mb 50] [--delay-ms 0]}.
 * It prints {@code fake listening on P} when ready.
 */
public final class FakeUpstream {

    /** Chunks per chat stream (role, content pieces, finish), unless {@code --chunks} says otherwise. */
    static final int CHUNKS = 20;

    private static final String CHUNK = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1700000000,\"model\":\"bench-model\",\"system_fingerprint\":\"fp_bench\","
            + "\"choices\":[{\"index\":0,\"delta\":%s,\"logprobs\":null,\"finish_reason\":%s}]}";
    private static final String USAGE_CHUNK = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1700000000,\"model\":\"bench-model\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":25,\"completion_tokens\":%d,\"total_tokens\":%d}}";

    private final byte[] json;
    private final byte[][] events;
    private final byte[] usageEvent;
    private final byte[] done = sse("[DONE]");
    private final byte[] chatStream;
    private final byte[] streamWithUsage;
    private final byte[] bigBlock;
    private final long bigBytes;
    private final long slowDelayMs;
    private final long delayMs;
    private final byte[] anthropicJson;
    private final byte[] anthropicStream;
    private final byte[][] anthropicEvents;
    private Scheduler scheduler;

    private FakeUpstream(int chunks, long slowDelayMs, long bigMb, long delayMs) {
        this.slowDelayMs = slowDelayMs;
        this.delayMs = delayMs;
        this.bigBytes = bigMb << 20;
        StringBuilder text = new StringBuilder();
        int contentChunks = Math.max(1, chunks - 2);
        for (int i = 0; i < contentChunks; i++) {
            text.append("token").append(i).append(' ');
        }
        json = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,"
                + "\"model\":\"bench-model\",\"system_fingerprint\":\"fp_bench\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"" + text + "\",\"refusal\":null},"
                + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":25,"
                + "\"completion_tokens\":" + contentChunks + ",\"total_tokens\":" + (25 + contentChunks) + "}}")
                .getBytes(StandardCharsets.UTF_8);
        events = new byte[contentChunks + 2][];
        events[0] = sse(CHUNK.formatted("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", "null"));
        for (int i = 0; i < contentChunks; i++) {
            events[i + 1] = sse(CHUNK.formatted("{\"content\":\"token" + i + " \"}", "null"));
        }
        events[contentChunks + 1] = sse(CHUNK.formatted("{}", "\"stop\""));
        usageEvent = sse(USAGE_CHUNK.formatted(contentChunks, 25 + contentChunks));
        chatStream = concat(false);
        streamWithUsage = concat(true);
        // The big stream repeats one block of whole content events of a typical size (~230 bytes).
        byte[] one = sse(CHUNK.formatted("{\"content\":\"" + "x".repeat(64) + "\"}", "null"));
        int perBlock = (64 << 10) / one.length;
        bigBlock = new byte[perBlock * one.length];
        for (int i = 0; i < perBlock; i++) {
            System.arraycopy(one, 0, bigBlock, i * one.length, one.length);
        }
        anthropicJson = ("{\"id\":\"msg_bench\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"bench-model\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"}],\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":" + contentChunks + "}}")
                .getBytes(StandardCharsets.UTF_8);
        List<String> a = new ArrayList<>();
        a.add(anthropicEvent("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"bench-model\",\"content\":[],"
                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}"));
        a.add(anthropicEvent("content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        for (int i = 0; i < contentChunks; i++) {
            a.add(anthropicEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"token" + i + " \"}}"));
        }
        a.add(anthropicEvent("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        a.add(anthropicEvent("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + contentChunks + "}}"));
        a.add(anthropicEvent("message_stop", "{\"type\":\"message_stop\"}"));
        anthropicStream = String.join("", a).getBytes(StandardCharsets.UTF_8);
        anthropicEvents = a.stream().map(e -> e.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    private static String anthropicEvent(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    private static byte[] sse(String data) {
        return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private byte[] concat(boolean withUsage) {
        int length = done.length + (withUsage ? usageEvent.length : 0);
        for (byte[] e : events) {
            length += e.length;
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        for (byte[] e : events) {
            out.put(e);
        }
        if (withUsage) {
            out.put(usageEvent);
        }
        out.put(done);
        return out.array();
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        int chunks = CHUNKS;
        long slowDelay = 100;
        long bigMb = 50;
        long delay = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--chunks" -> chunks = Integer.parseInt(args[i + 1]);
                case "--slow-delay-ms" -> slowDelay = Long.parseLong(args[i + 1]);
                case "--big-mb" -> bigMb = Long.parseLong(args[i + 1]);
                case "--delay-ms" -> delay = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        new FakeUpstream(chunks, slowDelay, bigMb, delay).serve(port);
    }

    private void serve(int port) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(4096);
        connector.setIdleTimeout(TimeUnit.MINUTES.toMillis(5));
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Source.asByteArrayAsync(request, 64 << 20, Promise.Invocable.from(
                        InvocationType.NON_BLOCKING, body -> {
                            if (delayMs > 0) {
                                scheduler.schedule(() -> answer(request, response, callback, body), delayMs,
                                        TimeUnit.MILLISECONDS);
                            } else {
                                answer(request, response, callback, body);
                            }
                        }, callback::failed));
                return true;
            }
        });
        server.start();
        scheduler = server.getScheduler();
        System.out.println("fake listening on " + connector.getLocalPort());
        System.out.flush();
        server.join();
    }

    private void answer(Request request, Response response, Callback callback, byte[] body) {
        String path = Request.getPathInContext(request);
        boolean stream = isStream(body);
        switch (path) {
            case "/v1/chat/completions" -> {
                if (stream) {
                    eventStream(response);
                    response.write(true, ByteBuffer.wrap(contains(body, "include_usage") ? streamWithUsage : chatStream),
                            callback);
                } else {
                    whole(response, "application/json", json, callback);
                }
            }
            case "/slow/v1/chat/completions" -> {
                eventStream(response);
                new Slow(response, callback, contains(body, "include_usage"), slowDelayMs).iterate();
            }
            case "/split/v1/chat/completions" -> {
                eventStream(response);
                new Slow(response, callback, contains(body, "include_usage"), 0).iterate();
            }
            case "/big/v1/chat/completions" -> {
                eventStream(response);
                new Big(response, callback).iterate();
            }
            case "/anthropic/v1/messages" -> {
                if (stream) {
                    eventStream(response);
                    response.write(true, ByteBuffer.wrap(anthropicStream), callback);
                } else {
                    whole(response, "application/json", anthropicJson, callback);
                }
            }
            case "/anthropic-split/v1/messages" -> {
                if (stream) {
                    eventStream(response);
                    new Each(response, callback, anthropicEvents).iterate();
                } else {
                    whole(response, "application/json", anthropicJson, callback);
                }
            }
            default -> {
                response.setStatus(404);
                whole(response, "application/json",
                        "{\"error\":{\"message\":\"no such path\",\"type\":\"invalid_request_error\"}}"
                                .getBytes(StandardCharsets.UTF_8), callback);
            }
        }
    }

    private static void whole(Response response, String type, byte[] body, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static void eventStream(Response response) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    }

    /** {@code "stream"} followed by {@code true}, spaces and colon allowed between. */
    static boolean isStream(byte[] body) {
        int at = indexOf(body, "\"stream\"".getBytes(StandardCharsets.US_ASCII));
        if (at < 0) {
            return false;
        }
        for (int i = at + 8; i < body.length; i++) {
            byte c = body[i];
            if (c != ' ' && c != ':' && c != '\t' && c != '\n' && c != '\r') {
                return c == 't';
            }
        }
        return false;
    }

    private static boolean contains(byte[] body, String text) {
        return indexOf(body, text.getBytes(StandardCharsets.US_ASCII)) >= 0;
    }

    private static int indexOf(byte[] body, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= body.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (body[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The chat stream, one write per event, {@code delayMs} apart (0: each as soon as the last has gone). */
    private final class Slow extends IteratingCallback {
        private final Response response;
        private final Callback done;
        private final boolean usage;
        private final long delayMs;
        private int next;
        private boolean last;

        Slow(Response response, Callback done, boolean usage, long delayMs) {
            this.response = response;
            this.done = done;
            this.usage = usage;
            this.delayMs = delayMs;
        }

        @Override
        protected Action process() {
            if (last) {
                return Action.SUCCEEDED;
            }
            byte[] event;
            if (next < events.length) {
                event = events[next];
            } else if (next == events.length && usage) {
                event = usageEvent;
            } else {
                event = FakeUpstream.this.done;
                last = true;
            }
            int index = next++;
            if (index == 0 || last || delayMs == 0) {
                response.write(last, ByteBuffer.wrap(event), this);
            } else {
                scheduler.schedule(() -> response.write(false, ByteBuffer.wrap(event), this), delayMs,
                        TimeUnit.MILLISECONDS);
            }
            return Action.SCHEDULED;
        }

        @Override
        protected void onCompleteSuccess() {
            done.succeeded();
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            done.failed(cause);
        }
    }

    /** Events, one write each, each as soon as the last has gone. */
    private static final class Each extends IteratingCallback {
        private final Response response;
        private final Callback done;
        private final byte[][] events;
        private int next;

        Each(Response response, Callback done, byte[][] events) {
            this.response = response;
            this.done = done;
            this.events = events;
        }

        @Override
        protected Action process() {
            if (next == events.length) {
                return Action.SUCCEEDED;
            }
            byte[] event = events[next++];
            response.write(next == events.length, ByteBuffer.wrap(event), this);
            return Action.SCHEDULED;
        }

        @Override
        protected void onCompleteSuccess() {
            done.succeeded();
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            done.failed(cause);
        }
    }

    /** {@code bigBytes} of content events, then a finish event and {@code [DONE]}. */
    private final class Big extends IteratingCallback {
        private final Response response;
        private final Callback done;
        private long sent;
        private boolean last;

        Big(Response response, Callback done) {
            this.response = response;
            this.done = done;
        }

        @Override
        protected Action process() {
            if (last) {
                return Action.SUCCEEDED;
            }
            if (sent < bigBytes) {
                sent += bigBlock.length;
                response.write(false, ByteBuffer.wrap(bigBlock), this);
            } else {
                last = true;
                byte[] finish = events[events.length - 1];
                ByteBuffer tail = ByteBuffer.allocate(finish.length + FakeUpstream.this.done.length);
                tail.put(finish).put(FakeUpstream.this.done).flip();
                response.write(true, tail, this);
            }
            return Action.SCHEDULED;
        }

        @Override
        protected void onCompleteSuccess() {
            done.succeeded();
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            done.failed(cause);
        }
    }
}
