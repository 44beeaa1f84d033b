package dev.junction.protocol.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.core.canonical.Usage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerateContentStreamEncoderTest {

    private static String run(GenerateContentStreamEncoder encoder, List<StreamEvent> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (StreamEvent event : events) {
            byte[] bytes = encoder.encode(event);
            if (bytes != null) {
                out.writeBytes(bytes);
            }
        }
        out.writeBytes(encoder.end());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyEventKindIsWrittenAsBefore() throws Exception {
        String sse = run(new GenerateContentStreamEncoder("fallback", "gemini-x", true), List.of(
                new StreamEvent.Started("resp \"1\"", null),
                new StreamEvent.UsageReport(new Usage(100, 20, 60, 0, 5)),
                new StreamEvent.ReasoningDelta("think \uD83D\uDE00"), new StreamEvent.ReasoningSignature("sig"),
                new StreamEvent.TextDelta("tab\t é"), new StreamEvent.TextDelta(""),
                new StreamEvent.ToolCallStart(0, "call_1", "Read"), new StreamEvent.ToolCallArguments(0, "{\"p\":"),
                new StreamEvent.ToolCallArguments(0, "\"a\"}"), new StreamEvent.ToolCallStart(1, "call_2", "Ls"),
                new StreamEvent.TextDelta("after"), new StreamEvent.ToolCallStart(2, "call_3", "Bad"),
                new StreamEvent.ToolCallArguments(2, "not json"), new StreamEvent.Refusal("no"),
                new StreamEvent.Finish(FinishReason.LENGTH)))
                + run(new GenerateContentStreamEncoder("empty", "m", false), List.of(
                        new StreamEvent.ReasoningDelta("hidden"), new StreamEvent.Finish(FinishReason.STOP)));
        String expected;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/gemini-ingress/stream-every-event.sse")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(sse).isEqualTo(expected);
    }
}
