package dev.junction.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.core.canonical.StreamEvent;
import dev.junction.http.SseEvent;
import dev.junction.protocol.MalformedAnswerException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The decoder reads the events of every token without a tree; events of unusual shape take the
 * tree read, so they decode as they always did.
 */
class MessagesStreamDecoderTest {

    private static SseEvent event(String data) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        return new SseEvent(bytes, bytes, null, true);
    }

    private static MessagesStreamDecoder withTextAndToolBlocks() {
        MessagesStreamDecoder decoder = new MessagesStreamDecoder(null);
        decoder.decode(event("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\","
                + "\"text\":\"\"}}"));
        decoder.decode(event("{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\","
                + "\"id\":\"toolu_1\",\"name\":\"Read\",\"input\":{}}}"));
        return decoder;
    }

    @Test
    void plainDeltasStopsAndPingsAreRead() {
        MessagesStreamDecoder decoder = withTextAndToolBlocks();
        assertThat(decoder.decode(event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                + "\"text_delta\",\"text\":\"Hi \\\"there\\\" \\u00e9\"}}")))
                .containsExactly(new StreamEvent.TextDelta("Hi \"there\" é"));
        assertThat(decoder.decode(event("{\"delta\":{\"partial_json\":\"{\\\"a\\\":\",\"type\":\"input_json_delta\"},"
                + "\"index\":1,\"type\":\"content_block_delta\"}")))
                .containsExactly(new StreamEvent.ToolCallArguments(0, "{\"a\":"));
        assertThat(decoder.decode(event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                + "\"thinking_delta\",\"thinking\":\"x\"}}"))).isEmpty(); // not a thinking block
        assertThat(decoder.decode(event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                + "\"text_delta\"}}"))).containsExactly(new StreamEvent.TextDelta(""));
        assertThat(decoder.decode(event("{\"type\": \"ping\"}"))).containsExactly(new StreamEvent.Ping());
        assertThat(decoder.decode(event("{\"type\":\"content_block_stop\",\"index\":0}"))).isEmpty();
        assertThat(decoder.decode(event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                + "\"text_delta\",\"text\":\"late\"}}"))).isEmpty(); // the block is closed
    }

    @Test
    void unusualShapesAreReadAsATreeReadsThem() {
        MessagesStreamDecoder decoder = withTextAndToolBlocks();
        assertThat(decoder.decode(event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                + "\"text_delta\",\"text\":5}}"))).containsExactly(new StreamEvent.TextDelta("5"));
        assertThat(decoder.decode(event("{\"type\":\"content_block_delta\",\"index\":\"1\",\"delta\":{\"type\":"
                + "\"input_json_delta\",\"partial_json\":\"}\"}}")))
                .containsExactly(new StreamEvent.ToolCallArguments(0, "}"));
        assertThat(decoder.decode(event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                + "\"citations_delta\",\"citation\":{\"type\":\"char_location\"}}}"))).isEmpty();
        assertThat(decoder.decode(event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                + "\"text_delta\",\"text\":\"a\",\"text\":\"b\"}}"))).containsExactly(new StreamEvent.TextDelta("b"));
        assertThat(decoder.decode(event("{\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"untyped\"}}")))
                .isEmpty();
    }

    @Test
    void malformedEventsAreRefused() {
        MessagesStreamDecoder decoder = withTextAndToolBlocks();
        for (String data : new String[] {"{\"type\":\"content_block_delta\"", "{\"type\":\"ping\"} x", "[1]", "",
            "{\"type\":\"ping\"}{}", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"text\":\"\\q\"}}"}) {
            assertThatThrownBy(() -> decoder.decode(event(data))).as(data).isInstanceOf(MalformedAnswerException.class);
        }
    }

    /** An index that is not a number reads as block 0, as a missing one does, and never crashes (found by fuzzing). */
    @Test
    void anIndexThatIsNotANumberIsReadAsZero() {
        MessagesStreamDecoder decoder = withTextAndToolBlocks();
        for (String index : new String[] {"{\"type\":\"text_delta\"}", "[1]", "\"x\"", "null"}) {
            assertThat(decoder.decode(event("{\"type\":\"content_block_delta\",\"index\":" + index
                    + ",\"delta\":{\"type\":\"text_delta\",\"text\":\"7.\"}}"))).as(index).isNotNull();
            assertThat(decoder.decode(event("{\"type\":\"content_block_stop\",\"index\":" + index + "}"))).as(index)
                    .isNotNull();
        }
    }
}
