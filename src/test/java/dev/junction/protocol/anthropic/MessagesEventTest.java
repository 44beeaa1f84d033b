package dev.junction.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.http.SseEvent;
import dev.junction.protocol.JsonMutations;
import dev.junction.protocol.MalformedAnswerException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessagesEventTest {

    /** What Anthropic sends: every one is read without Jackson, to the type Jackson reads. */
    private static final String[][] SENT = {
        {"message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":"
                + "\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5\",\"stop_reason\":null,\"usage\":"
                + "{\"input_tokens\":25,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}"},
        {"content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"},
        {"ping", "{\"type\": \"ping\"}"},
        {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
                + "\"text\":\"Hello \\\"world\\\"\\n\\u00e9 你好 😀\"}}"},
        {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
                + "\"partial_json\":\"{\\\"city\\\": \\\"Par\"}}"},
        {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\","
                + "\"thinking\":\"Let me think.\"}}"},
        {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"},
        {"message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                + "\"usage\":{\"output_tokens\":15}}"},
        {"message_stop", "{\"type\":\"message_stop\"}"},
        {"error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"},
        {"content_block_delta", "{\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"no type: the SSE name\"}}"},
        {"odd", "{\"type\":7,\"index\":0}"},
    };

    private static SseEvent event(String name, byte[] data) {
        byte[] raw = ("event: " + name + "\ndata: " + new String(data, StandardCharsets.UTF_8) + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
        return new SseEvent(raw, data, name, true);
    }

    private static SseEvent event(String name, String json) {
        return event(name, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void thePassThroughReadsTheTypeOfWhatAnthropicSendsWithoutJackson() {
        for (String[] sent : SENT) {
            assertThat(MessagesEventAgreement.check(event(sent[0], sent[1]))).as(sent[1]).isTrue();
        }
        assertThat(MessagesEvent.typeOf(event("x", SENT[3][1]))).isEqualTo("content_block_delta");
        assertThat(MessagesEvent.typeOf(event("content_block_delta", SENT[10][1]))).isEqualTo("content_block_delta");
        assertThat(MessagesEvent.typeOf(event("odd", SENT[11][1]))).isEqualTo("odd");
    }

    @Test
    void whatIsNotPlainJsonIsReadByJackson() {
        assertThat(MessagesEvent.plainType(event("m", "{\"type\":\"message\\u005fstop\"}"))).isNull();
        assertThat(MessagesEvent.typeOf(event("m", "{\"type\":\"message\\u005fstop\"}"))).isEqualTo("message_stop");
        assertThat(MessagesEvent.plainType(event("m", "{\"type\":\"message_stop\"} x"))).isNull();
        assertThatThrownBy(() -> MessagesEvent.typeOf(event("m", "{\"type\":\"message_stop\"} x")))
                .isInstanceOf(MalformedAnswerException.class);
        assertThatThrownBy(() -> MessagesEvent.typeOf(event("m", "{\"type\":\"message_stop\",}")))
                .isInstanceOf(MalformedAnswerException.class);
    }

    /** Mutated events: wherever the plain read answers, Jackson reads the same type. */
    @Test
    void thePlainReadAgreesWithJacksonOnMutatedEvents() {
        Random random = new Random(20261205);
        int plain = 0;
        for (int i = 0; i < 30_000; i++) {
            String[] sent = SENT[random.nextInt(SENT.length)];
            byte[] data = sent[1].getBytes(StandardCharsets.UTF_8);
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                data = JsonMutations.mutate(random, data);
            }
            plain += MessagesEventAgreement.check(event(sent[0], data)) ? 1 : 0;
        }
        assertThat(plain).as("mutated events still plain JSON").isGreaterThan(1_000);
    }
}
