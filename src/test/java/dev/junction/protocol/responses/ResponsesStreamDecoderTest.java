package dev.junction.protocol.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.core.canonical.Usage;
import dev.junction.http.SseEvent;
import dev.junction.protocol.MalformedAnswerException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ResponsesStreamDecoder}, which reads a Responses upstream's stream when it continues an
 * answer in the Responses API: its tool-call paths (function_call items, argument deltas, several
 * calls, custom tool calls), a cut inside a call, and when the stream counts as complete.
 */
class ResponsesStreamDecoderTest {

    private final ResponsesStreamDecoder decoder = new ResponsesStreamDecoder();

    private static SseEvent event(String type, String fields) {
        String json = "{\"type\":\"" + type + "\"" + (fields.isEmpty() ? "" : "," + fields) + "}";
        byte[] data = json.getBytes(StandardCharsets.UTF_8);
        byte[] raw = ("event: " + type + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
        return new SseEvent(raw, data, type, true);
    }

    private List<StreamEvent> decode(SseEvent... events) {
        List<StreamEvent> out = new ArrayList<>();
        for (SseEvent event : events) {
            out.addAll(decoder.decode(event));
        }
        return out;
    }

    private static SseEvent callAdded(int index, String callId, String name) {
        return event("response.output_item.added", "\"output_index\":" + index + ",\"item\":{\"id\":\"fc_" + index
                + "\",\"type\":\"function_call\",\"status\":\"in_progress\",\"arguments\":\"\",\"call_id\":\""
                + callId + "\",\"name\":\"" + name + "\"}");
    }

    private static SseEvent arguments(int index, String delta) {
        return event("response.function_call_arguments.delta", "\"item_id\":\"fc_" + index + "\",\"output_index\":"
                + index + ",\"delta\":" + quoted(delta));
    }

    private static SseEvent callDone(int index, String callId, String name, String arguments) {
        return event("response.output_item.done", "\"output_index\":" + index + ",\"item\":{\"id\":\"fc_" + index
                + "\",\"type\":\"function_call\",\"status\":\"completed\",\"arguments\":" + quoted(arguments)
                + ",\"call_id\":\"" + callId + "\",\"name\":\"" + name + "\"}");
    }

    private static SseEvent completed() {
        return event("response.completed", "\"response\":{\"id\":\"resp_1\",\"status\":\"completed\",\"output\":[],"
                + "\"usage\":{\"input_tokens\":30,\"input_tokens_details\":{\"cached_tokens\":10},\"output_tokens\":12,"
                + "\"output_tokens_details\":{\"reasoning_tokens\":2}}}");
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void aFunctionCallItemIsItsStartThenItsArgumentDeltasAndTheFinishSaysToolCalls() {
        List<StreamEvent> events = decode(event("response.created", "\"response\":{\"id\":\"resp_1\",\"model\":\"gpt-5\"}"),
                callAdded(0, "call_a", "get_weather"), arguments(0, "{\"city\":"), arguments(0, "\"Paris\"}"),
                event("response.function_call_arguments.done", "\"output_index\":0,\"arguments\":\"{}\""),
                callDone(0, "call_a", "get_weather", "{\"city\":\"Paris\"}"), completed());
        assertThat(events).containsExactly(new StreamEvent.Started("resp_1", "gpt-5"),
                new StreamEvent.ToolCallStart(0, "call_a", "get_weather"),
                new StreamEvent.ToolCallArguments(0, "{\"city\":"), new StreamEvent.ToolCallArguments(0, "\"Paris\"}"),
                new StreamEvent.UsageReport(new Usage(30, 12, 10, 0, 2)), new StreamEvent.Finish(FinishReason.TOOL_CALLS));
        assertThat(decoder.complete()).isTrue();
    }

    @Test
    void severalCallsKeepTheirOwnIndexesAfterText() {
        List<StreamEvent> events = decode(
                event("response.output_item.added", "\"output_index\":0,\"item\":{\"id\":\"msg_0\",\"type\":\"message\"}"),
                event("response.output_text.delta", "\"output_index\":0,\"delta\":\"Checking both.\""),
                event("response.output_item.done", "\"output_index\":0,\"item\":{\"id\":\"msg_0\",\"type\":\"message\"}"),
                callAdded(1, "call_a", "get_weather"), arguments(1, "{\"city\":\"Paris\"}"),
                callDone(1, "call_a", "get_weather", "{\"city\":\"Paris\"}"),
                callAdded(2, "call_b", "get_time"), arguments(2, "{\"tz\":"), arguments(2, "\"CET\"}"),
                callDone(2, "call_b", "get_time", "{\"tz\":\"CET\"}"), completed());
        assertThat(events).containsExactly(new StreamEvent.TextDelta("Checking both."),
                new StreamEvent.ToolCallStart(1, "call_a", "get_weather"),
                new StreamEvent.ToolCallArguments(1, "{\"city\":\"Paris\"}"),
                new StreamEvent.ToolCallStart(2, "call_b", "get_time"), new StreamEvent.ToolCallArguments(2, "{\"tz\":"),
                new StreamEvent.ToolCallArguments(2, "\"CET\"}"),
                new StreamEvent.UsageReport(new Usage(30, 12, 10, 0, 2)), new StreamEvent.Finish(FinishReason.TOOL_CALLS));
    }

    @Test
    void aCustomToolCallsInputComesWholeAtItsDoneAsTheInputArgument() {
        List<StreamEvent> events = decode(event("response.output_item.added", "\"output_index\":0,\"item\":{\"id\":"
                + "\"ctc_0\",\"type\":\"custom_tool_call\",\"call_id\":\"call_p\",\"name\":\"apply_patch\",\"input\":\"\"}"),
                event("response.custom_tool_call_input.delta", "\"output_index\":0,\"delta\":\"*** Begin\""),
                event("response.custom_tool_call_input.delta", "\"output_index\":0,\"delta\":\" Patch\""),
                event("response.output_item.done", "\"output_index\":0,\"item\":{\"id\":\"ctc_0\",\"type\":"
                        + "\"custom_tool_call\",\"call_id\":\"call_p\",\"name\":\"apply_patch\"}"));
        assertThat(events).containsExactly(new StreamEvent.ToolCallStart(0, "call_p", "apply_patch"),
                new StreamEvent.ToolCallArguments(0, "{\"input\":\"*** Begin Patch\"}"));
    }

    /**
     * The Responses API has no finish before {@code response.completed}: with every item begun done,
     * the provider may still begin another (a function_call after the message), so a stream cut
     * there, or inside a call, is a break, never a complete answer.
     */
    @Test
    void onlyResponseCompletedMakesTheAnswerCompleteNotACallOrItemDone() {
        decode(event("response.output_item.added", "\"output_index\":0,\"item\":{\"id\":\"msg_0\",\"type\":\"message\"}"),
                event("response.output_text.delta", "\"output_index\":0,\"delta\":\"Let me check.\""),
                event("response.output_item.done", "\"output_index\":0,\"item\":{\"id\":\"msg_0\",\"type\":\"message\"}"));
        assertThat(decoder.complete()).as("a call may follow the message").isFalse();
        List<StreamEvent> events = decode(callAdded(1, "call_a", "get_weather"), arguments(1, "{\"city\":\"Pa"));
        assertThat(events).containsExactly(new StreamEvent.ToolCallStart(1, "call_a", "get_weather"),
                new StreamEvent.ToolCallArguments(1, "{\"city\":\"Pa"));
        assertThat(decoder.complete()).as("a call is open").isFalse();
        decode(callDone(1, "call_a", "get_weather", "{\"city\":\"Paris\"}"));
        assertThat(decoder.complete()).as("another call may follow").isFalse();
        decode(completed());
        assertThat(decoder.complete()).isTrue();
    }

    @Test
    void aCallWithoutItsIdOrNameIsMalformedAndAFailureIsAnError() {
        assertThatThrownBy(() -> decoder.decode(event("response.output_item.added", "\"output_index\":0,\"item\":"
                + "{\"type\":\"function_call\",\"name\":\"get_weather\"}"))).isInstanceOf(MalformedAnswerException.class);
        assertThat(new ResponsesStreamDecoder().decode(event("response.failed", "\"response\":{\"error\":{\"code\":"
                + "\"server_error\",\"message\":\"boom\"}}"))).containsExactly(new StreamEvent.Error("server_error", "boom"));
    }
}
