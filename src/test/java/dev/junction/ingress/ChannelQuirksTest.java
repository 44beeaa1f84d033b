package dev.junction.ingress;

import static dev.junction.testing.TestGateway.channel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.Chat;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Per-channel quirks of OpenAI-compatible providers, end to end on the pass-through path. */
class ChannelQuirksTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private FakeOpenAi fake;
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private void start(String quirks) throws Exception {
        fake = FakeOpenAi.start("sk-fake-local");
        gateway = TestGateway.start(dir, "channels:\n" + channel("local", fake, "{chat: llama3}", quirks));
    }

    @Test
    void dropsRejectedParamsAndSuppliesDefaults() throws Exception {
        start("drop_params: [logprobs, parallel_tool_calls]\ndefaults: {max_tokens: 4096, options: {num_ctx: 8192}}");
        gateway.post("/v1/chat/completions", "{\"model\":\"chat\",\"logprobs\":true,\"parallel_tool_calls\":false,"
                + "\"temperature\":0.25,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        JsonNode sent = fake.received().getFirst().body();
        assertThat(sent.has("logprobs")).isFalse();
        assertThat(sent.has("parallel_tool_calls")).isFalse();
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(4096);
        assertThat(sent.at("/options/num_ctx").asInt()).isEqualTo(8192);
        assertThat(sent.get("temperature").asDouble()).isEqualTo(0.25);
        assertThat(sent.get("model").asString()).isEqualTo("llama3");
    }

    @Test
    void aProviderWithoutStreamOptionsGetsNoneAndTheStreamStillWorks() throws Exception {
        start("stream_options: false");
        HttpResponse<String> response = gateway.post("/v1/chat/completions", Chat.body("chat", true));
        assertThat(response.body()).endsWith("data: [DONE]\n\n");
        assertThat(fake.received().getFirst().body().has("stream_options")).isFalse();
    }

    @Test
    void reasoningContentPassesThroughUntouched() throws Exception {
        start("");
        String answer = "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"deepseek-reasoner\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"4\","
                + "\"reasoning_content\":\"2+2 is 4.\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":5}}";
        fake.then(FakeOpenAi.status(200, answer, Map.of()));
        HttpResponse<String> response = gateway.post("/v1/chat/completions", Chat.body("chat", false));
        assertThat(response.body()).isEqualTo(answer);
    }
}
