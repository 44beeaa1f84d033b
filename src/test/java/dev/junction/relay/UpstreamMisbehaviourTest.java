package dev.junction.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.junction.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Providers that misbehave in ways the failover table alone does not cover, each a raw HTTP server
 * on loopback (the JDK's, so every byte, chunk and header is the test's to choose): answers that
 * are gigantic or never end, streams whose bytes arrive one at a time, gzip'd answers and streams,
 * and redirects. The client always gets a whole answer or a clean failure in its own API's shape,
 * and a redirect is never followed (the provider key would go to whatever host it names).
 */
class UpstreamMisbehaviourTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CHAT = "/v1/chat/completions";
    private static final String MESSAGES = "/v1/messages";

    private static final String ANSWER = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"up","choices":[{"index":0,\
            "message":{"role":"assistant","content":"Hello from the raw fake."},"finish_reason":"stop"}],\
            "usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18}}""";

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    // --- gigantic and endless answers ----------------------------------------------------------------

    @Test
    void anAnswerThatNeverEndsIsCutAtTheCapAndFailsInTheClientsShape() throws Exception {
        AtomicBoolean gaveUp = new AtomicBoolean();
        Raw fake = raw(exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0); // chunked, no end
            byte[] filler = ("{\"choices\":[" + " ".repeat(64 * 1024 - 12)).getBytes(StandardCharsets.UTF_8);
            try (OutputStream out = exchange.getResponseBody()) {
                while (true) {
                    out.write(filler);
                }
            } catch (IOException e) {
                gaveUp.set(true); // the gateway hung up
            }
        });
        TestGateway gateway = gateway(fake, "");

        HttpResponse<String> chat = gateway.post(CHAT, chatRequest(false));
        assertThat(chat.statusCode()).isEqualTo(502);
        JsonNode error = JSON.readTree(chat.body()).path("error");
        assertThat(error.path("message").asString()).contains("too large");
        assertThat(chat.headers().firstValue("x-request-id")).isPresent();

        HttpResponse<String> messages = gateway.post(MESSAGES, messagesRequest(false));
        assertThat(messages.statusCode()).isEqualTo(502);
        JsonNode anthropic = JSON.readTree(messages.body());
        assertThat(anthropic.path("type").asString()).isEqualTo("error");
        assertThat(anthropic.path("error").path("message").asString()).contains("too large");

        awaitTrue(gaveUp);
        List<Map<String, Object>> rows = gateway.usageRows(2);
        assertThat(rows).extracting(r -> r.get("status")).containsOnly(502);
    }

    @Test
    void aGiganticDeclaredLengthIsRefusedWithoutWaitingForIt() throws Exception {
        Raw fake = raw(exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 10L << 30); // announces 10 GB
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] filler = new byte[64 * 1024];
                while (true) {
                    out.write(filler);
                }
            } catch (IOException e) {
                // the gateway hung up
            }
        });
        TestGateway gateway = gateway(fake, "");

        HttpResponse<String> chat = gateway.post(CHAT, chatRequest(false));

        assertThat(chat.statusCode()).isEqualTo(502);
        assertThat(JSON.readTree(chat.body()).path("error").path("message").asString()).contains("too large");
    }

    @Test
    void aStreamThatNeverEndsIsEndedByTheRequestDeadlineWithTheInBandError() throws Exception {
        AtomicBoolean gaveUp = new AtomicBoolean();
        Raw fake = raw(exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
                while (true) {
                    out.write(chunk("{\"content\":\"more \"}", null));
                    out.flush();
                    Thread.sleep(5);
                }
            } catch (IOException e) {
                gaveUp.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        TestGateway gateway = gateway(fake, "failover: { request_timeout: 1500ms }\n");

        HttpResponse<String> chat = gateway.post(CHAT, chatRequest(true));

        assertThat(chat.statusCode()).isEqualTo(200);
        assertThat(chat.body()).contains("\"more \"").contains("\"error\"").doesNotContain("[DONE]");
        HttpResponse<String> messages = gateway.post(MESSAGES, messagesRequest(true));
        assertThat(messages.body()).contains("more ").contains("event: error").doesNotContain("message_stop");
        awaitTrue(gaveUp);
    }

    @Test
    void anEventThatNeverEndsIsCappedAndFailsOverBeforeContent() throws Exception {
        AtomicInteger served = new AtomicInteger();
        Raw endless = raw(exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            byte[] filler = " ".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("data: {\"choices\":[{\"delta\":{\"content\":\"".getBytes(StandardCharsets.US_ASCII));
                while (true) {
                    out.write(filler); // one event, no line end, for ever
                }
            } catch (IOException e) {
                // the gateway hung up
            }
        });
        Raw good = raw(exchange -> {
            served.incrementAndGet();
            streamText(exchange, false, 0);
        });
        TestGateway gateway = TestGateway.start(dir, "channels:\n"
                + channel("endless", endless, "priority: 10")
                + channel("good", good, "priority: 1"));
        open.add(gateway);

        HttpResponse<String> chat = gateway.post(CHAT, chatRequest(true));

        assertThat(chat.statusCode()).isEqualTo(200);
        assertThat(chat.headers().firstValue("x-junction-channel")).contains("good");
        assertThat(contentOf(chat.body())).isEqualTo("Hello from the raw fake.");
        assertThat(served).hasValue(1);
    }

    // --- bytes one at a time, chunked, gzip ---------------------------------------------------------

    @Test
    void aStreamSplitAtEveryByteArrivesWholeOnEveryPath() throws Exception {
        Raw fake = raw(exchange -> streamText(exchange, false, 1));
        TestGateway gateway = gateway(fake, "");

        HttpResponse<String> passThrough = gateway.post(CHAT, chatRequest(true));
        assertThat(passThrough.statusCode()).isEqualTo(200);
        assertThat(contentOf(passThrough.body())).isEqualTo("Hello from the raw fake.");
        assertThat(passThrough.body()).contains("data: [DONE]");

        HttpResponse<String> translated = gateway.post(MESSAGES, messagesRequest(true));
        assertThat(translated.statusCode()).isEqualTo(200);
        assertThat(translated.body()).contains("event: message_stop").contains("\"raw \"").contains("\"fake.\"");

        List<Map<String, Object>> rows = gateway.usageRows(2);
        assertThat(rows).extracting(r -> ((Number) r.get("completion_tokens")).longValue()).containsOnly(7L);
        assertThat(rows).extracting(r -> r.get("end_reason")).containsOnly("done");
    }

    @Test
    void gzippedAnswersAreDecodedForEveryClient() throws Exception {
        Raw fake = raw(exchange -> {
            boolean stream = body(exchange).contains("\"stream\":true");
            if (stream) {
                streamText(exchange, true, 0);
                return;
            }
            byte[] zipped = gzip(ANSWER.getBytes(StandardCharsets.UTF_8));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, zipped.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(zipped);
            }
        });
        TestGateway gateway = gateway(fake, "");

        HttpResponse<String> json = gateway.post(CHAT, chatRequest(false));
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("content-encoding")).isEmpty();
        assertThat(JSON.readTree(json.body()).path("choices").path(0).path("message").path("content").asString())
                .isEqualTo("Hello from the raw fake.");

        HttpResponse<String> sse = gateway.post(CHAT, chatRequest(true));
        assertThat(sse.statusCode()).isEqualTo(200);
        assertThat(sse.headers().firstValue("content-encoding")).isEmpty();
        assertThat(contentOf(sse.body())).isEqualTo("Hello from the raw fake.");

        HttpResponse<String> translated = gateway.post(MESSAGES, messagesRequest(false));
        assertThat(translated.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(translated.body()).path("content").path(0).path("text").asString())
                .isEqualTo("Hello from the raw fake.");
        HttpResponse<String> translatedStream = gateway.post(MESSAGES, messagesRequest(true));
        assertThat(translatedStream.body()).contains("\"raw \"").contains("event: message_stop");

        List<Map<String, Object>> rows = gateway.usageRows(4);
        assertThat(rows).extracting(r -> ((Number) r.get("prompt_tokens")).longValue()).containsOnly(11L);
        assertThat(rows).extracting(r -> ((Number) r.get("completion_tokens")).longValue()).containsOnly(7L);
    }

    // --- redirects -------------------------------------------------------------------------------------

    @Test
    void aRedirectIsNeverFollowedAndTheProviderKeyStaysHome() throws Exception {
        List<String> elsewhere = new java.util.concurrent.CopyOnWriteArrayList<>();
        Raw other = raw(exchange -> {
            elsewhere.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            body(exchange);
            byte[] answer = ANSWER.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        for (int code : new int[] {301, 302, 307, 308}) {
            Raw redirecting = raw(exchange -> {
                body(exchange);
                exchange.getResponseHeaders().add("Location", other.baseUrl() + "/v1/chat/completions");
                exchange.sendResponseHeaders(code, -1);
                exchange.close();
            });
            TestGateway gateway = gateway(redirecting, "");

            HttpResponse<String> chat = gateway.post(CHAT, chatRequest(false));
            assertThat(chat.statusCode()).as("after a %d", code).isEqualTo(502);
            assertThat(JSON.readTree(chat.body()).path("error").path("message").asString())
                    .contains("redirect").doesNotContain("sk-fake");
            assertThat(chat.headers().firstValue("location")).isEmpty();

            HttpResponse<String> stream = gateway.post(MESSAGES, messagesRequest(true));
            assertThat(stream.statusCode()).as("after a %d", code).isEqualTo(502);
            assertThat(JSON.readTree(stream.body()).path("type").asString()).isEqualTo("error");
        }
        assertThat(elsewhere).isEmpty();
    }

    // --- helpers -------------------------------------------------------------------------------------

    /** An OpenAI-compatible channel on a raw server, and a gateway in front of it. */
    private TestGateway gateway(Raw fake, String more) throws Exception {
        Path home = java.nio.file.Files.createDirectories(dir.resolve("g" + open.size()));
        TestGateway gateway = TestGateway.start(home,
                more + "channels:\n" + channel("raw", fake, ""));
        open.add(gateway);
        return gateway;
    }

    private static String channel(String name, Raw fake, String extra) {
        return """
                  - name: %s
                    type: openai
                    base_url: %s/v1
                    api_key: sk-fake-%s
                    models: { m: up }
                    %s
                """.formatted(name, fake.baseUrl(), name, extra);
    }

    private static String chatRequest(boolean stream) {
        return "{\"model\":\"m\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    }

    private static String messagesRequest(boolean stream) {
        return "{\"model\":\"m\",\"max_tokens\":50,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    }

    /**
     * A chat completions stream of the answer with usage, gzip'd or not; with {@code byteGapMillis}
     * above 0, written one byte at a time, each byte its own chunk after a pause.
     */
    private static void streamText(HttpExchange exchange, boolean gzip, int byteGapMillis) throws IOException {
        body(exchange);
        ByteArrayOutputStream events = new ByteArrayOutputStream();
        events.write(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
        for (String piece : new String[] {"Hello ", "from ", "the ", "raw ", "fake."}) {
            events.write(chunk("{\"content\":" + JSON.writeValueAsString(piece) + "}", null));
        }
        events.write(chunk("{}", "stop"));
        events.write(("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"up\","
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,\"total_tokens\":18}}\n\n"
                + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
        byte[] bytes = gzip ? gzip(events.toByteArray()) : events.toByteArray();
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        if (gzip) {
            exchange.getResponseHeaders().add("Content-Encoding", "gzip");
        }
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            if (byteGapMillis <= 0) {
                out.write(bytes);
                return;
            }
            for (byte b : bytes) {
                out.write(b);
                out.flush();
                Thread.sleep(byteGapMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] chunk(String delta, String finish) {
        return ("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"up\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
            out.write(plain);
        }
        return zipped.toByteArray();
    }

    private static String body(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** The text content of an OpenAI chat completions stream. */
    private static String contentOf(String sse) {
        StringBuilder text = new StringBuilder();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: {")) {
                JsonNode choices = JSON.readTree(line.substring(6)).path("choices");
                if (!choices.isEmpty()) {
                    text.append(choices.path(0).path("delta").path("content").asString(""));
                }
            }
        }
        return text.toString();
    }

    private static void awaitTrue(AtomicBoolean flag) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!flag.get() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(flag).isTrue();
    }

    /** A raw HTTP/1.1 server on loopback with one handler for every path. */
    private Raw raw(HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try {
                handler.handle(exchange);
            } finally {
                exchange.close();
            }
        });
        server.start();
        Raw raw = new Raw(server);
        open.add(raw);
        return raw;
    }

    private record Raw(HttpServer server) implements AutoCloseable {
        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
