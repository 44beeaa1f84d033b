package dev.junction.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.Part;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.core.canonical.Usage;
import dev.junction.http.SseEvent;
import dev.junction.protocol.MalformedAnswerException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The answer and stream decoders on what the golden files do not show: failures, bounds, edge orders. */
class ChatDecodersTest {

    private static CanonicalResponse whole(String json) {
        return ChatResponseDecoder.decode(json.getBytes(StandardCharsets.UTF_8), "seed", "fallback");
    }

    private static SseEvent data(String data) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        return new SseEvent(bytes, bytes, null, true);
    }

    private static SseEvent chunk(String delta, String finish) {
        return data("{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}]}");
    }

    @Test
    void aWholeAnswerThatIsNotOneIsMalformed() {
        assertThatThrownBy(() -> whole("{\"choices\":[")).isInstanceOf(MalformedAnswerException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> whole("{\"error\":{\"message\":\"overloaded\"}}"))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("overloaded");
        assertThatThrownBy(() -> whole("{\"object\":\"error\",\"message\":\"bad\"}"))
                .isInstanceOf(MalformedAnswerException.class);
        assertThatThrownBy(() -> whole("{\"id\":\"x\",\"choices\":[]}")).isInstanceOf(MalformedAnswerException.class)
                .hasMessageContaining("no choices");
        assertThatThrownBy(() -> whole("{\"choices\":[{\"message\":{\"tool_calls\":[{\"id\":\"a\",\"function\":"
                + "{\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\"}]}"))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("no function name");
        assertThatThrownBy(() -> whole("{\"choices\":[{\"message\":{\"content\":\"half\"},"
                + "\"finish_reason\":\"insufficient_system_resource\"}]}"))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("insufficient_system_resource");
    }

    @Test
    void aWholeAnswerTakesTextPartsFunctionCallFinishesAndFallsBackForIdAndModel() {
        CanonicalResponse response = whole("{\"choices\":[{\"message\":{\"content\":["
                + "{\"type\":\"text\",\"text\":\"a\"},"
                + "{\"type\":\"image_url\"},{\"type\":\"text\",\"text\":\"b\"}],\"reasoning_content\":\"r\","
                + "\"reasoning\":\"r\"},\"finish_reason\":\"function_call\"}]}");
        assertThat(response.id()).isEqualTo("seed");
        assertThat(response.model()).isEqualTo("fallback");
        assertThat(response.content()).containsExactly(new Part.Reasoning("r", null), Part.Text.of("ab"));
        assertThat(response.finish()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(response.usage()).isEqualTo(Usage.NONE);
    }

    @Test
    void aStreamEventThatIsNotJsonIsMalformed() {
        ChatStreamDecoder decoder = new ChatStreamDecoder("seed");
        assertThatThrownBy(() -> decoder.decode(data("{\"choices\":[{\"delta\""))).isInstanceOf(
                MalformedAnswerException.class);
        assertThatThrownBy(() -> decoder.decode(data("[1,2]"))).isInstanceOf(MalformedAnswerException.class);
    }

    @Test
    void doneWithoutAFinishFinishesOnceAndAnnouncesWaitingCalls() {
        ChatStreamDecoder decoder = new ChatStreamDecoder("seed");
        decoder.decode(chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"name\":\"now\"}}]}", null));
        assertThat(decoder.complete()).isFalse();
        assertThat(decoder.decode(data("[DONE]"))).containsExactly(
                new StreamEvent.ToolCallStart(0, "call_seed_0", "now"), new StreamEvent.ToolCallArguments(0, "{}"),
                new StreamEvent.Finish(FinishReason.TOOL_CALLS));
        assertThat(decoder.complete()).isTrue();
        assertThat(decoder.decode(chunk("{\"content\":\"late\"}", "stop"))).isEmpty();
    }

    @Test
    void onlyTheFirstFinishCountsAndContentAfterItIsDropped() {
        ChatStreamDecoder decoder = new ChatStreamDecoder("seed");
        assertThat(decoder.decode(chunk("{\"content\":\"a\"}", "length"))).containsExactly(
                new StreamEvent.Started("c", "m"), new StreamEvent.TextDelta("a"),
                new StreamEvent.Finish(FinishReason.LENGTH));
        assertThat(decoder.complete()).isTrue();
        assertThat(decoder.decode(chunk("{\"content\":\"b\"}", "stop"))).isEmpty();
        assertThat(decoder.decode(data("[DONE]"))).isEmpty();
    }

    @Test
    void aFinishThatReportsAProviderFailureIsAnErrorAndTheAnswerIncomplete() {
        ChatStreamDecoder decoder = new ChatStreamDecoder("seed");
        List<StreamEvent> events = decoder.decode(chunk("{\"content\":\"a\"}", "network_error"));
        assertThat(events.getLast()).isInstanceOfSatisfying(StreamEvent.Error.class, error -> {
            assertThat(error.type()).isEqualTo("network_error");
            assertThat(error.message()).contains("network_error");
        });
        assertThat(events).noneMatch(e -> e instanceof StreamEvent.Finish);
        assertThat(decoder.complete()).isFalse();
    }

    @Test
    void errorsInTheStreamInEveryShapeProvidersUse() {
        assertThat(new ChatStreamDecoder("s").decode(data("{\"error\":\"quota exhausted\"}")))
                .containsExactly(new StreamEvent.Error("error", "quota exhausted"));
        assertThat(new ChatStreamDecoder("s").decode(data("{\"error\":{\"message\":\"m\",\"type\":\"t\"}}")))
                .containsExactly(new StreamEvent.Error("t", "m"));
        assertThat(new ChatStreamDecoder("s").decode(data("{\"object\":\"error\",\"message\":\"vllm\"}")))
                .singleElement().isInstanceOf(StreamEvent.Error.class);
        byte[] named = "{\"message\":\"named\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(new ChatStreamDecoder("s").decode(new SseEvent(named, named, "error", true)))
                .singleElement().isInstanceOf(StreamEvent.Error.class);
    }

    @Test
    void commentsAreKeepAlivesAndReasoningUnderBothNamesIsReadOnce() {
        ChatStreamDecoder decoder = new ChatStreamDecoder("seed");
        assertThat(decoder.decode(new SseEvent(": ping\n\n".getBytes(StandardCharsets.UTF_8), new byte[0], null,
                false))).containsExactly(new StreamEvent.Ping());
        assertThat(decoder.decode(chunk("{\"reasoning_content\":\"x\",\"reasoning\":\"x\"}", null)))
                .containsExactly(new StreamEvent.Started("c", "m"), new StreamEvent.ReasoningDelta("x"));
    }

    @Test
    void readsUsageInsideTheChoiceAndReportsItOnlyWhenItChanges() {
        ChatStreamDecoder decoder = new ChatStreamDecoder("seed");
        String usage = "{\"prompt_tokens\":5,\"completion_tokens\":1,\"cached_tokens\":2}";
        SseEvent moonshot = data("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\",\"usage\":"
                + usage + "}]}");
        assertThat(decoder.decode(moonshot)).contains(new StreamEvent.UsageReport(new Usage(5, 1, 2, 0, 0)));
        assertThat(decoder.decode(data("{\"choices\":[],\"usage\":" + usage + "}"))).isEmpty();
    }

    @Test
    void boundsWhatItHoldsForACallWithoutAName() {
        ChatStreamDecoder decoder = new ChatStreamDecoder("seed");
        String fragment = "x".repeat(64 * 1024);
        assertThatThrownBy(() -> {
            for (int i = 0; i <= ChatStreamDecoder.MAX_PENDING / fragment.length(); i++) {
                decoder.decode(chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"" + fragment
                        + "\"}}]}", null));
            }
        }).isInstanceOf(MalformedAnswerException.class).hasMessageContaining("before its function name");
        ChatStreamDecoder many = new ChatStreamDecoder("seed");
        assertThatThrownBy(() -> {
            for (int i = 0; i <= ChatStreamDecoder.MAX_CALLS; i++) {
                many.decode(chunk("{\"tool_calls\":[{\"index\":" + i + ",\"function\":{\"name\":\"f\"}}]}", null));
            }
        }).isInstanceOf(MalformedAnswerException.class).hasMessageContaining("tool calls in one answer");
        ChatStreamDecoder nameless = new ChatStreamDecoder("seed");
        nameless.decode(chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":{\"arguments\":\"{}\"}}]}",
                null));
        assertThatThrownBy(() -> nameless.decode(chunk("{}", "tool_calls")))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("without a function name");
    }

    @Test
    void aCallsLateIdIsUsedWhileItWaitsForArgumentsAndIgnoredOnceStarted() {
        ChatStreamDecoder decoder = new ChatStreamDecoder("seed");
        decoder.decode(chunk("{\"tool_calls\":[{\"index\":3,\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}",
                null));
        assertThat(decoder.decode(chunk("{\"tool_calls\":[{\"index\":3,\"id\":\"late\",\"function\":"
                + "{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}}]}", null))).containsExactly(
                new StreamEvent.ToolCallStart(0, "late", "f"), new StreamEvent.ToolCallArguments(0, "{\"a\""));
        assertThat(decoder.decode(chunk("{\"tool_calls\":[{\"index\":3,\"id\":\"other\",\"function\":"
                + "{\"name\":\"f\",\"arguments\":\":1}\"}}]}", null)))
                .containsExactly(new StreamEvent.ToolCallArguments(0, ":1}"));
    }
}
