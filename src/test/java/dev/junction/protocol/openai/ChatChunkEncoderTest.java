package dev.junction.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.core.canonical.Usage;
import dev.junction.testing.JsonTree;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ChatChunkEncoderTest {

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void lifecycleEventsShowNothingAndTheRoleComesOnce() {
        ChatChunkEncoder encoder = ChatChunkEncoder.create("chatcmpl-x", "m", 1, false);
        assertThat(encoder.encode(new StreamEvent.Started("msg_1", "claude"))).isNull();
        assertThat(encoder.encode(new StreamEvent.UsageReport(new Usage(3, 4, 0, 0, 0)))).isNull();
        assertThat(encoder.encode(new StreamEvent.TextDelta(""))).isNull();
        assertThat(encoder.encode(new StreamEvent.Ping())).isNull();
        String first = text(encoder.encode(new StreamEvent.TextDelta("a")));
        String second = text(encoder.encode(new StreamEvent.TextDelta("b")));
        assertThat(first).startsWith("data: {").endsWith("}\n\n");
        JsonNode chunk = JsonTree.event(first);
        assertThat(chunk.path("id").asString()).isEqualTo("chatcmpl-msg_1");
        assertThat(chunk.path("model").asString()).isEqualTo("claude");
        assertThat(chunk.at("/choices/0/delta")).isEqualTo(JsonTree.of("{\"role\":\"assistant\",\"content\":\"a\"}"));
        assertThat(second).doesNotContain("role");
        assertThat(encoder.usage()).isEqualTo(new Usage(3, 4, 0, 0, 0));
    }

    @Test
    void exactlyOneFinishAndNoUsageChunkUnlessAsked() {
        ChatChunkEncoder encoder = ChatChunkEncoder.create("chatcmpl-x", "m", 1, false);
        JsonNode finish = JsonTree.event(text(encoder.encode(new StreamEvent.Finish(FinishReason.LENGTH))));
        assertThat(finish.at("/choices/0/delta")).isEqualTo(JsonTree.of("{\"role\":\"assistant\",\"content\":\"\"}"));
        assertThat(finish.at("/choices/0/finish_reason").asString()).isEqualTo("length");
        assertThat(encoder.encode(new StreamEvent.Finish(FinishReason.STOP))).isNull();
        assertThat(text(encoder.end())).isEqualTo("data: [DONE]\n\n");
    }

    @Test
    void endFinishesAStreamThatNeverSaidWhyAndAddsTheUsageChunkOnRequest() {
        ChatChunkEncoder encoder = ChatChunkEncoder.create("chatcmpl-x", "m", 1, true);
        encoder.encode(new StreamEvent.UsageReport(new Usage(10, 2, 4, 1, 0)));
        String end = text(encoder.end());
        assertThat(end).endsWith("data: [DONE]\n\n");
        List<JsonNode> chunks = JsonTree.events(end);
        assertThat(chunks).hasSize(2);
        assertThat(chunks.get(0).at("/choices/0/finish_reason").asString()).isEqualTo("stop");
        JsonNode usage = chunks.get(1).path("usage");
        assertThat(chunks.get(1).path("choices")).isEqualTo(JsonTree.of("[]"));
        assertThat(List.of(usage.path("prompt_tokens").asInt(), usage.path("completion_tokens").asInt(),
                usage.path("total_tokens").asInt())).containsExactly(10, 2, 12);
        assertThat(usage.path("prompt_tokens_details"))
                .isEqualTo(JsonTree.of("{\"cached_tokens\":4,\"cache_creation_tokens\":1}"));
    }

    @Test
    void aToolCallOpensWithItsIdTypeAndNameAtItsOwnIndex() {
        ChatChunkEncoder encoder = ChatChunkEncoder.create("chatcmpl-x", "m", 1, false);
        assertThat(JsonTree.event(text(encoder.encode(new StreamEvent.ToolCallStart(0, "call_1", "f"))))
                .at("/choices/0/delta")).isEqualTo(JsonTree.of("{\"role\":\"assistant\",\"content\":null,"
                        + "\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":"
                        + "{\"name\":\"f\",\"arguments\":\"\"}}]}"));
        assertThat(JsonTree.event(text(encoder.encode(new StreamEvent.ToolCallArguments(0, "{\"a\""))))
                .at("/choices/0/delta/tool_calls")).isEqualTo(JsonTree.of("[{\"index\":0,\"function\":"
                        + "{\"arguments\":\"{\\\"a\\\"\"}}]"));
        assertThat(encoder.encode(new StreamEvent.ToolCallArguments(0, ""))).isNull();
    }

    @Test
    void everyEventKindIsWrittenAsBefore() throws Exception {
        ChatChunkEncoder encoder = ChatChunkEncoder.create("chatcmpl-fallback", "m\u00e9", 1_700_000_000L, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (StreamEvent event : List.of(new StreamEvent.Started("msg_01 \"q\"", ""),
                new StreamEvent.UsageReport(new Usage(100, 5, 60, 30, 2)),
                new StreamEvent.ReasoningDelta("think \uD83D\uDE00"), new StreamEvent.ReasoningSignature("sig"),
                new StreamEvent.RedactedReasoning("ZW5j"), new StreamEvent.TextDelta("tab\t nl\n \u0001"),
                new StreamEvent.Refusal("no"), new StreamEvent.ToolCallStart(0, "call_1", "Read"),
                new StreamEvent.ToolCallArguments(0, ""), new StreamEvent.ToolCallArguments(0, "{\"p\":\"a\\\\b\"}"),
                new StreamEvent.Ping(), new StreamEvent.Error("e", "m"),
                new StreamEvent.Finish(FinishReason.TOOL_CALLS),
                new StreamEvent.Finish(FinishReason.STOP))) {
            byte[] bytes = encoder.encode(event);
            if (bytes != null) {
                out.writeBytes(bytes);
            }
        }
        out.writeBytes(encoder.end());
        ChatChunkEncoder toolsFirst = ChatChunkEncoder.create("chatcmpl-x", "m", 1L, false);
        out.writeBytes(toolsFirst.encode(new StreamEvent.ToolCallStart(2, "call_2", "Bash")));
        out.writeBytes(toolsFirst.end());
        ChatChunkEncoder empty = ChatChunkEncoder.create("chatcmpl-y", "m", 1L, false);
        out.writeBytes(empty.end());
        String expected;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/openai/chunks-every-event.sse")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
    }
}
