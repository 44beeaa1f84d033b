package dev.junction.protocol.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.core.canonical.EmbeddingsRequest;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.MalformedAnswerException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class GeminiEmbeddingsTest {

    private static final EmbeddingsRequest ONE = new EmbeddingsRequest(List.of("a"), OptionalInt.empty());

    private static tools.jackson.databind.node.ObjectNode answer(String json) {
        return JsonTrees.object(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheValues() {
        var embeddings = GeminiEmbeddings.INSTANCE.decode(ONE, answer("{\"embeddings\":[{\"values\":[0.5,-1,2e-3]}]}"));
        assertThat(embeddings.vectors()).hasSize(1);
    }

    /** Values that are not an array of numbers are a malformed answer, not a crash (found by fuzzing). */
    @Test
    void valuesThatAreNotNumbersAreAMalformedAnswer() {
        for (String values : new String[] {"{\"a\":1}", "[1,\"2\"]", "[1,{\"b\":2}]", "[null]", "\"x\""}) {
            assertThatThrownBy(() -> GeminiEmbeddings.INSTANCE.decode(ONE,
                    answer("{\"embeddings\":[{\"values\":" + values + "}]}")))
                    .as(values).isInstanceOf(MalformedAnswerException.class);
        }
    }
}
