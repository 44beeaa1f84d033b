package dev.junction.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ChatRequestTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ChatRequest parse(String body) {
        return ChatRequest.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String upstream(String body, String model) {
        return new String(parse(body).forUpstream(model, true), StandardCharsets.UTF_8);
    }

    @Test
    void changesOnlyTheModelAndKeepsEveryOtherByte() {
        String body = "{ \"x_vendor\": {\"keep\": [1, 2.50, \"é\"]},\n \"model\" : \"claude-sonnet\", "
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi \\\"there\\\"\"}], \"temperature\": 0.70 }";
        assertThat(upstream(body, "glm-4.6")).isEqualTo(body.replace("\"claude-sonnet\"", "\"glm-4.6\""));
    }

    @Test
    void escapesTheUpstreamModelName() {
        String out = upstream("{\"model\":\"m\",\"messages\":[{}]}", "we\"ird/\\name");
        assertThat(JSON.readTree(out).get("model").asString()).isEqualTo("we\"ird/\\name");
    }

    @Test
    void asksForUsageOnStreamsWhenTheClientDidNot() {
        ChatRequest request = parse("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\"}]}");
        assertThat(request.stream()).isTrue();
        assertThat(request.clientWantsUsage()).isFalse();
        JsonNode out = JSON.readTree(request.forUpstream("u", true));
        assertThat(out.get("stream_options").get("include_usage").asBoolean()).isTrue();
        assertThat(out.get("model").asString()).isEqualTo("u");
        assertThat(out.get("messages")).hasSize(1);
    }

    @Test
    void mergesIncludeUsageIntoExistingStreamOptions() {
        String body = "{\"stream_options\":{\"include_obfuscation\":false},\"model\":\"m\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\"}]}";
        JsonNode out = JSON.readTree(upstream(body, "u"));
        assertThat(out.get("stream_options").get("include_usage").asBoolean()).isTrue();
        assertThat(out.get("stream_options").get("include_obfuscation").asBoolean()).isFalse();
        assertThat(out.get("model").asString()).isEqualTo("u");
    }

    @Test
    void leavesTheBodyAloneWhenTheClientAskedForUsage() {
        String body = "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{}]}";
        assertThat(parse(body).clientWantsUsage()).isTrue();
        assertThat(upstream(body, "m")).isEqualTo(body);
    }

    @Test
    void nonStreamingBodiesGetNoStreamOptions() {
        String body = "{\"model\":\"m\",\"messages\":[{}]}";
        assertThat(upstream(body, "m")).isEqualTo(body);
    }

    @Test
    void notesToolUse() {
        assertThat(parse("{\"model\":\"m\",\"messages\":[{}],\"tools\":[{\"type\":\"function\"}]}").usesTools())
                .isTrue();
        assertThat(parse("{\"model\":\"m\",\"messages\":[{}],\"tools\":[]}").usesTools()).isFalse();
    }

    @Test
    void rejectsWhatTheApiRejects() {
        assertRejected("{\"model\":\"m\",", "not valid JSON");
        assertRejected("[1,2]", "must be a JSON object");
        assertRejected("{\"messages\":[{}]}", "no 'model'");
        assertRejected("{\"model\":7,\"messages\":[{}]}", "'model' must be a string");
        assertRejected("{\"model\":\"\",\"messages\":[{}]}", "must not be empty");
        assertRejected("{\"model\":\"m\"}", "no 'messages'");
        assertRejected("{\"model\":\"m\",\"messages\":[]}", "no 'messages'");
        assertRejected("{\"model\":\"m\",\"messages\":{}}", "'messages' must be an array");
        assertRejected("{\"model\":\"m\",\"messages\":[{}]} {}", "after the JSON object");
        assertRejected("", "empty");
    }

    private static void assertRejected(String body, String message) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
                    assertThat(e.getMessage()).contains(message);
                });
    }
}
