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
}
