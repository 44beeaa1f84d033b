package dev.junction.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.junction.testing.Chat;
import dev.junction.testing.JsonTree;
import dev.junction.testing.TestGateway;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code models: auto}: a channel serves what its upstream lists at start-up, and starts without it when down. */
class ModelListingTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startOllamaLikeServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/models", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            reply(exchange, """
                    {"object":"list","data":[
                      {"id":"llama3.2:latest","object":"model","created":1,"owned_by":"library"},
                      {"id":"qwen3:8b","object":"model","created":1,"owned_by":"library"}]}""");
        });
        server.createContext("/v1/chat/completions", exchange -> reply(exchange, """
                {"id":"c1","object":"chat.completion","created":1,"model":"qwen3:8b","choices":[{"index":0,
                 "message":{"role":"assistant","content":"hello from qwen"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":3,"completion_tokens":3,"total_tokens":6}}"""));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void reply(HttpExchange exchange, String body) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private String channel(String baseUrl, String extra) {
        return """
                channels:
                  - name: local
                    type: openai
                    base_url: %s
                    models: auto
                %s""".formatted(baseUrl, extra);
    }

    @Test
    void aChannelServesEveryModelItsUpstreamLists() throws Exception {
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        try (TestGateway gateway = TestGateway.start(dir, channel(base, "    api_key: sk-local\n"))) {
            assertThat(gateway.gateway().router().channels().getFirst().config().models())
                    .containsExactly(Map.entry("llama3.2:latest", "llama3.2:latest"), Map.entry("qwen3:8b", "qwen3:8b"));
            assertThat(seen).containsExactly("GET /v1/models Bearer sk-local");

            HttpResponse<String> listed = gateway.get("/v1/models", TestGateway.KEY);
            assertThat(listed.body()).contains("\"llama3.2:latest\"", "\"qwen3:8b\"");
            HttpResponse<String> answer = gateway.post("/v1/chat/completions", Chat.body("qwen3:8b", false));
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(JsonTree.of(answer.body()).at("/choices/0/message/content").asString())
                    .isEqualTo("hello from qwen");
        }
    }

    @Test
    void anUnreachableUpstreamLeavesTheChannelWithoutModelsAndTheGatewayStarts() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (TestGateway gateway = TestGateway.start(dir, channel("http://127.0.0.1:" + closed + "/v1", ""))) {
            assertThat(gateway.gateway().router().channels()).singleElement()
                    .satisfies(c -> assertThat(c.config().models()).isEmpty());
            assertThat(gateway.get("/health", null).statusCode()).isEqualTo(200);
            assertThat(gateway.post("/v1/chat/completions", Chat.body("qwen3:8b", false)).statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void anAnswerWithoutADataListIsNoModels() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ModelListing.models(
                tools.jackson.databind.json.JsonMapper.builder().build().readTree("{\"models\":[]}"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
