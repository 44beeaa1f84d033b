package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.protocol.JsonTrees;
import dev.junction.testing.Chat;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.Opened;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Capability-aware candidates over real HTTP (issue 15): a request lands only on channels whose
 * upstream model can serve what it uses, from the catalog and the channels' {@code capabilities:}.
 */
class CapabilityRoutingTest {

    static final String TOOLS = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"}],"
            + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"weather\",\"parameters\":"
            + "{\"type\":\"object\",\"properties\":{}}}}]}";

    @TempDir
    Path dir;

    @RegisterExtension
    final Opened open = new Opened();

    private <T extends AutoCloseable> T opened(T closeable) {
        return open.add(closeable);
    }

    @Test
    void aToolRequestNeverReachesTheToolLessChannelWhileAPlainChatStillMay() throws Exception {
        FakeOpenAi plain = opened(FakeOpenAi.start("sk-fake-plain"));
        FakeOpenAi toolsA = opened(FakeOpenAi.start("sk-fake-tools-a"));
        FakeOpenAi toolsB = opened(FakeOpenAi.start("sk-fake-tools-b"));
        TestGateway gateway = opened(TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("plain", plain, "{chat: plain-model}",
                        "weight: 10\ncapabilities:\n  plain-model: { tools: false }")
                + TestGateway.channel("tools-a", toolsA, "{chat: tool-model-a}",
                        "capabilities:\n  tool-model-a: { tools: true }")
                + TestGateway.channel("tools-b", toolsB, "{chat: tool-model-b}", "")));
        for (int i = 0; i < 30; i++) {
            assertThat(gateway.post("/v1/chat/completions", TOOLS).statusCode()).isEqualTo(200);
        }
        assertThat(plain.requestCount()).isZero();
        assertThat(toolsA.requestCount() + toolsB.requestCount()).isEqualTo(30);
        assertThat(toolsA.requestCount()).isPositive();
        assertThat(toolsB.requestCount()).isPositive();
        for (int i = 0; i < 30; i++) {
            assertThat(gateway.post("/v1/chat/completions", Chat.body("chat", false)).statusCode()).isEqualTo(200);
        }
        assertThat(plain.requestCount()).isPositive();
    }

    @Test
    void aPromptOfTwoHundredThousandTokensSkipsTheChannelWithA128kWindow() throws Exception {
        FakeOpenAi small = opened(FakeOpenAi.start("sk-fake-small"));
        FakeOpenAi large = opened(FakeOpenAi.start("sk-fake-large"));
        TestGateway gateway = opened(TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("small", small, "{chat: small-model}",
                        "priority: 10\ncapabilities:\n  small-model: { context_window: 128000 }")
                + TestGateway.channel("large", large, "{chat: large-model}",
                        "capabilities:\n  large-model: { context_window: 1000000 }")));
        String prompt = "lorem ipsum ".repeat(800_000 / 12);
        String body = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
        HttpResponse<String> response = gateway.post("/v1/chat/completions", body);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-junction-channel")).contains("large");
        assertThat(small.requestCount()).isZero();
        // A short prompt still goes to the preferred small channel.
        assertThat(gateway.post("/v1/chat/completions", Chat.body("chat", false)).headers()
                .firstValue("x-junction-channel")).contains("small");
    }

    @Test
    void whenNoChannelQualifiesTheClientGetsA400NamingWhatWasMissingWhere() throws Exception {
        FakeOpenAi small = opened(FakeOpenAi.start("sk-fake-small"));
        FakeOpenAi plain = opened(FakeOpenAi.start("sk-fake-plain"));
        TestGateway gateway = opened(TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("small", small, "{chat: small-model}",
                        "capabilities:\n  small-model: { context_window: 8000, tools: true }")
                + TestGateway.channel("plain", plain, "{chat: plain-model}",
                        "capabilities:\n  plain-model: { tools: false }")));
        String prompt = "lorem ipsum ".repeat(4_000);
        String body = TOOLS.replace("weather?", prompt);
        HttpResponse<String> response = gateway.post("/v1/chat/completions", body);
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JsonTrees.MAPPER.readTree(response.body());
        String message = error.at("/error/message").asString();
        assertThat(error.at("/error/type").asString()).isEqualTo("invalid_request_error");
        assertThat(message).contains("small (small-model): context_window 8000").contains("plain (plain-model): no tools");
        assertThat(small.requestCount() + plain.requestCount()).isZero();
    }

    @Test
    void aCataloguedModelWithoutVisionIsSkippedForAnImageAndAnUnknownOneIsAssumedCapable() throws Exception {
        FakeOpenAi reasoner = opened(FakeOpenAi.start("sk-fake-reasoner"));
        FakeOpenAi unknown = opened(FakeOpenAi.start("sk-fake-unknown"));
        TestGateway gateway = opened(TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("reasoner", reasoner, "{chat: deepseek-reasoner}", "priority: 10")
                + TestGateway.channel("unknown", unknown, "{chat: some-model-nobody-knows}", "")));
        String image = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"what is this?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":"
                + "\"data:image/png;base64," + "A".repeat(50_000) + "\"}}]}]}";
        HttpResponse<String> response = gateway.post("/v1/chat/completions", image);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-junction-channel")).contains("unknown");
        assertThat(reasoner.requestCount()).isZero();
    }
}
