package dev.junction.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.TestGateway;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official openai-java SDK against the gateway, as a user's application would call it. */
class OpenAiSdkTest {

    @TempDir
    static Path dir;

    static FakeOpenAi fake;
    static TestGateway gateway;
    static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        fake = FakeOpenAi.start("sk-fake-upstream");
        gateway = TestGateway.start(dir, "channels:\n" + TestGateway.channel("upstream", fake,
                "{claude-sonnet: glm-4.6}", "").replace("sk-fake-upstream", "sk-fake-upstream"));
        client = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey(TestGateway.KEY)
                .maxRetries(0).build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        gateway.close();
        fake.close();
    }

    private static ChatCompletionCreateParams.Builder params() {
        return ChatCompletionCreateParams.builder().model("claude-sonnet").addUserMessage("What is the weather?")
                .addFunctionTool(FunctionDefinition.builder().name("get_weather").description("Weather in a city")
                        .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of("city",
                                        Map.of("type", "string")))).build()).build());
    }

    @Test
    void nonStreamedText() {
        fake.then(FakeOpenAi.text("Sunny, 21 degrees."));
        ChatCompletion completion = client.chat().completions().create(params().build());
        assertThat(completion.choices().getFirst().message().content()).contains("Sunny, 21 degrees.");
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(11);
    }

    @Test
    void nonStreamedParallelToolCalls() {
        fake.then(FakeOpenAi.toolCalls(new FakeOpenAi.Call("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                new FakeOpenAi.Call("call_2", "get_weather", "{\"city\":\"Rome\"}")));
        ChatCompletion completion = client.chat().completions().create(params().build());
        List<ChatCompletionMessageToolCall> calls = completion.choices().getFirst().message().toolCalls()
                .orElseThrow();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).asFunction().function().name()).isEqualTo("get_weather");
        assertThat(calls.get(1).asFunction().function().arguments()).isEqualTo("{\"city\":\"Rome\"}");
        assertThat(completion.choices().getFirst().finishReason())
                .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    }

    @Test
    void streamedText() {
        fake.then(new FakeOpenAi.Text("It is sunny today.", 4, 9, 5));
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(params().build())) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
        }
        assertThat(text).hasToString("It is sunny today.");
    }

    @Test
    void streamedToolCallsAssembleByIndex() {
        fake.then(FakeOpenAi.toolCalls(new FakeOpenAi.Call("call_a", "get_weather", "{\"city\":\"Oslo\"}"),
                new FakeOpenAi.Call("call_b", "get_weather", "{\"city\":\"Lima\"}")));
        Map<Long, StringBuilder> arguments = new TreeMap<>();
        Map<Long, String> ids = new HashMap<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(params().build())) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().toolCalls().ifPresent(calls ->
                    calls.forEach(call -> {
                        call.id().ifPresent(id -> ids.put(call.index(), id));
                        call.function().flatMap(f -> f.arguments()).ifPresent(a ->
                                arguments.computeIfAbsent(call.index(), i -> new StringBuilder()).append(a));
                    }))));
        }
        assertThat(ids).containsEntry(0L, "call_a").containsEntry(1L, "call_b");
        assertThat(arguments.get(0L)).hasToString("{\"city\":\"Oslo\"}");
        assertThat(arguments.get(1L)).hasToString("{\"city\":\"Lima\"}");
    }

    @Test
    void sdkSeesGatewayErrorsAsTypedExceptions() {
        assertThatThrownBy(() -> client.chat().completions().create(params().model("unknown-model").build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("does not exist");
        OpenAIClient wrongKey = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1")
                .apiKey("sk-wrong-key-000").maxRetries(0).build();
        try {
            assertThatThrownBy(() -> wrongKey.chat().completions().create(params().build()))
                    .isInstanceOf(UnauthorizedException.class);
        } finally {
            wrongKey.close();
        }
    }

    @Test
    void listsModels() {
        assertThat(client.models().list().data()).extracting(m -> m.id()).containsExactly("claude-sonnet");
    }
}
