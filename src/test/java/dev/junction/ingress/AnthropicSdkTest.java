package dev.junction.ingress;

import static dev.junction.testing.FakeProvider.call;
import static dev.junction.testing.FakeProvider.text;
import static dev.junction.testing.FakeProvider.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeGemini;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.TestGateway;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official anthropic-java SDK against the gateway, as an application calls it: every answer
 * must parse into the SDK's types, whether an Anthropic channel serves it byte for byte or a
 * Gemini or OpenAI channel serves it by translation. The public model name picks the channel.
 */
class AnthropicSdkTest {

    @TempDir
    static Path dir;

    static FakeAnthropic anthropic;
    static FakeGemini gemini;
    static FakeOpenAi openai;
    static TestGateway gateway;
    static AnthropicClient client;

    @BeforeAll
    static void start() throws Exception {
        anthropic = FakeAnthropic.start("sk-fake-claude");
        gemini = FakeGemini.start("sk-fake-gemini");
        openai = FakeOpenAi.start("sk-fake-openai");
        gateway = TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("openai", openai, "{gpt: gpt-5}", "")
                + TestGateway.channel("claude", anthropic, "{claude: claude-sonnet-4-5}", "")
                + TestGateway.channel("gemini", gemini, "{gemini: gemini-2.5-flash}", ""));
        client = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey(TestGateway.KEY).maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        gateway.close();
        anthropic.close();
        gemini.close();
        openai.close();
    }

    static FakeProvider fake(String model) {
        return model.equals("claude") ? anthropic : gemini;
    }

    /** Queues a text answer on the fake behind {@code model}. */
    static void textReply(String model, String content, int pieces, long input, long output) {
        if (model.equals("gpt")) {
            openai.then(new FakeOpenAi.Text(content, pieces, input, output));
        } else {
            fake(model).then(new FakeProvider.Text(content, pieces, input, output));
        }
    }

    /** Scripts a get_weather call for Paris, then {@code answer} once the result is back; null clears. */
    static void weatherRoundTrip(String model, String answer) {
        if (model.equals("gpt")) {
            if (answer == null) {
                openai.always(FakeOpenAi.text("Hello from the fake."));
            } else {
                openai.toolRoundTrip(FakeOpenAi.toolCalls(new FakeOpenAi.Call("call_w1", "get_weather",
                        "{\"city\":\"Paris\"}")), FakeOpenAi.text(answer));
            }
        } else if (answer == null) {
            fake(model).always(text("Hello from the fake."));
        } else {
            fake(model).toolRoundTrip(toolCalls(call("get_weather", "{\"city\":\"Paris\"}")), text(answer));
        }
    }

    static boolean lastCarriesToolResult(String model) {
        return model.equals("gpt") ? openai.received().getLast().carriesToolResult()
                : fake(model).last().carriesToolResult();
    }

    static MessageCreateParams.Builder params(String model) {
        return MessageCreateParams.builder().model(model).maxTokens(1024).system("Be brief.")
                .addUserMessage("What is the weather in Paris?");
    }

    static final Tool WEATHER = Tool.builder().name("get_weather").description("Weather in a city")
            .inputSchema(Tool.InputSchema.builder()
                    .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                    .putAdditionalProperty("required", JsonValue.from(List.of("city"))).build())
            .build();

    @ParameterizedTest
    @ValueSource(strings = {"claude", "gemini", "gpt"})
    void aWholeAnswerParses(String model) {
        textReply(model, "Sunny, 21 degrees.", 3, 11, 7);
        Message message = client.messages().create(params(model).build());
        assertThat(message.content()).singleElement().satisfies(block ->
                assertThat(block.text().orElseThrow().text()).isEqualTo("Sunny, 21 degrees."));
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.usage().outputTokens()).isEqualTo(7);
        assertThat(message.usage().inputTokens() + message.usage().cacheReadInputTokens().orElse(0L)
                + message.usage().cacheCreationInputTokens().orElse(0L)).isEqualTo(11);
    }

    @ParameterizedTest
    @ValueSource(strings = {"claude", "gemini", "gpt"})
    void aStreamAccumulatesIntoTheSameMessage(String model) {
        textReply(model, "It is sunny today.", 4, 9, 5);
        Message message = stream(params(model).build());
        assertThat(message.content()).singleElement().satisfies(block ->
                assertThat(block.text().orElseThrow().text()).isEqualTo("It is sunny today."));
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.usage().outputTokens()).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"claude", "gemini", "gpt"})
    void aToolRoundTripStreamed(String model) {
        weatherRoundTrip(model, "Sunny in Paris.");
        try {
            MessageCreateParams first = params(model).addTool(WEATHER).build();
            Message call = stream(first);
            assertThat(call.stopReason()).contains(StopReason.TOOL_USE);
            ToolUseBlock use = call.content().stream().map(ContentBlock::toolUse).flatMap(java.util.Optional::stream)
                    .findFirst().orElseThrow();
            assertThat(use.name()).isEqualTo("get_weather");
            assertThat(use._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
            MessageCreateParams second = first.toBuilder().addMessage(call)
                    .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam
                            .builder().toolUseId(use.id()).content("Sunny, 21 degrees").build())))
                    .build();
            Message answer = client.messages().create(second);
            assertThat(answer.content().getFirst().text().orElseThrow().text()).isEqualTo("Sunny in Paris.");
            assertThat(lastCarriesToolResult(model)).isTrue();
        } finally {
            weatherRoundTrip(model, null);
        }
    }

    @Test
    void gatewayErrorsBecomeTheSdksExceptions() {
        assertThatThrownBy(() -> client.messages().create(params("no-such-model").build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no-such-model");
        AnthropicClient stranger = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl())
                .apiKey("sk-wrong").maxRetries(0).build();
        try {
            assertThatThrownBy(() -> stranger.messages().create(params("claude").build()))
                    .isInstanceOf(UnauthorizedException.class);
        } finally {
            stranger.close();
        }
    }

    private static Message stream(MessageCreateParams params) {
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> events = client.messages().createStreaming(params)) {
            events.stream().forEach(accumulator::accumulate);
        }
        return accumulator.message();
    }
}
