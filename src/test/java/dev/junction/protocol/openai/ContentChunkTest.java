package dev.junction.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.protocol.MalformedAnswerException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The streaming read of plain chunks, and the chunks it leaves to the decoder's tree read. */
class ContentChunkTest {

    private static ContentChunk read(String json) {
        return ContentChunk.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String chunk(String choice) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                + "\"system_fingerprint\":null,\"choices\":[" + choice + "]}";
    }

    @Test
    void readsTheDeltaOfAPlainChunk() {
        assertThat(read(chunk("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi \\u00e9\",\"refusal\":null},"
                + "\"logprobs\":null,\"finish_reason\":null}"))).isEqualTo(new ContentChunk("chatcmpl-1", "m", null, null,
                "Hi é", null, null));
        ContentChunk reasoning = read(chunk("{\"delta\":{\"reasoning_content\":\"\",\"reasoning\":\"hmm\","
                + "\"tool_calls\":[]},\"finish_reason\":\"stop\",\"usage\":null}"));
        assertThat(reasoning.reasoning()).isEqualTo("hmm");
        assertThat(reasoning.finishReason()).isEqualTo("stop");
        assertThat(read("{\"choices\":[],\"usage\":null,\"error\":null}"))
                .isEqualTo(new ContentChunk(null, null, null, null, null, null, null));
        assertThat(read(chunk("{\"delta\":{\"content\":\"a\"}},{\"delta\":{\"tool_calls\":[{}]}}")).content())
                .isEqualTo("a"); // only the first choice counts
        assertThat(read(chunk("{\"delta\":{\"content\":null,\"tool_calls\":null},\"finish_reason\":7}")))
                .isEqualTo(new ContentChunk("chatcmpl-1", "m", null, null, null, null, null));
    }

    @Test
    void leavesEveryOtherShapeToTheTreeRead() {
        String[] others = {
            chunk("{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\"}}]}}"),
            chunk("{\"delta\":{\"tool_calls\":{}}}"),
            chunk("{\"delta\":{\"content\":[{\"type\":\"text\",\"text\":\"a\"}]}}"),
            chunk("{\"delta\":{\"content\":5}}"),
            chunk("{\"delta\":null}"),
            chunk("{\"delta\":{},\"delta\":{}}"),
            chunk("{\"delta\":{},\"usage\":{\"prompt_tokens\":1}}"),
            chunk("\"not an object\""),
            "{\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}",
            "{\"choices\":[],\"choices\":[]}",
            "{\"choices\":{}}",
            "{\"error\":{\"message\":\"overloaded\"}}",
            "{\"object\":\"error\",\"message\":\"overloaded\"}",
        };
        for (String other : others) {
            assertThat(read(other)).as(other).isNull();
        }
    }

    @Test
    void refusesMalformedJson() {
        for (String bad : new String[] {"", "[]", "{\"choices\":[", "{\"id\":\"a\"} x", "{\"id\":\"a\"}{}"}) {
            assertThatThrownBy(() -> read(bad)).as(bad).isInstanceOf(MalformedAnswerException.class);
        }
    }
}
