package dev.junction.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.GatewayException;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.Media;
import dev.junction.core.canonical.Message;
import dev.junction.core.canonical.Part;
import dev.junction.core.canonical.ReasoningEffort;
import dev.junction.core.canonical.ToolChoice;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiChatDecoderTest {

    private static CanonicalRequest decode(String fields, String messages) {
        String body = "{\"model\":\"m\"" + fields + ",\"messages\":" + messages + "}";
        return OpenAiChatDecoder.decode(ChatRequest.parse(body.getBytes(StandardCharsets.UTF_8)), ChannelQuirks.NONE);
    }

    private static CanonicalRequest decode(String fields) {
        return decode(fields, "[{\"role\":\"user\",\"content\":\"hi\"}]");
    }

    @Test
    void hoistsInstructionsAndOrdersAssistantParts() {
        CanonicalRequest request = decode("", """
                [{"role":"system","content":"A"},{"role":"user","content":"q"},{"role":"developer","content":"B"},
                 {"role":"assistant","content":"text","reasoning_content":"why",
                  "tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":{"x":1}}}]},
                 {"role":"tool","tool_call_id":"c1","content":"ok"}]""");
        assertThat(request.system()).extracting(Part.Text::text).containsExactly("A", "B");
        Message assistant = request.messages().get(1);
        assertThat(assistant.parts()).containsExactly(new Part.Reasoning("why", null), Part.Text.of("text"),
                new Part.ToolCall("c1", "f", "{\"x\":1}", null));
        assertThat(request.messages().get(2)).isEqualTo(Message.tool(new Part.ToolResult("c1",
                List.of(Part.Text.of("ok")))));
        assertThat(request.toolName("c1")).contains("f");
    }

    @Test
    void readsParametersUnderEitherName() {
        CanonicalRequest request = decode(",\"max_tokens\":5,\"max_completion_tokens\":9,\"stop\":\"END\","
                + "\"reasoning_effort\":\"minimal\",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}},"
                + "\"parallel_tool_calls\":false,\"stream\":true,\"stream_options\":{\"include_usage\":true}");
        assertThat(request.sampling().maxTokens()).hasValue(9);
        assertThat(request.sampling().stop()).containsExactly("END");
        assertThat(request.reasoning()).contains(ReasoningEffort.MINIMAL);
        assertThat(request.toolChoice()).isEqualTo(new ToolChoice.Named("f"));
        assertThat(request.parallelToolCalls()).isFalse();
        assertThat(request.includeUsage()).isTrue();
    }

    @Test
    void splitsDataUrls() {
        CanonicalRequest request = decode("", "[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":"
                + "{\"url\":\"data:image/jpeg;charset=x;base64,AAAA\"}}]}]");
        assertThat(request.messages().getFirst().parts()).containsExactly(new Part.Image(
                new Media.Inline("image/jpeg", "AAAA")));
    }

    @Test
    void refusesWhatCannotBeTranslatedFaithfully() {
        assertRefused(() -> decode(",\"n\":3"), "'n' greater than 1");
        assertRefused(() -> decode(",\"functions\":[]"), "legacy 'functions'");
        assertRefused(() -> decode(",\"reasoning_effort\":\"extreme\""), "reasoning_effort 'extreme'");
        assertRefused(() -> decode(",\"tool_choice\":\"sometimes\""), "tool_choice 'sometimes'");
        assertRefused(() -> decode(",\"tools\":[{\"type\":\"custom\",\"custom\":{\"name\":\"x\"}}]"),
                "only tools of type 'function'");
        assertRefused(() -> decode("", "[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\"}]}]"),
                "'input_audio' cannot be translated");
        assertRefused(() -> decode("", "[{\"role\":\"user\",\"content\":[{\"type\":\"file\",\"file\":"
                + "{\"file_id\":\"f\"}}]}]"), "not 'file_id'");
        assertRefused(() -> decode("", "[{\"role\":\"tool\",\"content\":\"x\"}]"), "tool_call_id is missing");
        assertRefused(() -> decode("", "[{\"role\":\"wizard\",\"content\":\"x\"}]"), "'wizard' is not a chat role");
        assertRefused(() -> decode("", "[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":"
                + "{\"url\":\"ftp://x\"}}]}]"), "http(s) URL or a base64 data URL");
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(GatewayException.class).hasMessageContaining(message);
    }
}
