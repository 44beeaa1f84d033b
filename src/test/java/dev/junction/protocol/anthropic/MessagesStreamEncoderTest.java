package dev.junction.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.core.canonical.Usage;
import dev.junction.testing.JsonTree;
import dev.junction.testing.Sse;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagesStreamEncoderTest {

    static String fixture(String name) throws Exception {
        try (InputStream in = MessagesStreamEncoderTest.class.getResourceAsStream(
                "/fixtures/anthropic-ingress/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The stop reason of the stream's {@code message_delta}. */
    private static String stopReason(String sse) {
        return Sse.events(sse).stream().filter(e -> "message_delta".equals(e.name())).findFirst().orElseThrow()
                .json().at("/delta/stop_reason").asString();
    }

    static String run(MessagesStreamEncoder encoder, List<StreamEvent> events, boolean end) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (StreamEvent event : events) {
            byte[] bytes = encoder.encode(event);
            if (bytes != null) {
                out.writeBytes(bytes);
            }
        }
        if (end) {
            out.writeBytes(encoder.end());
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void thinkingTextAndTwoToolCallsFollowTheGoldenGrammar() throws Exception {
        Usage usage = new Usage(20, 9, 5, 0, 0);
        String sse = run(new MessagesStreamEncoder("msg_fallback", "fallback-model"), List.of(
                new StreamEvent.Started("resp_1", "gemini-2.5-flash"),
                new StreamEvent.UsageReport(new Usage(20, 0, 5, 0, 0)),
                new StreamEvent.ReasoningDelta(""),
                new StreamEvent.ReasoningDelta("Let me"),
                new StreamEvent.ReasoningDelta(" think."),
                new StreamEvent.ReasoningSignature("sig-1"),
                new StreamEvent.TextDelta("Running it."),
                new StreamEvent.Ping(),
                new StreamEvent.ToolCallStart(0, "call_1", "Bash"),
                new StreamEvent.ToolCallArguments(0, "{\"command\":"),
                new StreamEvent.ToolCallArguments(0, "\"echo hi\"}"),
                new StreamEvent.ToolCallStart(1, "call_2", "Bash"),
                new StreamEvent.ToolCallArguments(1, "{\"command\":\"ls\"}"),
                new StreamEvent.Finish(FinishReason.TOOL_CALLS),
                new StreamEvent.UsageReport(usage)), true);
        assertThat(sse).isEqualTo(fixture("stream-thinking-text-tool.sse"));
    }

    @Test
    void nothingIsWrittenBeforeTheFirstVisibleEvent() {
        MessagesStreamEncoder encoder = new MessagesStreamEncoder("msg_x", "m");
        assertThat(encoder.encode(new StreamEvent.Started("id", "m"))).isNull();
        assertThat(encoder.encode(new StreamEvent.UsageReport(new Usage(3, 0, 0, 0, 0)))).isNull();
        assertThat(encoder.encode(new StreamEvent.Ping())).isNull();
        assertThat(encoder.encode(new StreamEvent.TextDelta(""))).isNull();
        String first = new String(encoder.encode(new StreamEvent.TextDelta("Hi")), StandardCharsets.UTF_8);
        assertThat(first).startsWith("event: message_start\n").contains("event: content_block_start\n");
        assertThat(Sse.events(first).getLast().json().at("/delta/text").asString()).isEqualTo("Hi");
    }

    @Test
    void anEmptyAnswerStillHasACompleteGrammarAndAnEndTurn() {
        String sse = run(new MessagesStreamEncoder("msg_x", "m"), List.of(new StreamEvent.Finish(FinishReason.STOP)),
                true);
        assertThat(sse).startsWith("event: message_start\n").doesNotContain("content_block_start");
        assertThat(stopReason(sse)).isEqualTo("end_turn");
        Sse.Event last = Sse.events(sse).getLast();
        assertThat(last.name()).isEqualTo("message_stop");
        assertThat(last.json()).isEqualTo(JsonTree.of("{\"type\":\"message_stop\"}"));
    }

    @Test
    void refusalsAndLengthLimitsMapToAnthropicsStopReasons() {
        String refused = run(new MessagesStreamEncoder("msg_x", "m"), List.of(new StreamEvent.Refusal("No."),
                new StreamEvent.Finish(FinishReason.CONTENT_FILTER)), true);
        assertThat(Sse.events(refused)).anyMatch(e -> e.json().at("/delta/text").asString("").equals("No."));
        assertThat(stopReason(refused)).isEqualTo("refusal");
        String cut = run(new MessagesStreamEncoder("msg_x", "m"), List.of(new StreamEvent.TextDelta("a"),
                new StreamEvent.Finish(FinishReason.LENGTH)), true);
        assertThat(stopReason(cut)).isEqualTo("max_tokens");
    }

    @Test
    void aBrokenStreamEndsWithAnErrorEventOnly() {
        String error = new String(AnthropicErrors.streamEvent("upstream cut"), StandardCharsets.UTF_8);
        assertThat(error).isEqualTo("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\","
                + "\"message\":\"upstream cut\"}}\n\n");
    }

    @Test
    void everyEventKindIsWrittenAsBefore() throws Exception {
        String sse = run(new MessagesStreamEncoder("msg_fallback", "fallback-model"), List.of(
                new StreamEvent.Started("", null),
                new StreamEvent.UsageReport(new Usage(100, 0, 60, 30, 0)),
                new StreamEvent.RedactedReasoning("ZW5jcnlwdGVk"),
                new StreamEvent.ReasoningSignature("sig-only"),
                new StreamEvent.Ping(),
                new StreamEvent.TextDelta("quote \" tab \t emoji \uD83D\uDE00 \u00e9"),
                new StreamEvent.Refusal("I can't help with that."),
                new StreamEvent.ToolCallStart(0, "toolu_1", "Read"),
                new StreamEvent.ToolCallArguments(0, ""),
                new StreamEvent.ToolCallArguments(3, "{\"ignored\":true}"),
                new StreamEvent.ToolCallArguments(0, "{\"path\":\"a\\\\b\"}"),
                new StreamEvent.Error("overloaded", "ignored here"),
                new StreamEvent.Finish(FinishReason.LENGTH),
                new StreamEvent.Ping()), true);
        assertThat(sse).isEqualTo(fixture("stream-every-event.sse"));
    }
}
