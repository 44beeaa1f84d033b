package dev.junction.protocol.anthropic;

import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.core.canonical.Usage;
import dev.junction.protocol.ClientStream;
import dev.junction.protocol.JsonOut;

/**
 * Writes canonical stream events as a Messages API event stream, with {@code event:} lines (Claude
 * Code reads nothing from data-only events): {@code message_start}, then for each block
 * {@code content_block_start}, its deltas and {@code content_block_stop} under a running block
 * index, then {@code message_delta} (stop reason and usage) and {@code message_stop}.
 * {@code message_start} is held until the first visible event, so nothing is sent (and failover
 * stays possible) before content; a usage report that arrives after the finish (OpenAI's usage
 * chunk) still reaches {@code message_delta}, which is written at the end.
 *
 * <p>Events are written straight to bytes: constant markup pre-encoded, only the block index and the
 * strings written per event.
 */
final class MessagesStreamEncoder implements ClientStream {

    private enum Kind { NONE, TEXT, THINKING, TOOL }

    /** A {@code content_block} object. */
    @FunctionalInterface
    private interface Block {
        void write(JsonOut out);
    }

    private static final byte[] TEXT_BLOCK = JsonOut.ascii("{\"type\":\"text\",\"text\":\"\"}");
    private static final byte[] THINKING_BLOCK = JsonOut.ascii("{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}");
    private static final byte[] REDACTED_BLOCK = JsonOut.ascii("{\"type\":\"redacted_thinking\",\"data\":");
    private static final byte[] TOOL_BLOCK = JsonOut.ascii("{\"type\":\"tool_use\",\"id\":");
    private static final byte[] TOOL_BLOCK_NAME = JsonOut.ascii(",\"name\":");
    private static final byte[] TOOL_BLOCK_INPUT = JsonOut.ascii(",\"input\":{}}");
    private static final byte[] END_BLOCK = JsonOut.ascii("}");
    private static final Block TEXT = out -> out.raw(TEXT_BLOCK);
    private static final Block THINKING = out -> out.raw(THINKING_BLOCK);

    private static final byte[] MESSAGE_START = JsonOut.ascii("event: message_start\ndata: {\"type\":\"message_start\","
            + "\"message\":{\"id\":");
    private static final byte[] MESSAGE_START_MODEL = JsonOut.ascii(",\"type\":\"message\",\"role\":\"assistant\",\"model\":");
    private static final byte[] MESSAGE_START_USAGE = JsonOut.ascii(",\"content\":[],\"stop_reason\":null,"
            + "\"stop_sequence\":null,\"usage\":");
    private static final byte[] BLOCK_START = JsonOut.ascii("event: content_block_start\ndata: {\"type\":"
            + "\"content_block_start\",\"index\":");
    private static final byte[] BLOCK_START_BLOCK = JsonOut.ascii(",\"content_block\":");
    private static final byte[] BLOCK_DELTA = JsonOut.ascii("event: content_block_delta\ndata: {\"type\":"
            + "\"content_block_delta\",\"index\":");
    private static final byte[] TEXT_DELTA = JsonOut.ascii(",\"delta\":{\"type\":\"text_delta\",\"text\":");
    private static final byte[] THINKING_DELTA = JsonOut.ascii(",\"delta\":{\"type\":\"thinking_delta\",\"thinking\":");
    private static final byte[] SIGNATURE_DELTA = JsonOut.ascii(",\"delta\":{\"type\":\"signature_delta\",\"signature\":");
    private static final byte[] INPUT_DELTA = JsonOut.ascii(",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":");
    private static final byte[] BLOCK_STOP = JsonOut.ascii("event: content_block_stop\ndata: {\"type\":"
            + "\"content_block_stop\",\"index\":");
    private static final byte[] PING = JsonOut.ascii("event: ping\ndata: {\"type\":\"ping\"}\n\n");
    private static final byte[] MESSAGE_DELTA = JsonOut.ascii("event: message_delta\ndata: {\"type\":\"message_delta\","
            + "\"delta\":{\"stop_reason\":");
    private static final byte[] MESSAGE_DELTA_USAGE = JsonOut.ascii(",\"stop_sequence\":null},\"usage\":");
    private static final byte[] MESSAGE_STOP = JsonOut.ascii("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    private static final byte[] END_OBJECT = JsonOut.ascii("}\n\n");
    private static final byte[] END_TWO_OBJECTS = JsonOut.ascii("}}\n\n");

    private final JsonOut out = new JsonOut();
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
        out.reset();
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
                open(Kind.TEXT, -1, TEXT);
                delta(TEXT_DELTA, text.text());
            }
            case StreamEvent.Refusal refusal -> {
                open(Kind.TEXT, -1, TEXT);
                delta(TEXT_DELTA, refusal.text());
            }
            case StreamEvent.ReasoningDelta reasoning -> {
                if (reasoning.text().isEmpty()) {
                    return null;
                }
                open(Kind.THINKING, -1, THINKING);
                delta(THINKING_DELTA, reasoning.text());
            }
            case StreamEvent.ReasoningSignature signature -> {
                open(Kind.THINKING, -1, THINKING);
                delta(SIGNATURE_DELTA, signature.signature());
            }
            case StreamEvent.RedactedReasoning redacted -> {
                open(Kind.NONE, -1, null);
                blockStart(o -> o.raw(REDACTED_BLOCK).string(redacted.data()).raw(END_BLOCK));
                blockStop();
            }
            case StreamEvent.ToolCallStart tool -> open(Kind.TOOL, tool.index(), o -> o.raw(TOOL_BLOCK).string(tool.id())
                    .raw(TOOL_BLOCK_NAME).string(tool.name()).raw(TOOL_BLOCK_INPUT));
            case StreamEvent.ToolCallArguments arguments -> {
                if (arguments.fragment().isEmpty() || open != Kind.TOOL || openTool != arguments.index()) {
                    return null; // a block once stopped cannot be reopened in Anthropic's grammar
                }
                delta(INPUT_DELTA, arguments.fragment());
            }
            case StreamEvent.Finish f -> {
                finish = f.reason();
                if (!started) {
                    return null;
                }
                open(Kind.NONE, -1, null);
            }
            case StreamEvent.Ping _ -> {
                if (!started) {
                    return null;
                }
                out.raw(PING);
            }
            case StreamEvent.Error _ -> {
                return null; // the relay ends the stream with streamError
            }
        }
        return out.size() == 0 ? null : out.toByteArray();
    }

    /**
     * The provider already stopped the open block (a passed-through stream read back, whose last
     * block event was {@code content_block_stop}): the next block gets the next index, with no
     * second stop.
     */
    void blockStoppedUpstream() {
        if (open != Kind.NONE) {
            open = Kind.NONE;
            openTool = -1;
            nextBlock++;
        }
    }

    @Override
    public byte[] end() {
        out.reset();
        open(Kind.NONE, -1, null);
        out.raw(MESSAGE_DELTA).string(MessagesResponseEncoder.stopReason(finish == null ? FinishReason.STOP : finish))
                .raw(MESSAGE_DELTA_USAGE);
        MessagesResponseEncoder.usage(out, usage);
        out.raw(END_OBJECT).raw(MESSAGE_STOP);
        return out.toByteArray();
    }

    @Override
    public Usage usage() {
        return usage;
    }

    /**
     * Makes {@code kind} the open block: writes {@code message_start} first if not yet sent, stops
     * the open block if it is another (or another tool call), and starts the new one.
     */
    private void open(Kind kind, int tool, Block block) {
        if (!started) {
            started = true;
            out.raw(MESSAGE_START).string(id).raw(MESSAGE_START_MODEL).string(model).raw(MESSAGE_START_USAGE);
            MessagesResponseEncoder.usage(out, usage);
            out.raw(END_TWO_OBJECTS);
        }
        if (open == kind && openTool == tool) {
            return;
        }
        if (open != Kind.NONE) {
            blockStop();
        }
        open = kind;
        openTool = tool;
        if (kind != Kind.NONE) {
            blockStart(block);
        }
    }

    private void blockStart(Block block) {
        out.raw(BLOCK_START).number(nextBlock).raw(BLOCK_START_BLOCK);
        block.write(out);
        out.raw(END_OBJECT);
    }

    private void blockStop() {
        out.raw(BLOCK_STOP).number(nextBlock).raw(END_OBJECT);
        nextBlock++;
    }

    /** A {@code content_block_delta} of the open block; {@code head} is its delta up to the value. */
    private void delta(byte[] head, String value) {
        out.raw(BLOCK_DELTA).number(nextBlock).raw(head).string(value).raw(END_TWO_OBJECTS);
    }
}
