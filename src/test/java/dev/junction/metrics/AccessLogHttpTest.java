package dev.junction.metrics;

import static dev.junction.testing.TestGateway.channel;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.junction.testing.Chat;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The access log of a real gateway: one line per request, what it says and what it never says. */
class AccessLogHttpTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);

    @BeforeEach
    void listen() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(lines);
    }

    @Test
    void aRequestLeavesExactlyOneLineWithItsFieldsAndNoSecret() throws Exception {
        try (FakeOpenAi fake = FakeOpenAi.start("sk-fake-f");
                TestGateway gateway = TestGateway.start(dir, "channels:\n"
                        + channel("f", fake, "{flash: up-flash, chat: up-chat}", ""))) {
            // A Gemini client may put its key in the query string: it must not reach the log.
            HttpResponse<String> gemini = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    gateway.baseUrl() + "/v1beta/models/flash:generateContent?key=" + TestGateway.KEY))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Say hi\"}]}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> chat = gateway.post("/v1/chat/completions", Chat.body("chat", true));
            assertThat(gemini.statusCode()).as(gemini.body()).isEqualTo(200);
            assertThat(chat.statusCode()).isEqualTo(200);

            JsonNode line = onlyLineOf(gemini.headers().firstValue("x-request-id").orElseThrow());
            assertThat(line.get("api").asString()).isEqualTo("gemini");
            assertThat(line.get("method").asString()).isEqualTo("POST");
            assertThat(line.get("path").asString()).isEqualTo("/v1beta/models/flash:generateContent");
            assertThat(line.get("status").asInt()).isEqualTo(200);
            assertThat(line.get("model").asString()).isEqualTo("flash");
            assertThat(line.get("channel").asString()).isEqualTo("f");
            assertThat(line.get("upstream_model").asString()).isEqualTo("up-flash");
            assertThat(line.get("attempts").asInt()).isEqualTo(1);
            assertThat(line.get("tokens").get("input").asLong()).isEqualTo(11);
            assertThat(line.get("tokens").get("output").asLong()).isEqualTo(7);
            assertThat(line.get("latency_ms").asLong()).isNotNegative();
            assertThat(line.get("end_reason").asString()).isEqualTo("done");
            assertThat(line.get("key").asString()).isEqualTo("test");
            assertThat(line.get("client_ip").asString()).isEqualTo("127.0.0.1");
            assertThat(line.has("time")).isTrue();

            JsonNode streamed = onlyLineOf(chat.headers().firstValue("x-request-id").orElseThrow());
            assertThat(streamed.get("api").asString()).isEqualTo("openai");
            assertThat(streamed.get("stream").asBoolean()).isTrue();
            assertThat(streamed.get("ttft_ms").isNumber()).isTrue();

            String all = String.join("\n", logged().stream().map(ILoggingEvent::getFormattedMessage).toList());
            assertThat(all).doesNotContain(TestGateway.KEY).doesNotContain("sk-fake-f").doesNotContain("?key")
                    .doesNotContain("Say hi").doesNotContain("hello");
        }
    }

    @Test
    void aRefusedRequestIsLoggedToo() throws Exception {
        try (FakeOpenAi fake = FakeOpenAi.start();
                TestGateway gateway = TestGateway.start(dir, "channels:\n" + channel("f", fake, "[chat]", ""))) {
            HttpResponse<String> refused = gateway.post("/v1/chat/completions", Chat.body("chat", false),
                    "sk-not-a-key");
            assertThat(refused.statusCode()).isEqualTo(401);
            JsonNode line = onlyLineOf(refused.headers().firstValue("x-request-id").orElseThrow());
            assertThat(line.get("status").asInt()).isEqualTo(401);
            assertThat(line.get("end_reason").asString()).isEqualTo("rejected");
            assertThat(line.get("key").isNull()).isTrue();
            assertThat(line.toString()).doesNotContain("sk-not-a-key");
        }
    }

    /** What was logged so far (the appender adds under its own lock, on the access log's thread). */
    private List<ILoggingEvent> logged() {
        synchronized (lines) {
            return List.copyOf(lines.list);
        }
    }

    /** The one line logged for {@code requestId} (observed a moment after the client got its answer). */
    private JsonNode onlyLineOf(String requestId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<JsonNode> found;
        do {
            found = logged().stream().flatMap(e -> e.getFormattedMessage().lines()).map(JSON::readTree)
                    .filter(json -> requestId.equals(json.path("request_id").asString(null))).toList();
            if (found.isEmpty()) {
                Thread.sleep(5);
            }
        } while (found.isEmpty() && System.nanoTime() < deadline);
        assertThat(found).as("access log lines for %s", requestId).hasSize(1);
        return found.getFirst();
    }
}
