package dev.junction.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.protocol.JsonTrees;
import dev.junction.testing.Chat;
import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.Opened;
import dev.junction.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A provider's 400 about the request itself (prompt too long, an unsupported feature) fails over;
 * when no other channel can serve it, the client gets that provider's status and words in its own
 * API, not the gateway's 503 (issue 16, bug 1): Claude Code compacts on "prompt is too long".
 */
class CannotServeTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TOO_LONG = "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
            + "\"message\":\"prompt is too long: 210000 tokens > 200000 maximum\"}}";

    @TempDir
    Path dir;

    @RegisterExtension
    final Opened open = new Opened();

    private <T extends AutoCloseable> T opened(T closeable) {
        return open.add(closeable);
    }

    private static HttpResponse<String> messages(TestGateway gateway) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/messages"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"chat\","
                        + "\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .header("Content-Type", "application/json").header("x-api-key", TestGateway.KEY)
                .header("anthropic-version", "2023-06-01").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPromptTooLongFromTheOnlyChannelReachesAnAnthropicClientAsTheProvidersOwnError() throws Exception {
        FakeAnthropic anthropic = opened(FakeAnthropic.start("sk-fake-claude"));
        TestGateway gateway = opened(TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("claude", anthropic, "{chat: claude-sonnet-4-5}", "")));
        anthropic.always(new FakeProvider.Status(400, TOO_LONG, Map.of()));
        HttpResponse<String> response = messages(gateway);
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JsonTrees.MAPPER.readTree(response.body());
        assertThat(error.at("/type").asString()).isEqualTo("error");
        assertThat(error.at("/error/type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.at("/error/message").asString()).startsWith("prompt is too long");
    }

    @Test
    void whenEveryChannelRefusesTheRequestTheClientGetsTheLastRefusalInItsOwnShape() throws Exception {
        FakeOpenAi openai = opened(FakeOpenAi.start("sk-fake-gpt"));
        FakeAnthropic anthropic = opened(FakeAnthropic.start("sk-fake-claude"));
        TestGateway gateway = opened(TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("gpt", openai, "{chat: gpt-4o}", "priority: 10")
                + TestGateway.channel("claude", anthropic, "{chat: claude-sonnet-4-5}", "")));
        openai.always(new FakeOpenAi.Status(400, "{\"error\":{\"message\":\"This model's maximum context length is "
                + "128000 tokens.\",\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}",
                Map.of()));
        anthropic.always(new FakeProvider.Status(400, TOO_LONG, Map.of()));
        HttpResponse<String> response = gateway.post("/v1/chat/completions", Chat.body("chat", false));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("x-junction-attempts")).contains("2");
        JsonNode error = JsonTrees.MAPPER.readTree(response.body());
        assertThat(error.at("/error/type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.at("/error/message").asString()).contains("prompt is too long");
        assertThat(openai.requestCount()).isEqualTo(1);
        assertThat(anthropic.requestCount()).isEqualTo(1);
    }

    @Test
    void aChannelThatLacksTheModelStillEndsInTheGatewaysError() throws Exception {
        FakeOpenAi openai = opened(FakeOpenAi.start("sk-fake-gpt"));
        TestGateway gateway = opened(TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("gpt", openai, "{chat: gpt-4o}", "")));
        openai.always(new FakeOpenAi.Status(404, "{\"error\":{\"message\":\"The model does not exist\","
                + "\"type\":\"invalid_request_error\",\"code\":\"model_not_found\"}}", Map.of()));
        HttpResponse<String> response = gateway.post("/v1/chat/completions", Chat.body("chat", false));
        assertThat(response.statusCode()).isEqualTo(503);
    }
}
