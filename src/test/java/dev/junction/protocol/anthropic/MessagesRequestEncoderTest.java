package dev.junction.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.Message;
import dev.junction.core.canonical.Part;
import dev.junction.core.canonical.Tool;
import dev.junction.testing.JsonTree;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Tool schemas go to Anthropic as they are, or with the {@code type} Anthropic requires added. */
class MessagesRequestEncoderTest {

    /** The input schema of the one tool, as Anthropic receives it. */
    private static JsonNode inputSchema(Tool tool) {
        CanonicalRequest request = CanonicalRequest.builder().messages(Message.user(List.of(Part.Text.of("hi"))))
                .tools(List.of(tool)).build();
        return JsonTree.of(AnthropicCodec.INSTANCE.prepare(request, "claude-sonnet-4-5", "k", "seed").call().body())
                .at("/tools/0/input_schema");
    }

    @Test
    void aSchemaWithATypeIsSentAsItIs() {
        String schema = "{\"properties\":{\"path\":{\"type\":\"string\"}},\"type\":\"object\",\"required\":[\"path\"]}";
        assertThat(inputSchema(new Tool("Read", "Reads", schema))).isEqualTo(JsonTree.of(schema));
    }

    @Test
    void aSchemaWithoutOneGetsTheObjectType() {
        assertThat(inputSchema(new Tool("Ping", "", "{\"properties\":{\"n\":{\"type\":\"integer\"}}}")))
                .isEqualTo(JsonTree.of("{\"properties\":{\"n\":{\"type\":\"integer\"}},\"type\":\"object\"}"));
        assertThat(inputSchema(new Tool("Any", "", "{}"))).isEqualTo(JsonTree.of("{\"type\":\"object\"}"));
    }
}
