package dev.junction.protocol.responses;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.core.canonical.Usage;
import dev.junction.protocol.JsonTrees;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Responses stream byte for byte, every event kind; the goldens compare the JSON only. */
class ResponsesStreamTest {

    @Test
    void everyEventKindIsWrittenAsBefore() throws Exception {
        JsonNode request = JsonTrees.parse("{\"model\":\"gpt-5-codex\",\"input\":\"hi\",\"tools\":[{\"type\":\"function\","
                + "\"name\":\"read\",\"parameters\":{\"type\":\"object\"}},{\"type\":\"custom\",\"name\":\"apply_patch\"}]}");
        ResponsesOutput output = new ResponsesOutput("resp_test", ResponsesDecoder.toolNames(request.path("tools")),
                ResponsesOutput.echo(request));
        ResponsesStream stream = new ResponsesStream(output, "gpt-5-codex", 1_700_000_000L, new Sequence(), _ -> {
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (StreamEvent event : List.of(new StreamEvent.Started("x", "m"),
                new StreamEvent.UsageReport(new Usage(100, 20, 60, 0, 5)),
                new StreamEvent.ReasoningDelta("think \uD83D\uDE00"), new StreamEvent.ReasoningSignature("sig"),
                new StreamEvent.TextDelta("tab\t \"é\""), new StreamEvent.TextDelta(" more"),
                new StreamEvent.ToolCallStart(0, "call_1", "read"), new StreamEvent.ToolCallArguments(0, "{\"p\":"),
                new StreamEvent.ToolCallArguments(0, "\"a\"}"), new StreamEvent.ToolCallStart(1, "call_2", "apply_patch"),
                new StreamEvent.ToolCallArguments(1, "{\"input\":\"*** Begin\"}"), new StreamEvent.RedactedReasoning("enc"),
                new StreamEvent.Refusal("no"), new StreamEvent.Finish(FinishReason.TOOL_CALLS))) {
            byte[] bytes = stream.encode(event);
            if (bytes != null) {
                out.writeBytes(bytes);
            }
        }
        out.writeBytes(stream.end());
        String expected;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/responses/streams/every-event.bytes.sse")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
    }
}
