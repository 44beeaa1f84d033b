package dev.junction.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.Media;
import dev.junction.core.canonical.Message;
import dev.junction.core.canonical.Part;
import dev.junction.core.canonical.ReasoningEffort;
import dev.junction.core.canonical.Sampling;
import dev.junction.core.canonical.Tool;
import dev.junction.core.canonical.ToolChoice;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.ProviderCall;
import dev.junction.testing.JsonTree;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OpenAiCodecTest {

    private static CanonicalRequest request(List<Message> messages, List<Tool> tools, Sampling sampling,
            boolean stream) {
        return CanonicalRequest.builder().messages(messages).tools(tools).sampling(sampling).stream(stream).build();
    }

    private static CanonicalRequest request(Message... messages) {
        return request(List.of(messages), List.of(), Sampling.DEFAULT, false);
    }

    private static JsonNode body(CanonicalRequest request, String model) {
        return JsonTrees.MAPPER.readTree(OpenAiCodec.INSTANCE.prepare(request, model, "k", "seed").call().body());
    }

    private static final Message HI = Message.user(List.of(Part.Text.of("hi")));

    @Test
    void postsToChatCompletionsWithABearerKeyAndTheAcceptOfTheAnswer() {
        ProviderCall whole = OpenAiCodec.INSTANCE.prepare(request(HI), "gpt-4.1", "sk-1", "seed").call();
        assertThat(whole.path()).isEqualTo("/chat/completions");
        assertThat(whole.headers()).containsEntry("Authorization", "Bearer sk-1")
                .containsEntry("Accept", "application/json");
        ProviderCall stream = OpenAiCodec.INSTANCE.prepare(request(List.of(HI), List.of(), Sampling.DEFAULT, true),
                "gpt-4.1", null, "seed").call();
        assertThat(stream.headers()).doesNotContainKey("Authorization").containsEntry("Accept", "text/event-stream");
        JsonNode body = JsonTrees.MAPPER.readTree(stream.body());
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.at("/stream_options/include_usage").asBoolean()).as("usage is always asked for").isTrue();
    }

    @Test
    void appliesTheChannelsQuirksToTheEncodedBody() {
        CanonicalRequest request = CanonicalRequest.builder().messages(HI)
                .tools(List.of(new Tool("f", "", "{\"type\":\"object\"}"))).parallelToolCalls(false).stream(true)
                .build();
        ChannelQuirks quirks = new ChannelQuirks(Set.of("parallel_tool_calls"), Map.of("max_tokens", 4096L), false);
        JsonNode body = JsonTrees.MAPPER.readTree(OpenAiCodec.INSTANCE.prepare(request, "llama3.2", null, "seed",
                quirks).call().body());
        assertThat(body.has("parallel_tool_calls")).isFalse();
        assertThat(body.has("stream_options")).isFalse();
        assertThat(body.path("max_tokens").asInt()).isEqualTo(4096);
        assertThat(body.path("stream").asBoolean()).isTrue();
    }

    @Test
    void sendsTheOutputLimitUnderTheNameTheModelTakes() {
        CanonicalRequest request = request(List.of(HI), List.of(), Sampling.DEFAULT.withMaxTokens(50), false);
        assertThat(body(request, "gpt-4.1").path("max_tokens").asInt()).isEqualTo(50);
        assertThat(body(request, "deepseek-chat").path("max_tokens").asInt()).isEqualTo(50);
        for (String model : List.of("o3-mini", "o1", "gpt-5", "GPT-5.1-codex")) {
            assertThat(body(request, model).has("max_tokens")).as(model).isFalse();
            assertThat(body(request, model).path("max_completion_tokens").asInt()).as(model).isEqualTo(50);
        }
        assertThat(body(request, "omni-large").has("max_tokens")).isTrue();
    }

    @Test
    void replaysReasoningOnlyToProvidersThatRequireIt() {
        Message assistant = Message.assistant(List.of(new Part.Reasoning("think", "sig"),
                new Part.RedactedReasoning("opaque"), new Part.ToolCall("c1", "f", "{}", null)));
        Message result = Message.tool(new Part.ToolResult("c1", List.of(Part.Text.of("ok"))));
        CanonicalRequest request = request(HI, assistant, result);
        assertThat(body(request, "deepseek-reasoner").at("/messages/1/reasoning_content").asString())
                .isEqualTo("think");
        assertThat(body(request, "kimi-k2-thinking").at("/messages/1/reasoning_content").asString())
                .isEqualTo("think");
        JsonNode openai = body(request, "gpt-4.1").at("/messages/1");
        assertThat(openai.has("reasoning_content")).isFalse();
        assertThat(openai.path("content").isNull()).isTrue();
        // An assistant turn that was only reasoning is no turn at all.
        CanonicalRequest thinkingOnly = request(HI, Message.assistant(List.of(new Part.Reasoning("hm", null))), HI);
        assertThat(body(thinkingOnly, "deepseek-chat").path("messages")).hasSize(2);
    }

    @Test
    void shortensToolCallIdsOpenAiWouldRejectTheSameWayInTheCallAndItsResult() {
        String gemini = "call_seed_0__ts_" + "A".repeat(200);
        String exact = "c".repeat(40);
        Message assistant = Message.assistant(List.of(new Part.ToolCall(gemini, "f", "", null),
                new Part.ToolCall(exact, "f", "{}", null)));
        JsonNode messages = body(request(HI, assistant,
                Message.tool(new Part.ToolResult(gemini, List.of(Part.Text.of("a")))),
                Message.tool(new Part.ToolResult(exact, List.of(Part.Text.of("b"))))), "gpt-4.1").path("messages");
        String shortened = messages.at("/1/tool_calls/0/id").asString();
        assertThat(shortened).hasSizeLessThanOrEqualTo(40).startsWith("call_").isNotEqualTo(gemini);
        assertThat(messages.at("/2/tool_call_id").asString()).isEqualTo(shortened);
        assertThat(messages.at("/1/tool_calls/1/id").asString()).isEqualTo(exact);
        assertThat(messages.at("/3/tool_call_id").asString()).isEqualTo(exact);
        assertThat(JsonTree.of(messages.at("/1/tool_calls/0/function/arguments").asString()))
                .isEqualTo(JsonTree.of("{}"));
        assertThat(ToolCallIds.outgoing(gemini + "x")).isNotEqualTo(shortened);
    }

    @Test
    void movesToolResultImagesIntoAUserMessageAfterTheToolMessages() {
        Message assistant = Message.assistant(List.of(new Part.ToolCall("c1", "shot", "{}", null),
                new Part.ToolCall("c2", "shot", "{}", null)));
        Part image = new Part.Image(new Media.Inline("image/png", "AAAA"));
        JsonNode messages = body(request(HI, assistant,
                Message.tool(new Part.ToolResult("c1", List.of(Part.Text.of("one"), image))),
                Message.tool(new Part.ToolResult("c2", List.of(Part.Text.of("two"))))), "gpt-4.1").path("messages");
        assertThat(messages).hasSize(5);
        assertThat(messages.at("/2/role").asString()).isEqualTo("tool");
        assertThat(messages.at("/2/content").asString()).isEqualTo("one");
        assertThat(messages.at("/3/role").asString()).isEqualTo("tool");
        assertThat(messages.at("/4/role").asString()).isEqualTo("user");
        assertThat(messages.at("/4/content/0/text").asString()).contains("c1");
        assertThat(messages.at("/4/content/1/image_url/url").asString()).isEqualTo("data:image/png;base64,AAAA");
    }

    @Test
    void sendsInlineDocumentsAsFilesOrTextAndRefusesThoseByUrl() {
        Message pdf = Message.user(List.of(new Part.Document(new Media.Inline("application/pdf", "JVBE"), null)));
        assertThat(body(request(pdf), "gpt-4.1").at("/messages/0/content/0/file")).isEqualTo(JsonTree.of(
                "{\"filename\":\"document.pdf\",\"file_data\":\"data:application/pdf;base64,JVBE\"}"));
        Message text = Message.user(List.of(new Part.Document(new Media.Inline("text/markdown", "IyBUaXRsZQ=="),
                "a.md")));
        assertThat(body(request(text), "gpt-4.1").at("/messages/0/content").asString()).isEqualTo("# Title");
        Message remote = Message.user(List.of(new Part.Document(new Media.Url("https://x.test/a.pdf"), "a.pdf")));
        assertThatThrownBy(() -> body(request(remote), "gpt-4.1")).isInstanceOfSatisfying(GatewayException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
                    assertThat(e.getMessage()).contains("https://x.test/a.pdf").contains("inline");
                });
        Message pictured = Message.assistant(List.of(new Part.Image(new Media.Url("https://x.test/a.png"))));
        assertThatThrownBy(() -> body(request(HI, pictured), "gpt-4.1")).isInstanceOf(GatewayException.class)
                .hasMessageContaining("assistant");
    }

    @Test
    void leavesToolChoiceAndParallelCallsOutWithoutTools() {
        CanonicalRequest request = CanonicalRequest.builder().system(List.of(Part.Text.of("a"), Part.Text.of("b")))
                .messages(HI).toolChoice(ToolChoice.REQUIRED).parallelToolCalls(false)
                .reasoning(ReasoningEffort.XHIGH).user("").build();
        JsonNode body = body(request, "gpt-4.1");
        assertThat(body.has("tool_choice")).isFalse();
        assertThat(body.has("parallel_tool_calls")).isFalse();
        assertThat(body.has("user")).isFalse();
        assertThat(body.path("reasoning_effort").asString()).isEqualTo("xhigh");
        assertThat(body.at("/messages/0")).isEqualTo(JsonTree.of("{\"role\":\"system\",\"content\":\"a\\n\\nb\"}"));
    }
}
