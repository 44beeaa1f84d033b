package dev.junction.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A translated request carries only the sampling arguments its target accepts (issue 21, defect 6):
 * a Gemini client's {@code topK} used to reach OpenAI as {@code top_k}, which OpenAI refuses.
 */
class TargetArgumentsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Every sampling field Gemini has. */
    private static final String GEMINI_SAMPLING = """
            {"contents":[{"role":"user","parts":[{"text":"hi"}]}],
             "generationConfig":{"maxOutputTokens":100,"temperature":0.5,"topP":0.9,"topK":40,
               "stopSequences":["END"],"seed":7,"presencePenalty":0.1,"frequencyPenalty":0.2}}""";

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private HttpResponse<String> gemini(TestGateway gateway, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1beta/models/chat:generateContent"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("x-goog-api-key", TestGateway.KEY).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aGeminiRequestWithTopKIsServedByAStrictOpenAiChannelWithoutIt() throws Exception {
        FakeOpenAi openai = FakeOpenAi.start("sk-fake-gpt").strictArguments();
        open.add(openai);
        TestGateway gateway = TestGateway.start(dir, "channels:\n" + TestGateway.channel("gpt", openai, "{chat: gpt-4o}",
                ""));
        open.add(gateway);
        HttpResponse<String> response = gemini(gateway, GEMINI_SAMPLING);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode sent = openai.received().getLast().body();
        assertThat(sent.has("top_k")).isFalse();
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(100);
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.5);
        assertThat(sent.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(sent.path("stop").get(0).asString()).isEqualTo("END");
        assertThat(sent.path("seed").asLong()).isEqualTo(7);
        assertThat(sent.path("presence_penalty").asDouble()).isEqualTo(0.1);
        assertThat(sent.path("frequency_penalty").asDouble()).isEqualTo(0.2);
    }

    @Test
    void anAnthropicChannelGetsTopKButNoArgumentItLacks() throws Exception {
        FakeAnthropic anthropic = FakeAnthropic.start("sk-fake-claude");
        open.add(anthropic);
        TestGateway gateway = TestGateway.start(dir, "channels:\n" + TestGateway.channel("claude", anthropic,
                "{chat: claude-sonnet-4-5}", ""));
        open.add(gateway);
        HttpResponse<String> response = gemini(gateway, GEMINI_SAMPLING);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        FakeProvider.Received sent = anthropic.last();
        assertThat(sent.body().path("top_k").asInt()).isEqualTo(40);
        assertThat(sent.body().has("seed")).isFalse();
        assertThat(sent.body().has("presence_penalty")).isFalse();
        assertThat(sent.body().has("frequency_penalty")).isFalse();
    }
}
