package dev.junction.protocol.responses;

import dev.junction.core.canonical.StreamEvent;
import dev.junction.http.SseEvent;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.MalformedAnswerException;
import dev.junction.protocol.StreamDecoder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads an upstream's Responses event stream as canonical events, for a continuation sent to a
 * {@code responses: true} channel in the client's own API ({@link ResponsesClientRequest#continuation}):
 * output text, reasoning summaries, function calls (start and argument deltas) and custom tool calls
 * (their free-form input as the {@code {"input": …}} argument the client encoder expects), refusals,
 * the final usage and finish; {@code response.failed} and {@code error} are error events.
 */
final class ResponsesStreamDecoder implements StreamDecoder {

    /** Output index of each open custom tool call, with its input so far. */
    private final Map<Integer, StringBuilder> customInputs = new HashMap<>();
    private boolean calls;
    private boolean complete;

    @Override
    public List<StreamEvent> decode(SseEvent event) {
        ObjectNode json = JsonTrees.object(event.data());
        String type = JsonTrees.string(json, "type");
        if (type == null) {
            type = event.name() == null ? "" : event.name();
        }
        int index = json.path("output_index").asInt(0);
        return switch (type) {
            case "response.created" -> List.of(new StreamEvent.Started(JsonTrees.string(json.path("response"), "id"),
                    JsonTrees.string(json.path("response"), "model")));
            case "response.output_text.delta" -> List.of(new StreamEvent.TextDelta(json.path("delta").asString("")));
            case "response.reasoning_summary_text.delta", "response.reasoning_text.delta" ->
                List.of(new StreamEvent.ReasoningDelta(json.path("delta").asString("")));
            case "response.refusal.delta" -> List.of(new StreamEvent.Refusal(json.path("delta").asString("")));
            case "response.output_item.added" -> added(json.path("item"), index);
            case "response.function_call_arguments.delta" ->
                List.of(new StreamEvent.ToolCallArguments(index, json.path("delta").asString("")));
            case "response.custom_tool_call_input.delta" -> {
                StringBuilder input = customInputs.get(index);
                if (input != null) {
                    input.append(json.path("delta").asString(""));
                }
                yield List.of();
            }
            case "response.output_item.done" -> done(json.path("item"), index);
            case "response.completed", "response.incomplete" -> finished(json.path("response"), type);
            case "response.failed", "error" -> {
                JsonNode error = json.has("error") ? json.path("error") : json.path("response").path("error");
                yield List.of(new StreamEvent.Error(error.path("code").asString(type),
                        error.path("message").asString("the upstream reported a failure")));
            }
            default -> List.of();
        };
    }

    private List<StreamEvent> added(JsonNode item, int index) {
        String type = JsonTrees.string(item, "type");
        if ("function_call".equals(type) || "custom_tool_call".equals(type)) {
            calls = true;
            String id = JsonTrees.string(item, "call_id");
            String name = JsonTrees.string(item, "name");
            if (id == null || name == null) {
                throw new MalformedAnswerException("a " + type + " item without call_id or name");
            }
            if ("custom_tool_call".equals(type)) {
                customInputs.put(index, new StringBuilder(item.path("input").asString("")));
            }
            return List.of(new StreamEvent.ToolCallStart(index, id, name));
        }
        return List.of();
    }

    private List<StreamEvent> done(JsonNode item, int index) {
        StringBuilder input = customInputs.remove(index);
        if (input == null) {
            return List.of();
        }
        String whole = item.has("input") ? item.path("input").asString("") : input.toString();
        ObjectNode arguments = JsonTrees.MAPPER.createObjectNode().put("input", whole);
        return List.of(new StreamEvent.ToolCallArguments(index, arguments.toString()));
    }

    private List<StreamEvent> finished(JsonNode response, String type) {
        complete = true;
        return List.of(new StreamEvent.UsageReport(ResponsesEnd.usage(response.path("usage"))),
                new StreamEvent.Finish(ResponsesEnd.finish(response, type.equals("response.incomplete"), calls)));
    }

    @Override
    public boolean complete() {
        return complete;
    }
}
