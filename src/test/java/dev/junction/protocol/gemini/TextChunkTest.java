package dev.junction.protocol.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.core.canonical.Part;
import dev.junction.protocol.MalformedAnswerException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming read of text chunks, and the chunks it leaves to the decoder's tree read. */
class TextChunkTest {

    private static TextChunk read(String json) {
        return TextChunk.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String chunk(String parts, String rest) {
        return "{\"candidates\":[{\"content\":{\"parts\":[" + parts + "],\"role\":\"model\"}" + rest
                + ",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":12,\"candidatesTokenCount\":3,"
                + "\"totalTokenCount\":15,\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":12}],"
                + "\"thoughtsTokenCount\":-2},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}";
    }

    @Test
    void readsTextThoughtsUsageAndTheFinish() {
        TextChunk chunk = read(chunk("{\"text\":\"Hi \\u00e9\"},{\"text\":\"\"},{\"text\":\"hmm\",\"thought\":true,"
                + "\"thoughtSignature\":\"c2ln\"}", ",\"finishReason\":\"STOP\""));
        assertThat(chunk).isEqualTo(new TextChunk("r1", "gemini-2.5-flash", List.of(Part.Text.of("Hi é"),
                new Part.Reasoning("hmm", null)), new TextChunk.UsageCounts(12, 0, 3, 0, 0), "STOP"));
        assertThat(read("{\"candidates\":[]}")).isEqualTo(new TextChunk(null, null, List.of(), null, null));
    }

    @Test
    void leavesEveryOtherShapeToTheTreeRead() {
        String[] others = {
            chunk("{\"functionCall\":{\"name\":\"f\",\"args\":{}}}", ""),
            chunk("{\"text\":\"a\",\"thought\":\"yes\"}", ""),
            chunk("\"text\"", ""),
            "{\"candidates\":[],\"promptFeedback\":{\"blockReason\":\"SAFETY\"}}",
            "{\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\"}}",
            "{\"candidates\":{}}",
            "{\"candidates\":[\"x\"]}",
            "{\"candidates\":[],\"candidates\":[]}",
            "{\"candidates\":[{\"content\":null}]}",
            "{\"usageMetadata\":null}",
        };
        for (String other : others) {
            assertThat(read(other)).as(other).isNull();
        }
    }

    @Test
    void refusesMalformedJson() {
        for (String bad : new String[] {"", "[]", "{\"candidates\":[", "{} x"}) {
            assertThatThrownBy(() -> read(bad)).as(bad).isInstanceOf(MalformedAnswerException.class);
        }
    }
}
