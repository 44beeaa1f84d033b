package dev.junction.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The upstream client against a real HTTP server on loopback. */
class UpstreamClientTest {

    private static final byte[] JSON = "{\"id\":\"x\",\"choices\":[]}".getBytes(StandardCharsets.UTF_8);
    private static final int EVENT_BYTES = 1024;
    private static final int EVENTS = 8 * 1024; // 8 MB of events

    private HttpServer server;
    private UpstreamClient client;
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private final AtomicLong streamed = new AtomicLong();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/json", this::json);
        server.createContext("/stream", this::stream);
        server.start();
        client = UpstreamClient.create("test");
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    private void json(HttpExchange exchange) throws IOException {
        clientPorts.add(exchange.getRemoteAddress().getPort());
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("x-test", "yes");
        exchange.sendResponseHeaders(200, JSON.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(JSON);
        }
    }

    private void stream(HttpExchange exchange) throws IOException {
        clientPorts.add(exchange.getRemoteAddress().getPort());
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        byte[] event = event();
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < EVENTS; i++) {
                out.write(event);
                streamed.addAndGet(event.length);
            }
        } catch (IOException e) {
            // The gateway aborted the call: expected in the abort test.
        }
    }

    private static byte[] event() {
        byte[] event = new byte[EVENT_BYTES];
        byte[] head = "data: ".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, event, 0, head.length);
        for (int i = head.length; i < EVENT_BYTES - 2; i++) {
            event[i] = 'x';
        }
        event[EVENT_BYTES - 2] = '\n';
        event[EVENT_BYTES - 1] = '\n';
        return event;
    }

    private UpstreamRequest request(String path) {
        return new UpstreamRequest(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path),
                Map.of(), "{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    @Test
    void aJsonAnswerArrivesWholeAndItsConnectionIsReused() throws Exception {
        for (int i = 0; i < 50; i++) {
            try (UpstreamResponse response = client.send(request("/json"), new CancelSignal())) {
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("x-test")).isEqualTo("yes");
                assertThat(response.readAll(1 << 20)).isEqualTo(JSON);
            }
        }
        assertThat(clientPorts).as("one keep-alive connection for fifty calls in a row").hasSize(1);
    }

    /**
     * A reader that does not keep up leaves the connection unread once {@link UpstreamBody#MAX_BUFFERED}
     * bytes wait, so the provider is held back (its writes block) instead of the gateway's memory
     * filling; reading again resumes the flow and every byte arrives in order.
     */
    @Test
    void aSlowReaderHoldsTheProviderBackAndStillGetsEveryByte() throws Exception {
        try (UpstreamResponse response = client.send(request("/stream"), new CancelSignal())) {
            long previous = -1;
            while (streamed.get() != previous) { // until the provider's writes stall
                previous = streamed.get();
                Thread.sleep(200);
            }
            long total = (long) EVENTS * EVENT_BYTES;
            assertThat(streamed.get()).as("the provider is held back").isLessThan(total);
            // What is in flight besides the gateway's buffer: socket buffers on both sides.
            assertThat(((UpstreamBody) response.body()).buffered())
                    .isLessThanOrEqualTo(UpstreamBody.MAX_BUFFERED + 64 * 1024);

            byte[] expected = event();
            byte[] buffer = new byte[EVENT_BYTES];
            InputStream body = response.body();
            long read = 0;
            while (true) {
                int n = body.readNBytes(buffer, 0, EVENT_BYTES);
                if (n == 0) {
                    break;
                }
                assertThat(n).isEqualTo(EVENT_BYTES);
                assertThat(buffer).isEqualTo(expected);
                read += n;
            }
            assertThat(read).isEqualTo(total);
        }
    }

    @Test
    void aLongAnswerIsReadWholeInOrderOrRefusedPastTheLimit() throws Exception {
        try (UpstreamResponse response = client.send(request("/stream"), new CancelSignal())) {
            byte[] all = response.readAll(16 << 20);
            assertThat(all).hasSize(EVENTS * EVENT_BYTES);
            byte[] expected = event();
            for (int at = 0; at < all.length; at += EVENT_BYTES) {
                assertThat(java.util.Arrays.equals(all, at, at + EVENT_BYTES, expected, 0, EVENT_BYTES))
                        .as("event at %d", at).isTrue();
            }
        }
        try (UpstreamResponse response = client.send(request("/stream"), new CancelSignal())) {
            assertThatThrownBy(() -> response.readAll(1 << 20)).isInstanceOfSatisfying(UpstreamFailure.class,
                    f -> assertThat(f.kind()).isEqualTo(UpstreamFailure.Kind.BODY_TOO_LARGE));
        }
    }

    @Test
    void closingAnAnswerMidwayDiscardsItsConnection() throws Exception {
        try (UpstreamResponse response = client.send(request("/stream"), new CancelSignal())) {
            assertThat(response.body().read(new byte[10])).isEqualTo(10);
        }
        try (UpstreamResponse response = client.send(request("/json"), new CancelSignal())) {
            assertThat(response.readAll(1 << 20)).isEqualTo(JSON);
        }
        assertThat(clientPorts).as("the half-read connection was not reused").hasSize(2);
    }
}
