package dev.junction.ingress;

import static dev.junction.testing.FakeProvider.call;
import static dev.junction.testing.FakeProvider.text;
import static dev.junction.testing.FakeProvider.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ReasoningEffort;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeGemini;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.JsonTree;
import dev.junction.testing.TestGateway;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The official openai-java SDK against Anthropic and Gemini channels, as an application would call
 * them: every answer must have the shape an OpenAI model gives, whichever provider serves it. The
 * fakes validate the translated requests as the real APIs do, so a malformed translation fails
 * here with the provider's 400. Each test runs once per provider; the public model name picks it.
 */
class TranslationSdkTest {

    @TempDir
    static Path dir;

    static FakeAnthropic anthropic;
    static FakeGemini gemini;
    static TestGateway gateway;
    static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        anthropic = FakeAnthropic.start("sk-fake-claude");
        gemini = FakeGemini.start("sk-fake-gemini");
        gateway = TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("claude", anthropic,
                        "{claude: claude-sonnet-4-5, claude-3: claude-3-haiku-20240307}", "")
                + TestGateway.channel("gemini", gemini,
                        "{gemini: gemini-2.5-flash, gemini-3: gemini-3-pro-preview}", ""));
        client = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey(TestGateway.KEY)
                .maxRetries(0).build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        gateway.close();
        anthropic.close();
        gemini.close();
    }

    @BeforeEach
    void reset() {
        anthropic.always(text("Hello from the fake."));
        gemini.always(text("Hello from the fake."));
    }

    private static FakeProvider fake(String model) {
        return model.startsWith("claude") ? anthropic : gemini;
    }

    private static JsonNode sent(String model) {
        return fake(model).last().body();
    }

    private static ChatCompletionCreateParams.Builder params(String model) {
        return ChatCompletionCreateParams.builder().model(model)
                .addUserMessage("What is the weather in Paris and Rome?")
                .addFunctionTool(FunctionDefinition.builder().name("get_weather").description("Weather in a city")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of("city",
                                        Map.of("type", "string", "description", "City name"))))
                                .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                                .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                                .putAdditionalProperty("$schema", JsonValue.from(
                                        "http://json-schema.org/draft-07/schema#"))
                                .build()).build());
    }

    private static ChatCompletion stream(ChatCompletionCreateParams params, List<ChatCompletionChunk> chunks) {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                accumulator.accumulate(chunk);
            });
        }
        return accumulator.chatCompletion();
    }

    private static String extra(ChatCompletionMessage message, String field) {
        JsonValue value = message._additionalProperties().get(field);
        return value == null ? null : value.convert(String.class);
    }

    // --- text ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"claude", "gemini"})
    void nonStreamedTextHasOpenAisShapeAndUsage(String model) {
        fake(model).then(new FakeProvider.Text("Sunny, 21 degrees.", 3, 11, 7));
        ChatCompletion completion = client.chat().completions().create(params(model).build());
        ChatCompletion.Choice choice = completion.choices().getFirst();
        assertThat(choice.message().content()).contains("Sunny, 21 degrees.");
        assertThat(choice.message().toolCalls().orElse(List.of())).isEmpty();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.id()).startsWith("chatcmpl-");
        var usage = completion.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(11);
        assertThat(usage.completionTokens()).isEqualTo(7);
        assertThat(usage.totalTokens()).isEqualTo(18);
        assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).contains(4L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"claude", "gemini"})
    void streamedTextArrivesInPiecesWithOneFinishAndTheUsageChunkOnRequest(String model) {
        fake(model).then(new FakeProvider.Text("It is sunny today.", 4, 9, 5));
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletion completion = stream(params(model).streamOptions(ChatCompletionStreamOptions.builder()
                .includeUsage(true).build()).build(), chunks);
        assertThat(completion.choices().getFirst().message().content()).contains("It is sunny today.");
        assertThat(chunks.stream().filter(c -> c.choices().stream().anyMatch(ch -> ch.finishReason().isPresent())))
                .hasSize(1);
        assertThat(chunks.stream().filter(c -> c.choices().stream().anyMatch(ch -> ch.delta().content().isPresent()
                && !ch.delta().content().get().isEmpty()))).hasSizeGreaterThanOrEqualTo(3);
        ChatCompletionChunk last = chunks.getLast();
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().promptTokens()).isEqualTo(9);
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(5);
    }

    // --- tools --------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"claude", "gemini"})
    void aSingleToolCallComesBackAsOpenAiToolCall(String model) {
        fake(model).then(toolCalls(call("get_weather", "{\"city\":\"Paris\"}")));
        ChatCompletion.Choice choice = client.chat().completions().create(params(model).build()).choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        List<ChatCompletionMessageToolCall> calls = choice.message().toolCalls().orElseThrow();
        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.asFunction().id()).isNotBlank();
            assertThat(call.asFunction().function().name()).isEqualTo("get_weather");
            assertThat(JsonTree.of(call.asFunction().function().arguments()))
                    .isEqualTo(JsonTree.of("{\"city\":\"Paris\"}"));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"claude", "gemini"})
    void parallelToolCallsAreAllKept(String model) {
        fake(model).then(new FakeProvider.ToolCalls("Let me check both.", List.of(
                call("get_weather", "{\"city\":\"Paris\"}"), call("get_weather", "{\"city\":\"Rome\"}"))));
        ChatCompletion.Choice choice = client.chat().completions().create(params(model).build()).choices().getFirst();
        List<ChatCompletionMessageToolCall> calls = choice.message().toolCalls().orElseThrow();
        assertThat(calls).extracting(c -> c.asFunction().function().arguments())
                .containsExactly("{\"city\":\"Paris\"}", "{\"city\":\"Rome\"}");
        assertThat(calls).extracting(c -> c.asFunction().id()).doesNotHaveDuplicates();
        assertThat(choice.message().content()).contains("Let me check both.");
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"claude", "gemini"})
    void streamedParallelToolCallsAssembleByIndexEvenAfterText(String model) {
        fake(model).then(new FakeProvider.ToolCalls("Checking.", List.of(call("get_weather", "{\"city\":\"Oslo\"}"),
                call("get_weather", "{\"city\":\"Lima\"}"))));
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletion completion = stream(params(model).build(), chunks);
        Map<Long, StringBuilder> arguments = new TreeMap<>();
        Map<Long, String> ids = new HashMap<>();
        chunks.forEach(chunk -> chunk.choices().forEach(c -> c.delta().toolCalls().ifPresent(calls -> calls.forEach(
                call -> {
                    call.id().ifPresent(id -> ids.put(call.index(), id));
                    call.function().flatMap(f -> f.arguments()).ifPresent(a ->
                            arguments.computeIfAbsent(call.index(), i -> new StringBuilder()).append(a));
                }))));
        assertThat(ids).containsOnlyKeys(0L, 1L);
        assertThat(arguments.get(0L)).hasToString("{\"city\":\"Oslo\"}");
        assertThat(arguments.get(1L)).hasToString("{\"city\":\"Lima\"}");
        ChatCompletion.Choice choice = completion.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(choice.message().content()).contains("Checking.");
        assertThat(choice.message().toolCalls().orElseThrow()).extracting(c -> c.asFunction().function().name())
                .containsExactly("get_weather", "get_weather");
    }

    @ParameterizedTest
    @ValueSource(strings = {"claude", "gemini", "gemini-3"})
    void aMultiTurnToolRoundTripIsAcceptedByTheProvider(String model) {
        fake(model).then(toolCalls(call("get_weather", "{\"city\":\"Paris\"}"), call("get_weather",
                "{\"city\":\"Rome\"}")), toolCalls(call("get_weather", "{\"city\":\"Oslo\"}")),
                text("Paris 21, Rome 25, Oslo 9."));
        ChatCompletionCreateParams.Builder conversation = params(model);
        ChatCompletionMessage first = client.chat().completions().create(conversation.build()).choices().getFirst()
                .message();
        conversation.addMessage(first);
        for (ChatCompletionMessageToolCall call : first.toolCalls().orElseThrow()) {
            conversation.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.asFunction().id())
                    .content(call.asFunction().function().arguments().contains("Paris") ? "21 degrees"
                            : "{\"temperature\":25}").build());
        }
        // The second step streams, and the SDK rebuilds the message from the chunks.
        ChatCompletionMessage second = stream(conversation.build(), new ArrayList<>()).choices().getFirst().message();
        conversation.addMessage(second);
        ChatCompletionMessageToolCall oslo = second.toolCalls().orElseThrow().getFirst();
        conversation.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(oslo.asFunction().id())
                .content("9 degrees").build());
        ChatCompletion last = client.chat().completions().create(conversation.build());
        assertThat(last.choices().getFirst().message().content()).contains("Paris 21, Rome 25, Oslo 9.");
        assertThat(fake(model).requestCount()).isGreaterThanOrEqualTo(3);
        JsonNode body = sent(model);
        if (model.startsWith("claude")) {
            JsonNode messages = body.get("messages");
            assertThat(messages).hasSize(5); // user, assistant, user(results), assistant, user(result)
            assertThat(messages.get(2).get("content")).hasSize(2);
            assertThat(JsonTree.of(messages.get(2).at("/content/1/content").asString()))
                    .isEqualTo(JsonTree.of("{\"temperature\":25}"));
        } else {
            JsonNode contents = body.get("contents");
            assertThat(contents).hasSize(5);
            assertThat(contents.get(2).get("parts")).allSatisfy(p -> assertThat(p.at("/functionResponse/name")
                    .asString()).isEqualTo("get_weather"));
            assertThat(contents.get(2).at("/parts/0/functionResponse/response/content").asString())
                    .isEqualTo("21 degrees");
            assertThat(contents.get(2).at("/parts/1/functionResponse/response/temperature").asInt()).isEqualTo(25);
            assertThat(contents.get(1).at("/parts/0/thoughtSignature").asString()).isNotEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"claude", "gemini"})
    void toolChoiceVariantsReachTheProvider(String model) {
        client.chat().completions().create(params(model).toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED)
                .parallelToolCalls(false).build());
        JsonNode required = sent(model);
        client.chat().completions().create(params(model).toolChoice(ChatCompletionToolChoiceOption
                .ofNamedToolChoice(ChatCompletionNamedToolChoice.builder().function(
                        ChatCompletionNamedToolChoice.Function.builder().name("get_weather").build()).build()))
                .build());
        JsonNode named = sent(model);
        client.chat().completions().create(params(model).toolChoice(ChatCompletionToolChoiceOption.Auto.NONE).build());
        JsonNode none = sent(model);
        client.chat().completions().create(params(model).build());
        JsonNode auto = sent(model);
        if (model.startsWith("claude")) {
            assertThat(JsonTree.of(required.get("tool_choice")))
                    .isEqualTo(JsonTree.of("{\"type\":\"any\",\"disable_parallel_tool_use\":true}"));
            assertThat(JsonTree.of(named.get("tool_choice")))
                    .isEqualTo(JsonTree.of("{\"type\":\"tool\",\"name\":\"get_weather\"}"));
            assertThat(JsonTree.of(none.get("tool_choice"))).isEqualTo(JsonTree.of("{\"type\":\"none\"}"));
            assertThat(JsonTree.of(auto.get("tool_choice"))).isEqualTo(JsonTree.of("{\"type\":\"auto\"}"));
            assertThat(auto.at("/tools/0/input_schema/properties/city/type").asString()).isEqualTo("string");
        } else {
            assertThat(JsonTree.of(required.at("/toolConfig/functionCallingConfig")))
                    .isEqualTo(JsonTree.of("{\"mode\":\"ANY\"}"));
            assertThat(JsonTree.of(named.at("/toolConfig/functionCallingConfig")))
                    .isEqualTo(JsonTree.of("{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"get_weather\"]}"));
            assertThat(none.at("/toolConfig/functionCallingConfig/mode").asString()).isEqualTo("NONE");
            assertThat(auto.at("/toolConfig/functionCallingConfig/mode").asString()).isEqualTo("AUTO");
            assertThat(auto.at("/tools/0/functionDeclarations/0/parameters").has("additionalProperties")).isFalse();
        }
    }

    // --- images, reasoning, limits, safety ------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"claude", "gemini"})
    void imagesByDataUrlAndByHttpUrl(String model) {
        String png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
        client.chat().completions().create(ChatCompletionCreateParams.builder().model(model)
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder()
                                .text("Compare these.").build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder().imageUrl(
                                ChatCompletionContentPartImage.ImageUrl.builder().url("data:image/png;base64," + png)
                                        .build()).build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder().imageUrl(
                                ChatCompletionContentPartImage.ImageUrl.builder()
                                        .url("https://example.com/cat.webp?size=large").build()).build())))
                .build());
        JsonNode body = sent(model);
        if (model.startsWith("claude")) {
            JsonNode content = body.at("/messages/0/content");
            assertThat(JsonTree.of(content.get(1)))
                    .isEqualTo(JsonTree.of("{\"type\":\"image\",\"source\":{\"type\":\"base64\","
                    + "\"media_type\":\"image/png\",\"data\":\"" + png + "\"}}"));
            assertThat(JsonTree.of(content.get(2)))
                    .isEqualTo(JsonTree.of("{\"type\":\"image\",\"source\":{\"type\":\"url\","
                    + "\"url\":\"https://example.com/cat.webp?size=large\"}}"));
        } else {
            JsonNode parts = body.at("/contents/0/parts");
            assertThat(JsonTree.of(parts.get(1)))
                    .isEqualTo(JsonTree.of("{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\""
                    + png + "\"}}"));
            assertThat(JsonTree.of(parts.get(2)))
                    .isEqualTo(JsonTree.of("{\"fileData\":{\"mimeType\":\"image/webp\",\"fileUri\":"
                    + "\"https://example.com/cat.webp?size=large\"}}"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"claude", "gemini"})
    void reasoningComesBackAsReasoningContentStreamedOrNot(String model) {
        fake(model).then(new FakeProvider.Thinking("Paris is in France.", text("It is sunny.")),
                new FakeProvider.Thinking("Let me think.", text("Still sunny.")));
        ChatCompletionMessage message = client.chat().completions().create(params(model)
                .reasoningEffort(ReasoningEffort.LOW).build()).choices().getFirst().message();
        assertThat(message.content()).contains("It is sunny.");
        assertThat(extra(message, "reasoning_content")).isEqualTo("Paris is in France.");
        JsonNode body = sent(model);
        if (model.startsWith("claude")) {
            assertThat(JsonTree.of(body.get("thinking")))
                    .isEqualTo(JsonTree.of("{\"type\":\"enabled\",\"budget_tokens\":2048}"));
            assertThat(body.get("max_tokens").asInt()).isEqualTo(16384 + 2048);
        } else {
            assertThat(JsonTree.of(body.at("/generationConfig/thinkingConfig")))
                    .isEqualTo(JsonTree.of("{\"thinkingBudget\":1024,\"includeThoughts\":true}"));
        }
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        stream(params(model).reasoningEffort(ReasoningEffort.LOW).build(), chunks);
        StringBuilder reasoning = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(ch -> {
            JsonValue delta = ch.delta()._additionalProperties().get("reasoning_content");
            if (delta != null) {
                reasoning.append(delta.convert(String.class));
            }
        }));
        assertThat(reasoning).hasToString("Let me think.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"claude", "gemini"})
    void stopSequencesAndTheLengthLimitAreHonoured(String model) {
        fake(model).then(text("one two three END four"), text("one two three four five"));
        ChatCompletion stopped = client.chat().completions().create(params(model).stop("END").build());
        assertThat(stopped.choices().getFirst().message().content()).contains("one two three ");
        assertThat(stopped.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(sent(model).at(model.startsWith("claude") ? "/stop_sequences" : "/generationConfig/stopSequences"))
                .isEqualTo(JsonTree.of("[\"END\"]"));
        ChatCompletion cut = client.chat().completions().create(params(model).maxCompletionTokens(2).build());
        assertThat(cut.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        assertThat(cut.choices().getFirst().message().content()).contains("one two");
    }

    @ParameterizedTest
    @ValueSource(strings = {"claude", "claude-3"})
    void anthropicGetsAPerModelMaxTokensWhenTheClientSentNone(String model) {
        client.chat().completions().create(params(model).build());
        assertThat(sent(model).get("max_tokens").asInt()).isEqualTo(model.equals("claude") ? 16384 : 4096);
    }

    @ParameterizedTest
    @ValueSource(strings = {"claude", "gemini"})
    void aSafetyStopIsAContentFilterFinishWithARefusal(String model) {
        fake(model).then(new FakeProvider.Blocked());
        ChatCompletion.Choice choice = client.chat().completions().create(params(model).build()).choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.CONTENT_FILTER);
        assertThat(choice.message().refusal()).hasValueSatisfying(r -> assertThat(r).containsAnyOf("refusal",
                "SAFETY"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"claude", "gemini"})
    void aProvidersOwnBadRequestReachesTheClientWithItsMessage(String model) {
        String body = model.startsWith("claude")
                ? "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad image data\"}}"
                : "{\"error\":{\"code\":400,\"message\":\"bad image data\",\"status\":\"INVALID_ARGUMENT\"}}";
        fake(model).then(new FakeProvider.Status(400, body, Map.of()));
        assertThatThrownBy(() -> client.chat().completions().create(params(model).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("bad image data");
    }
}
