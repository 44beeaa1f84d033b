package dev.junction.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.core.canonical.Usage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

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
        assertThat(first).startsWith("data: {\"id\":\"chatcmpl-msg_1\"").contains("\"model\":\"claude\"")
                .contains("\"delta\":{\"role\":\"assistant\",\"content\":\"a\"}").endsWith("}\n\n");
        assertThat(second).doesNotContain("role");
        assertThat(encoder.usage()).isEqualTo(new Usage(3, 4, 0, 0, 0));
    }

    @Test
    void exactlyOneFinishAndNoUsageChunkUnlessAsked() {
        ChatChunkEncoder encoder = ChatChunkEncoder.create("chatcmpl-x", "m", 1, false);
        assertThat(text(encoder.encode(new StreamEvent.Finish(FinishReason.LENGTH))))
                .contains("\"delta\":{\"role\":\"assistant\",\"content\":\"\"}")
                .contains("\"finish_reason\":\"length\"");
        assertThat(encoder.encode(new StreamEvent.Finish(FinishReason.STOP))).isNull();
        assertThat(text(encoder.end())).isEqualTo("data: [DONE]\n\n");
    }

    @Test
    void endFinishesAStreamThatNeverSaidWhyAndAddsTheUsageChunkOnRequest() {
        ChatChunkEncoder encoder = ChatChunkEncoder.create("chatcmpl-x", "m", 1, true);
        encoder.encode(new StreamEvent.UsageReport(new Usage(10, 2, 4, 1, 0)));
        String end = text(encoder.end());
        assertThat(end).contains("\"finish_reason\":\"stop\"")
                .contains("\"choices\":[],\"usage\":{\"prompt_tokens\":10,"
                + "\"completion_tokens\":2,\"total_tokens\":12,\"prompt_tokens_details\":{\"cached_tokens\":4,"
                + "\"cache_creation_tokens\":1}").endsWith("data: [DONE]\n\n");
    }

    @Test
    void aToolCallOpensWithItsIdTypeAndNameAtItsOwnIndex() {
        ChatChunkEncoder encoder = ChatChunkEncoder.create("chatcmpl-x", "m", 1, false);
        assertThat(text(encoder.encode(new StreamEvent.ToolCallStart(0, "call_1", "f"))))
                .contains("\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,"
                        + "\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\","
                        + "\"arguments\":\"\"}}]}");
        assertThat(text(encoder.encode(new StreamEvent.ToolCallArguments(0, "{\"a\""))))
                .contains("\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\\\"\"}}]");
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
