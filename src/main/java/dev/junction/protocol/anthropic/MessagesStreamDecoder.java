package dev.junction.protocol.anthropic;

import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.core.canonical.Usage;
import dev.junction.http.SseEvent;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.StreamDecoder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a Messages API event stream. Content blocks are numbered by Anthropic across text,
 * thinking and tool use alike; OpenAI numbers only tool calls. So each {@code tool_use} block gets
 * the next OpenAI tool index when it starts, and its {@code input_json_delta}s are relayed under
 * that index (using the block index is the bug that loses tool calls after a text block).
 */
final class MessagesStreamDecoder implements StreamDecoder {

    /** What an open content block is, and for tool use, its OpenAI index. */
    private sealed interface Block {
    }

    private record TextBlock() implements Block {
    }

    private record ThinkingBlock() implements Block {
    }

    private record ToolBlock(int index) implements Block {
    }

    /** The synthetic JSON-answer tool: its input is the answer's text. */
    private record AnswerBlock() implements Block {
    }

    private record OtherBlock() implements Block {
    }

    private static final Block TEXT = new TextBlock();
    private static final Block THINKING = new ThinkingBlock();
    private static final Block ANSWER = new AnswerBlock();
    private static final Block OTHER = new OtherBlock();

    private final String responseTool;
    private final Map<Integer, Block> open = new HashMap<>();
    private int nextToolIndex;
    private Usage usage = Usage.NONE;
    private boolean finished;

    MessagesStreamDecoder(String responseTool) {
        this.responseTool = responseTool;
    }

    @Override
    public boolean complete() {
        return finished;
    }

    @Override
    public List<StreamEvent> decode(SseEvent event) {
        if (!event.hasData()) {
            return List.of();
        }
        MessagesEvent head = MessagesEvent.read(event.data());
        if (head.plain()) {
            // The events of every token, read without a tree.
            switch (String.valueOf(head.type())) {
                case "content_block_delta" -> {
                    return delta(open.getOrDefault(head.index(), OTHER), String.valueOf(head.deltaType()),
                            head::deltaValue);
                }
                case "content_block_stop" -> {
                    open.remove(head.index());
                    return List.of();
                }
                case "ping" -> {
                    return List.of(new StreamEvent.Ping());
                }
                default -> {
                }
            }
        }
        ObjectNode data = JsonTrees.object(event.data());
        return switch (String.valueOf(JsonTrees.string(data, "type"))) {
            case "message_start" -> {
                JsonNode message = data.path("message");
                usage = StopReasons.usage(message.path("usage"), usage);
                yield List.of(new StreamEvent.Started(message.path("id").asString(""),
                        message.path("model").asString("")), new StreamEvent.UsageReport(usage));
            }
            case "content_block_start" -> start(data.path("index").asInt(0), data.path("content_block"));
            case "content_block_delta" -> {
                JsonNode delta = data.path("delta");
                yield delta(open.getOrDefault(data.path("index").asInt(0), OTHER),
                        String.valueOf(JsonTrees.string(delta, "type")), field -> delta.path(field).asString(""));
            }
            case "content_block_stop" -> {
                open.remove(data.path("index").asInt(0));
                yield List.of();
            }
            case "message_delta" -> {
                usage = StopReasons.usage(data.path("usage"), usage);
                String stopReason = JsonTrees.string(data.path("delta"), "stop_reason");
                if (stopReason == null) {
                    yield List.of(new StreamEvent.UsageReport(usage));
                }
                finished = true;
                FinishReason reason = StopReasons.finish(stopReason, nextToolIndex > 0);
                yield reason == FinishReason.CONTENT_FILTER
                        ? List.of(new StreamEvent.UsageReport(usage), new StreamEvent.Refusal(StopReasons.REFUSAL),
                                new StreamEvent.Finish(reason))
                        : List.of(new StreamEvent.UsageReport(usage), new StreamEvent.Finish(reason));
            }
            case "ping" -> List.of(new StreamEvent.Ping());
            case "error" -> List.of(new StreamEvent.Error(data.path("error").path("type").asString("error"),
                    data.path("error").path("message").asString("the provider reported an error")));
            default -> List.of(); // message_stop, and event types newer than this decoder
        };
    }

    private List<StreamEvent> start(int index, JsonNode block) {
        switch (String.valueOf(JsonTrees.string(block, "type"))) {
            case "text" -> {
                open.put(index, TEXT);
                return List.of(new StreamEvent.TextDelta(block.path("text").asString("")));
            }
            case "thinking" -> {
                open.put(index, THINKING);
                return List.of(new StreamEvent.ReasoningDelta(block.path("thinking").asString("")));
            }
            case "redacted_thinking" -> {
                open.put(index, OTHER);
                return List.of(new StreamEvent.RedactedReasoning(block.path("data").asString("")));
            }
            case "tool_use" -> {
                String name = block.path("name").asString("");
                String input = initialInput(block.path("input"));
                if (name.equals(responseTool)) {
                    open.put(index, ANSWER);
                    return List.of(new StreamEvent.TextDelta(input));
                }
                int toolIndex = nextToolIndex++;
                open.put(index, new ToolBlock(toolIndex));
                StreamEvent start = new StreamEvent.ToolCallStart(toolIndex, block.path("id").asString(""), name);
                return input.isEmpty() ? List.of(start)
                        : List.of(start, new StreamEvent.ToolCallArguments(toolIndex, input));
            }
            default -> {
                open.put(index, OTHER);
                return List.of();
            }
        }
    }

    /** Anthropic opens a tool-use block with {@code input: {}} and streams the input; a filled one is sent whole. */
    private static String initialInput(JsonNode input) {
        return input.isObject() && !input.isEmpty() ? JsonTrees.text(input) : "";
    }

    /**
     * @param type the delta's type
     * @param value the delta's string fields by name, "" when absent
     */
    private List<StreamEvent> delta(Block block, String type, UnaryOperator<String> value) {
        return switch (block) {
            case TextBlock _ when type.equals("text_delta") ->
                    List.of(new StreamEvent.TextDelta(value.apply("text")));
            case ThinkingBlock _ when type.equals("thinking_delta") ->
                    List.of(new StreamEvent.ReasoningDelta(value.apply("thinking")));
            case ThinkingBlock _ when type.equals("signature_delta") ->
                    List.of(new StreamEvent.ReasoningSignature(value.apply("signature")));
            case ToolBlock tool when type.equals("input_json_delta") ->
                    List.of(new StreamEvent.ToolCallArguments(tool.index(), value.apply("partial_json")));
            case AnswerBlock _ when type.equals("input_json_delta") ->
                    List.of(new StreamEvent.TextDelta(value.apply("partial_json")));
            default -> List.of(); // citations and anything newer
        };
    }
}
