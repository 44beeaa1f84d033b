package dev.junction.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.Message;
import dev.junction.core.canonical.Part;
import dev.junction.core.canonical.Tool;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tool schemas go to Anthropic as they are, or with the {@code type} Anthropic requires added. */
class MessagesRequestEncoderTest {

    private static String body(Tool... tools) {
        CanonicalRequest request = CanonicalRequest.builder().messages(Message.user(List.of(Part.Text.of("hi"))))
                .tools(List.of(tools)).build();
        return new String(AnthropicCodec.INSTANCE.prepare(request, "claude-sonnet-4-5", "k", "seed").call().body(),
                StandardCharsets.UTF_8);
    }

    @Test
    void aSchemaWithATypeIsSentAsItIs() {
        String schema = "{\"properties\":{\"path\":{\"type\":\"string\"}},\"type\":\"object\",\"required\":[\"path\"]}";
        assertThat(body(new Tool("Read", "Reads", schema))).contains("\"input_schema\":" + schema + "}");
    }

    @Test
    void aSchemaWithoutOneGetsTheObjectType() {
        assertThat(body(new Tool("Ping", "", "{\"properties\":{\"n\":{\"type\":\"integer\"}}}")))
                .contains("\"input_schema\":{\"properties\":{\"n\":{\"type\":\"integer\"}},\"type\":\"object\"}}");
        assertThat(body(new Tool("Any", "", "{}"))).contains("\"input_schema\":{\"type\":\"object\"}}");
    }
}
