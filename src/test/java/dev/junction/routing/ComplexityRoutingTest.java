package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Complexity routing over real HTTP: the public model {@code auto} sends a simple prompt to the cheap
 * model's channel and a tool-using or code-heavy one to the strong model's; a conversation that went
 * hard stays hard; a simple request falls back to the strong model when the cheap one is down; the
 * usage row's path says which tier was chosen and why.
 */
class ComplexityRoutingTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private FakeOpenAi cheap;
    private FakeOpenAi strong;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        cheap = opened(FakeOpenAi.start("sk-fake-cheap-channel"));
        strong = opened(FakeOpenAi.start("sk-fake-strong-channel"));
        gateway = opened(TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("cheap-channel", cheap, "{small: glm-4.5-air}", "")
                + TestGateway.channel("strong-channel", strong, "{frontier: claude-sonnet-4-5}", "")
                + "routing:\n  auto:\n    complexity: { simple: small, hard: frontier }\n"));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T opened(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private static String channelOf(HttpResponse<String> response) {
        return response.headers().firstValue("x-junction-channel").orElse("");
    }

    private HttpResponse<String> chat(String messages, String extra) throws Exception {
        return gateway.post("/v1/chat/completions", "{\"model\":\"auto\",\"messages\":" + messages + extra + "}");
    }

    private static String user(String text) {
        return "[{\"role\":\"user\",\"content\":" + tools.jackson.databind.json.JsonMapper.builder().build()
                .writeValueAsString(text) + "}]";
    }

    static final String TOOLS = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"read_file\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}}}]";

    @Test
    void aSimplePromptReachesTheCheapChannelAndAToolOrCodeHeavyOneTheStrongOne() throws Exception {
        HttpResponse<String> simple = chat(user("What is the capital of France?"), "");
        assertThat(simple.statusCode()).as(simple.body()).isEqualTo(200);
        assertThat(channelOf(simple)).isEqualTo("cheap-channel");
        assertThat(simple.headers().firstValue("x-junction-model")).contains("small");
        assertThat(simple.headers().firstValue("x-junction-complexity")).contains("simple; score=0");
        assertThat(cheap.last().body().path("model").asString()).isEqualTo("glm-4.5-air");

        HttpResponse<String> tools = chat(user("Open the README"), TOOLS);
        assertThat(channelOf(tools)).isEqualTo("strong-channel");
        assertThat(tools.headers().firstValue("x-junction-complexity")).contains("hard; score=3");

        HttpResponse<String> code = chat(user("Debug this, step by step:\n```java\nint x = y / 0;\n```"), "");
        assertThat(channelOf(code)).isEqualTo("strong-channel");
        assertThat(strong.last().body().path("model").asString()).isEqualTo("claude-sonnet-4-5");

        assertThat(cheap.requestCount()).isEqualTo(1);
        assertThat(strong.requestCount()).isEqualTo(2);
        List<Map<String, Object>> rows = gateway.usageRows(3);
        assertThat(rows).extracting(r -> r.get("public_model")).containsOnly("auto");
        assertThat(String.valueOf(rows.get(0).get("attempts"))).contains("auto: simple → small (score 0 < 3)");
        assertThat(String.valueOf(rows.get(1).get("attempts"))).contains("auto: hard → frontier (score 3 ≥ 3)");
    }

    @Test
    void aConversationThatWentHardStaysHardAndASimpleOneFallsBackToTheStrongModel() throws Exception {
        Map<String, String> session = Map.of("x-junction-session", "conv-1");
        HttpResponse<String> first = gateway.postWithHeaders("/v1/chat/completions",
                "{\"model\":\"auto\",\"messages\":" + user("Refactor this module") + TOOLS + "}", session);
        assertThat(channelOf(first)).isEqualTo("strong-channel");
        HttpResponse<String> next = gateway.postWithHeaders("/v1/chat/completions",
                "{\"model\":\"auto\",\"messages\":" + user("thanks") + "}", session);
        assertThat(channelOf(next)).isEqualTo("strong-channel");
        assertThat(next.headers().firstValue("x-junction-complexity")).hasValueSatisfying(v -> assertThat(v).startsWith("hard"));
        HttpResponse<String> other = gateway.postWithHeaders("/v1/chat/completions",
                "{\"model\":\"auto\",\"messages\":" + user("thanks") + "}", Map.of("x-junction-session", "conv-2"));
        assertThat(channelOf(other)).isEqualTo("cheap-channel");

        cheap.then(FakeProvider.status(503));
        HttpResponse<String> fellBack = chat(user("hello"), "");
        assertThat(fellBack.statusCode()).isEqualTo(200);
        assertThat(channelOf(fellBack)).isEqualTo("strong-channel");
        assertThat(fellBack.headers().firstValue("x-junction-attempts")).contains("2");
    }

    @Test
    void theModelListAndExplainShowTheRouter() throws Exception {
        HttpResponse<String> models = gateway.get("/v1/models", TestGateway.KEY);
        assertThat(models.body()).contains("\"auto\"");
    }
}
