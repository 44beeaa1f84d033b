package dev.junction.protocol.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.http.SseEvent;
import dev.junction.protocol.MalformedAnswerException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponsesEventTest {

    private static ResponsesEvent read(String data) {
        return ResponsesEvent.read(data.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheTypeAndSequenceNumberWhereverTheyStand() {
        ResponsesEvent event = read("{\"item\":{\"type\":\"message\",\"sequence_number\":99},\"sequence_number\":7,"
                + "\"type\":\"response.output_text.delta\",\"delta\":\"hi\"}");
        assertThat(event).isEqualTo(new ResponsesEvent("response.output_text.delta", 7));
        assertThat(event.sequenced()).isTrue();
    }

    @Test
    void aMissingOrOddTypeFallsBackToTheEventNameAndAnOddNumberIsNoSequence() {
        SseEvent sse = new SseEvent(new byte[0], new byte[0], "response.created", true);
        assertThat(read("{\"type\":5,\"sequence_number\":\"3\"}").type(sse)).isEqualTo("response.created");
        assertThat(read("{\"sequence_number\":1.5}").sequenced()).isFalse();
        assertThat(read("{}").type(new SseEvent(new byte[0], new byte[0], null, true))).isEmpty();
    }

    @Test
    void refusesWhatATreeReadRefuses() {
        for (String data : new String[] {"", "[]", "{\"type\":\"x\"", "{\"type\":\"x\"} y", "{\"type\":tru}"}) {
            assertThatThrownBy(() -> read(data)).as(data).isInstanceOf(MalformedAnswerException.class);
        }
    }

    /** What OpenAI's Responses API streams: every one read without Jackson, as Jackson reads it. */
    private static final String[] SENT = {
        "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_1\",\"object\":\"response\","
                + "\"created_at\":1764000000,\"status\":\"in_progress\",\"output\":[],\"usage\":null}}",
        "{\"type\":\"response.output_text.delta\",\"sequence_number\":4,\"item_id\":\"msg_1\",\"output_index\":0,"
                + "\"content_index\":0,\"delta\":\"Hi \\\"there\\\"\\n 你好\",\"logprobs\":[]}",
        "{\"type\":\"response.function_call_arguments.delta\",\"sequence_number\":12,\"item_id\":\"fc_1\","
                + "\"output_index\":1,\"delta\":\"{\\\"path\\\":\"}",
        "{\"type\":\"response.completed\",\"sequence_number\":30,\"response\":{\"id\":\"resp_1\",\"status\":\"completed\","
                + "\"usage\":{\"input_tokens\":12,\"output_tokens\":5,\"total_tokens\":17,"
                + "\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens_details\":{\"reasoning_tokens\":0}}}}",
        "{\"sequence_number\":{\"type\":\"inner\"},\"type\":\"outer\"}",
        "{\"sequence_number\":4294967297,\"type\":\"x\"}",
    };

    @Test
    void readsWhatProvidersSendWithoutJacksonAsJacksonDoes() {
        for (String data : SENT) {
            byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
            assertThat(ResponsesEvent.plain(bytes)).as(data).isNotNull().isEqualTo(ResponsesEvent.parse(bytes));
        }
        assertThat(read(SENT[1])).isEqualTo(new ResponsesEvent("response.output_text.delta", 4));
        // an object where the number belongs is skipped, not read as the event's own fields
        assertThat(ResponsesEvent.parse(SENT[4].getBytes(StandardCharsets.UTF_8))).isEqualTo(new ResponsesEvent("outer", -1));
    }

    /** Mutated events: wherever the plain read answers, Jackson reads the same. */
    @Test
    void thePlainReadAgreesWithJacksonOnMutatedEvents() {
        java.util.Random random = new java.util.Random(20261205);
        int plain = 0;
        for (int i = 0; i < 30_000; i++) {
            byte[] data = SENT[random.nextInt(SENT.length)].getBytes(StandardCharsets.UTF_8);
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                data = dev.junction.protocol.JsonMutations.mutate(random, data);
            }
            plain += ResponsesEventAgreement.check(data) ? 1 : 0;
        }
        assertThat(plain).as("mutated events still plain JSON").isGreaterThan(1_000);
    }
}
