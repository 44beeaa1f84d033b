package dev.junction.ingress;

import static dev.junction.testing.FakeProvider.call;
import static dev.junction.testing.FakeProvider.text;
import static dev.junction.testing.FakeProvider.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.TestGateway;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official openai-java SDK's {@code client.responses()} against an anthropic channel through the gateway. */
class ResponsesSdkTest {

    @TempDir
    static Path dir;

    static FakeAnthropic fake;
    static TestGateway gateway;
    static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        fake = FakeAnthropic.start("sk-fake-claude");
        gateway = TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("claude", fake, "{gpt-5: claude-sonnet-4-5}", ""));
        client = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey(TestGateway.KEY)
                .maxRetries(0).responseValidation(true).build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        gateway.close();
        fake.close();
    }

    @Test
    void createReturnsAValidResponseWithUsage() {
        fake.then(text("Hello from Claude"));

        Response response = client.responses().create(ResponseCreateParams.builder().model("gpt-5")
                .input("Say hello").instructions("Be brief.").build());

        assertThat(response.id()).startsWith("resp_");
        assertThat(response.output()).hasSize(1);
        assertThat(response.output().getFirst().asMessage().content().getFirst().asOutputText().text())
                .isEqualTo("Hello from Claude");
        assertThat(response.usage()).hasValueSatisfying(u -> {
            assertThat(u.inputTokens()).isEqualTo(11);
            assertThat(u.outputTokens()).isEqualTo(7);
            assertThat(u.totalTokens()).isEqualTo(18);
        });
        Response fetched = client.responses().retrieve(response.id());
        assertThat(fetched.id()).isEqualTo(response.id());
    }

    @Test
    void streamingDeliversTypedEventsEndingInCompleted() {
        fake.then(toolCalls(call("get_weather", "{\"city\":\"Paris\"}")));

        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
                ResponseCreateParams.builder().model("gpt-5").input("Weather in Paris?")
                        .addTool(com.openai.models.responses.FunctionTool.builder().name("get_weather")
                                .parameters(com.openai.models.responses.FunctionTool.Parameters.builder()
                                        .putAdditionalProperty("type", com.openai.core.JsonValue.from("object"))
                                        .build())
                                .strict(false).build())
                        .build())) {
            stream.stream().forEach(events::add);
        }

        assertThat(events.getFirst().isCreated()).isTrue();
        assertThat(events.stream().filter(ResponseStreamEvent::isFunctionCallArgumentsDelta)).isNotEmpty();
        ResponseStreamEvent last = events.getLast();
        assertThat(last.isCompleted()).isTrue();
        ResponseOutputItem item = last.asCompleted().response().output().getFirst();
        assertThat(item.asFunctionCall().name()).isEqualTo("get_weather");
        assertThat(item.asFunctionCall().arguments()).contains("Paris");
        assertThat(last.asCompleted().response().usage()).isPresent();
    }
}
