package dev.junction.protocol.anthropic;

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
import dev.junction.protocol.JsonTrees;
import dev.junction.testing.JsonTree;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class MessagesRequestDecoderTest {

    static byte[] fixture(String name) throws Exception {
        try (InputStream in = MessagesRequestDecoderTest.class.getResourceAsStream(
                "/fixtures/anthropic-ingress/" + name)) {
            return in.readAllBytes();
        }
    }

    static CanonicalRequest decode(String json) {
        return AnthropicClientRequest.parse(json.getBytes(StandardCharsets.UTF_8), null, null)
                .canonical(ChannelQuirks.NONE);
    }

    @Test
    void aClaudeCodeRequestBecomesCanonical() throws Exception {
        AnthropicClientRequest client = AnthropicClientRequest.parse(fixture("claude-code-request.json"),
                "2023-06-01", "claude-code-20250219");
        assertThat(client.model()).isEqualTo("claude-opus-4-8");
        assertThat(client.stream()).isTrue();
        CanonicalRequest request = client.canonical(ChannelQuirks.NONE);

        assertThat(request.system()).extracting(Part.Text::text).containsExactly(
                "x-anthropic-billing-header: cc_version=2.1.197.c8e; cc_entrypoint=sdk-cli;",
                "You are a Claude agent.", "Main prompt.", "Mid-conversation instructions.");
        assertThat(request.system()).extracting(Part.Text::cache).containsExactly(false, true, true, false);

        assertThat(request.tools()).singleElement().satisfies(tool -> {
            assertThat(tool.name()).isEqualTo("Bash");
            JsonNode parameters = JsonTree.of(tool.parametersJson());
            assertThat(parameters.has("$schema")).isFalse();
            assertThat(parameters.path("required")).isEqualTo(JsonTree.of("[\"command\"]"));
        });
        assertThat(request.toolChoice()).isEqualTo(ToolChoice.AUTO);
        assertThat(request.parallelToolCalls()).isFalse();
        assertThat(request.sampling().maxTokens()).hasValue(64000);
        assertThat(request.sampling().topK()).hasValue(40);
        assertThat(request.sampling().stop()).containsExactly("END");
        assertThat(request.reasoning()).contains(ReasoningEffort.HIGH);
        assertThat(request.user()).isEqualTo("{\"device_id\":\"ab12\",\"account_uuid\":\"\",\"session_id\":\"5f0c\"}");
        assertThat(request.stream()).isTrue();

        List<Message> messages = request.messages();
        assertThat(messages).extracting(Message::role).containsExactly(Message.Role.USER, Message.Role.ASSISTANT,
                Message.Role.TOOL, Message.Role.TOOL, Message.Role.USER);
        List<Part> user = messages.get(0).parts();
        assertThat(user).hasSize(5);
        assertThat(((Part.Image) user.get(1)).source()).isEqualTo(new Media.Inline("image/png", "iVBORw0KGgo="));
        assertThat(((Part.Image) user.get(2)).source()).isEqualTo(new Media.Url("https://example.com/cat.png"));
        assertThat(user.get(3)).isEqualTo(new Part.Document(new Media.Inline("application/pdf", "JVBERi0="),
                "spec.pdf"));
        assertThat(user.get(4)).isEqualTo(new Part.Text("List two dirs", true));

        assertThat(messages.get(1).parts()).containsExactly(new Part.Reasoning("Two commands.", "sig-abc"),
                new Part.RedactedReasoning("ENCRYPTED"), Part.Text.of("Running both."),
                new Part.ToolCall("toolu_01", "Bash", "{\"command\":\"ls a\"}", null),
                new Part.ToolCall("toolu_02", "Bash", "{\"command\":\"ls b\"}", null));

        Part.ToolResult first = (Part.ToolResult) messages.get(2).parts().getFirst();
        assertThat(first.callId()).isEqualTo("toolu_01");
        assertThat(first.text()).isEqualTo("x.txt");
        Part.ToolResult second = (Part.ToolResult) messages.get(3).parts().getFirst();
        assertThat(second.callId()).isEqualTo("toolu_02");
        assertThat(second.text()).isEqualTo("Error: no such dir");
        assertThat(messages.get(4).parts()).containsExactly(Part.Text.of("Now summarise."));
    }

    @Test
    void thinkingBudgetsAndToolChoicesMap() {
        String base = "{\"model\":\"m\",\"max_tokens\":32000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"tools\":[{\"name\":\"t\",\"input_schema\":{\"type\":\"object\"}}],";
        assertThat(decode(base + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":31999}}").reasoning())
                .contains(ReasoningEffort.HIGH);
        assertThat(decode(base + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}}").reasoning())
                .contains(ReasoningEffort.LOW);
        assertThat(decode(base + "\"thinking\":{\"type\":\"adaptive\"},\"output_config\":{\"effort\":\"low\"}}")
                .reasoning()).contains(ReasoningEffort.LOW);
        assertThat(decode(base + "\"tool_choice\":{\"type\":\"any\"}}").toolChoice()).isEqualTo(ToolChoice.REQUIRED);
        assertThat(decode(base + "\"tool_choice\":{\"type\":\"none\"}}").toolChoice()).isEqualTo(ToolChoice.NONE);
        assertThat(decode(base + "\"tool_choice\":{\"type\":\"tool\",\"name\":\"t\"}}").toolChoice())
                .isEqualTo(new ToolChoice.Named("t"));
        CanonicalRequest plain = decode(base + "\"temperature\":0.3,\"top_p\":0.9,\"system\":\"Be brief.\"}");
        assertThat(plain.reasoning()).isEmpty();
        assertThat(plain.sampling().temperature()).hasValue(0.3);
        assertThat(plain.sampling().topP()).hasValue(0.9);
        assertThat(plain.system()).containsExactly(Part.Text.of("Be brief."));
        assertThat(plain.parallelToolCalls()).isTrue();
    }

    @Test
    void malformedRequestsAreRefusedAsTheRealApiDoes() {
        for (String body : List.of("", "[]", "{bad", "{\"max_tokens\":1,\"messages\":[]}",
                "{\"model\":\"m\",\"max_tokens\":1}", "{\"model\":\"m\",\"messages\":[]}",
                "{\"model\":7,\"max_tokens\":1,\"messages\":[]}")) {
            assertThatThrownBy(() -> AnthropicClientRequest.parse(body.getBytes(StandardCharsets.UTF_8), null, null))
                    .as(body).isInstanceOf(GatewayException.class);
        }
        assertThat(AnthropicClientRequest.parseCountTokens("{\"model\":\"m\",\"messages\":[]}"
                .getBytes(StandardCharsets.UTF_8), null, null).countTokens()).isTrue();
    }

    @Test
    void theUpstreamBodyDiffersOnlyInTheModel() throws Exception {
        byte[] body = fixture("claude-code-request.json");
        MessagesBody scanned = MessagesBody.parse(body, true);
        String rewritten = new String(scanned.withModel("claude-opus-4-8-upstream"), StandardCharsets.UTF_8);
        assertThat(rewritten).isEqualTo(new String(body, StandardCharsets.UTF_8)
                .replace("\"model\": \"claude-opus-4-8\"", "\"model\": \"claude-opus-4-8-upstream\""));
        assertThat(JsonTrees.object(rewritten.getBytes(StandardCharsets.UTF_8)).has("context_management")).isTrue();
    }
}
