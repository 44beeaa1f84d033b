package dev.junction.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.ChannelQuirks;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The pass-through body for channels with quirks: top-level edits only, every other byte the client's. */
class ChatRequestQuirksTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static String upstream(String body, ChannelQuirks quirks) {
        return new String(ChatRequest.parse(body.getBytes(StandardCharsets.UTF_8)).forUpstream("up", quirks),
                StandardCharsets.UTF_8);
    }

    @Test
    void withoutQuirksTheBodyIsTheSameAsBefore() {
        String body = "{ \"model\" : \"m\", \"messages\":[{\"role\":\"user\",\"content\":\"hi\"}], \"x\": 1.50 }";
        assertThat(upstream(body, ChannelQuirks.NONE)).isEqualTo(body.replace("\"m\"", "\"up\""));
    }

    @Test
    void dropsParamsAndAddsDefaultsKeepingTheOtherFieldsVerbatim() {
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"é \\\"q\\\"\"}],"
                + "\"logprobs\":true,\"temperature\":0.70,\"x_vendor\":{\"a\":[1,2]}}";
        ChannelQuirks quirks = new ChannelQuirks(Set.of("logprobs"), Map.of("max_tokens", 4096L, "top_k", 20L),
                true);
        String out = upstream(body, quirks);
        assertThat(out).contains("\"temperature\":0.70").contains("\"x_vendor\":{\"a\":[1,2]}")
                .contains("\"content\":\"é \\\"q\\\"\"").doesNotContain("logprobs");
        JsonNode tree = JSON.readTree(out);
        assertThat(tree.get("model").asString()).isEqualTo("up");
        assertThat(tree.get("max_tokens").asInt()).isEqualTo(4096);
        assertThat(tree.get("top_k").asInt()).isEqualTo(20);
    }

    @Test
    void aDefaultNeverOverridesTheClientButDropPlusDefaultForcesAValue() {
        String body = "{\"model\":\"m\",\"messages\":[{}],\"max_completion_tokens\":10,\"temperature\":1.9}";
        ChannelQuirks quirks = new ChannelQuirks(Set.of("temperature"), Map.of("max_tokens", 4096L,
                "temperature", 0.6), true);
        JsonNode tree = JSON.readTree(upstream(body, quirks));
        assertThat(tree.has("max_tokens")).as("max_completion_tokens is the same limit").isFalse();
        assertThat(tree.get("max_completion_tokens").asInt()).isEqualTo(10);
        assertThat(tree.get("temperature").asDouble()).isEqualTo(0.6);
    }

    @Test
    void withoutStreamOptionsSupportNothingIsInjectedAndTheClientsIsRemoved() {
        ChannelQuirks noStreamOptions = new ChannelQuirks(Set.of(), Map.of(), false);
        JsonNode plain = JSON.readTree(upstream("{\"model\":\"m\",\"stream\":true,\"messages\":[{}]}",
                noStreamOptions));
        assertThat(plain.has("stream_options")).isFalse();
        JsonNode asked = JSON.readTree(upstream("{\"model\":\"m\",\"stream\":true,\"stream_options\":"
                + "{\"include_usage\":true},\"messages\":[{}]}", noStreamOptions));
        assertThat(asked.has("stream_options")).isFalse();
        assertThat(asked.get("stream").asBoolean()).isTrue();
    }

    @Test
    void withQuirksStreamsStillAskForUsage() {
        ChannelQuirks quirks = new ChannelQuirks(Set.of("user"), Map.of(), true);
        JsonNode tree = JSON.readTree(upstream("{\"model\":\"m\",\"stream\":true,\"user\":\"u\",\"stream_options\":"
                + "{\"include_obfuscation\":false},\"messages\":[{}]}", quirks));
        assertThat(tree.at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(tree.at("/stream_options/include_obfuscation").asBoolean(true)).isFalse();
        assertThat(tree.has("user")).isFalse();
        JsonNode injected = JSON.readTree(upstream("{\"model\":\"m\",\"stream\":true,\"user\":\"u\","
                + "\"messages\":[{}]}", quirks));
        assertThat(injected.at("/stream_options/include_usage").asBoolean()).isTrue();
    }
}
