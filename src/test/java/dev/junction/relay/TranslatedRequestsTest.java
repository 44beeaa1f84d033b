package dev.junction.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request translated for an openai channel that serves one of OpenAI's own models is one OpenAI
 * accepts: sampling parameters other APIs have and OpenAI lacks are left out rather than sent to a
 * provider that refuses unknown fields (the strict fake does, as OpenAI does).
 */
class TranslatedRequestsTest {

    @TempDir
    Path dir;

    private FakeOpenAi openAi;
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (openAi != null) {
            openAi.close();
        }
    }

    private void start() throws Exception {
        openAi = FakeOpenAi.start("sk-fake-gpt");
        gateway = TestGateway.start(dir, "channels:\n" + TestGateway.channel("gpt", openAi, "{chat: gpt-4.1}", ""));
    }

    @Test
    void aGeminiClientsTopKDoesNotReachAnOpenAiModel() throws Exception {
        start();
        HttpResponse<String> response = gateway.post("/v1beta/models/chat:generateContent", "{\"contents\":[{\"role\":"
                + "\"user\",\"parts\":[{\"text\":\"Say hi\"}]}],\"generationConfig\":{\"topK\":64,\"topP\":0.95}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(openAi.last().body().has("top_k")).isFalse();
    }

    @Test
    void anAnthropicClientsTopKDoesNotReachAnOpenAiModel() throws Exception {
        start();
        HttpResponse<String> response = gateway.postWithHeaders("/v1/messages", "{\"model\":\"chat\",\"max_tokens\":64,"
                + "\"top_k\":40,\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}]}",
                Map.of("anthropic-version", "2023-06-01"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(openAi.last().body().has("top_k")).isFalse();
    }
}
