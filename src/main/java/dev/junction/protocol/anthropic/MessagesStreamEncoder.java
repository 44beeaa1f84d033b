package dev.junction.protocol.anthropic;

import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.core.canonical.Usage;
import dev.junction.protocol.ClientStream;
import dev.junction.protocol.JsonTrees;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes canonical stream events as a Messages API event stream, with {@code event:} lines (Claude
 * Code reads nothing from data-only events): {@code message_start}, then for each block
 * {@code content_block_start}, its deltas and {@code content_block_stop} under a running block
 * index, then {@code message_delta} (stop reason and usage) and {@code message_stop}.
 * {@code message_start} is held until the first visible event, so nothing is sent (and failover
 * stays possible) before content; a usage report that arrives after the finish (OpenAI's usage
 * chunk) still reaches {@code message_delta}, which is written at the end.
 */
final class MessagesStreamEncoder implements ClientStream {

    private enum Kind { NONE, TEXT, THINKING, TOOL }

    private String id;
    private String model;
    private boolean started;
    private Kind open = Kind.NONE;
    private int openTool = -1;
    private int nextBlock;
    private FinishReason finish;
    private Usage usage = Usage.NONE;

    MessagesStreamEncoder(String id, String model) {
        this.id = id;
        this.model = model;
    }

    @Override
    public byte[] encode(StreamEvent event) {
        Out out = new Out();
        switch (event) {
            case StreamEvent.Started s -> {
                if (!started) {
                    id = s.id() == null || s.id().isEmpty() ? id : MessagesResponseEncoder.messageId(s.id());
                    model = s.model() == null || s.model().isEmpty() ? model : s.model();
                }
                return null;
            }
            case StreamEvent.UsageReport report -> {
                usage = report.usage();
                return null;
            }
            case StreamEvent.TextDelta text -> {
                if (text.text().isEmpty()) {
                    return null;
                }
                open(out, Kind.TEXT, -1, block("text").put("text", ""));
                out.event("content_block_delta", delta("text_delta", "text", text.text()));
            }
            case StreamEvent.Refusal refusal -> {
                open(out, Kind.TEXT, -1, block("text").put("text", ""));
                out.event("content_block_delta", delta("text_delta", "text", refusal.text()));
            }
            case StreamEvent.ReasoningDelta reasoning -> {
                if (reasoning.text().isEmpty()) {
                    return null;
                }
                open(out, Kind.THINKING, -1, block("thinking").put("thinking", "").put("signature", ""));
                out.event("content_block_delta", delta("thinking_delta", "thinking", reasoning.text()));
            }
            case StreamEvent.ReasoningSignature signature -> {
                open(out, Kind.THINKING, -1, block("thinking").put("thinking", "").put("signature", ""));
                out.event("content_block_delta", delta("signature_delta", "signature", signature.signature()));
            }
            case StreamEvent.RedactedReasoning redacted -> {
                open(out, Kind.NONE, -1, null);
                out.event("content_block_start", blockStart(block("redacted_thinking").put("data", redacted.data())));
                out.event("content_block_stop", stop());
                nextBlock++;
            }
            case StreamEvent.ToolCallStart tool -> {
                ObjectNode block = block("tool_use").put("id", tool.id()).put("name", tool.name());
                block.putObject("input");
                open(out, Kind.TOOL, tool.index(), block);
            }
            case StreamEvent.ToolCallArguments arguments -> {
                if (arguments.fragment().isEmpty() || open != Kind.TOOL || openTool != arguments.index()) {
                    return null; // a block once stopped cannot be reopened in Anthropic's grammar
                }
                out.event("content_block_delta", delta("input_json_delta", "partial_json", arguments.fragment()));
            }
            case StreamEvent.Finish f -> {
                finish = f.reason();
                if (!started) {
                    return null;
                }
                open(out, Kind.NONE, -1, null);
            }
            case StreamEvent.Ping _ -> {
                if (!started) {
                    return null;
                }
                out.event("ping", JsonTrees.MAPPER.createObjectNode().put("type", "ping"));
            }
            case StreamEvent.Error _ -> {
                return null; // the relay ends the stream with streamError
            }
        }
        return out.bytes();
    }

    @Override
    public byte[] end() {
        Out out = new Out();
        open(out, Kind.NONE, -1, null);
        ObjectNode messageDelta = JsonTrees.MAPPER.createObjectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason",
                MessagesResponseEncoder.stopReason(finish == null ? FinishReason.STOP : finish))
                .putNull("stop_sequence");
        messageDelta.set("usage", MessagesResponseEncoder.usage(usage));
        out.event("message_delta", messageDelta);
        out.event("message_stop", JsonTrees.MAPPER.createObjectNode().put("type", "message_stop"));
        return out.bytes();
    }

    @Override
    public Usage usage() {
        return usage;
    }

    /**
     * Makes {@code kind} the open block: writes {@code message_start} first if not yet sent, stops
     * the open block if it is another (or another tool call), and starts the new one.
     */
    private void open(Out out, Kind kind, int tool, ObjectNode block) {
        if (!started) {
            started = true;
            ObjectNode start = JsonTrees.MAPPER.createObjectNode().put("type", "message_start");
            ObjectNode message = start.putObject("message");
            message.put("id", id).put("type", "message").put("role", "assistant").put("model", model);
            message.putArray("content");
            message.putNull("stop_reason").putNull("stop_sequence");
            message.set("usage", MessagesResponseEncoder.usage(usage));
            out.event("message_start", start);
        }
        if (open == kind && openTool == tool) {
            return;
        }
        if (open != Kind.NONE) {
            out.event("content_block_stop", stop());
            nextBlock++;
        }
        open = kind;
        openTool = tool;
        if (kind != Kind.NONE) {
            out.event("content_block_start", blockStart(block));
        }
    }

    private ObjectNode blockStart(ObjectNode block) {
        ObjectNode start = JsonTrees.MAPPER.createObjectNode().put("type", "content_block_start")
                .put("index", nextBlock);
        start.set("content_block", block);
        return start;
    }

    private ObjectNode stop() {
        return JsonTrees.MAPPER.createObjectNode().put("type", "content_block_stop").put("index", nextBlock);
    }

    private static ObjectNode block(String type) {
        return JsonTrees.MAPPER.createObjectNode().put("type", type);
    }

    private ObjectNode delta(String type, String field, String value) {
        ObjectNode event = JsonTrees.MAPPER.createObjectNode().put("type", "content_block_delta")
                .put("index", nextBlock);
        event.putObject("delta").put("type", type).put(field, value);
        return event;
    }

    /** Events written for one canonical event. */
    private static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        void event(String name, ObjectNode data) {
            bytes.writeBytes(("event: " + name + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
            bytes.writeBytes(JsonTrees.bytes(data));
            bytes.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
        }

        byte[] bytes() {
            return bytes.size() == 0 ? null : bytes.toByteArray();
        }
    }
}
