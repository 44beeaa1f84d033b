package dev.junction.protocol.anthropic;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.TokenUsage;
import dev.junction.core.canonical.Usage;
import dev.junction.http.SseEvent;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.MalformedAnswerException;
import dev.junction.protocol.PassThrough;
import dev.junction.protocol.Replay;
import dev.junction.protocol.ProviderCall;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Anthropic Messages (or count_tokens) to an Anthropic channel, byte for byte: only {@code model}
 * and the credential change; the client's {@code anthropic-version} and {@code anthropic-beta}
 * travel with it, so betas the gateway has never heard of keep working. The answer is scanned for
 * usage and for the commit point, never rebuilt.
 */
final class MessagesPassThrough implements PassThrough {

    static final byte[] MESSAGE_STOP = "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
            .getBytes(StandardCharsets.US_ASCII);

    private final MessagesBody body;
    private final String path;
    private final String version;
    private final String beta;

    MessagesPassThrough(MessagesBody body, String path, String version, String beta) {
        this.body = body;
        this.path = path;
        this.version = version;
        this.beta = beta;
    }

    @Override
    public ProviderCall call(String upstreamModel, String apiKey, ChannelQuirks quirks) {
        Map<String, String> headers = new HashMap<>();
        if (apiKey != null) {
            headers.put("x-api-key", apiKey);
        }
        headers.put("anthropic-version", version == null ? AnthropicCodec.VERSION : version);
        if (beta != null) {
            headers.put("anthropic-beta", beta);
        }
        headers.put("Accept", body.stream() ? "text/event-stream" : "application/json");
        return new ProviderCall(path, headers, body.withModel(upstreamModel));
    }

    @Override
    public Whole inspect(byte[] answer) {
        ObjectNode root;
        try {
            root = JsonTrees.object(answer);
        } catch (MalformedAnswerException e) {
            return Whole.problem(Problem.NOT_JSON);
        }
        if ("error".equals(JsonTrees.string(root, "type")) || root.has("error")) {
            return Whole.problem(Problem.notAnAnswer("an error object instead of a message"));
        }
        JsonNode usage = root.get("usage");
        return Whole.answer(usage == null ? null : StopReasons.usage(usage, Usage.NONE).tokens());
    }

    /**
     * The events relayed so far, read back: the continuation's blocks go on from the open text
     * block's index, and {@code message_start} is not sent again.
     */
    @Override
    public Resumed resume(List<SseEvent> relayed) {
        MessagesStreamEncoder encoder = new MessagesStreamEncoder("msg_resumed", "");
        String text = Replay.prime(new MessagesStreamDecoder(null), relayed, encoder);
        if (text == null) {
            return null;
        }
        for (SseEvent event : relayed.reversed()) {
            String type;
            try {
                type = MessagesEvent.read(event.data()).type(event);
            } catch (MalformedAnswerException e) {
                return null;
            }
            if (type.startsWith("content_block_")) {
                if (type.equals("content_block_stop")) {
                    encoder.blockStoppedUpstream();
                }
                break;
            }
        }
        return new Resumed(text, encoder);
    }

    @Override
    public StreamScanner scanner() {
        return new Scanner();
    }

    /**
     * Reads Messages events: deltas commit the stream, {@code message_stop} ends it. Only the type
     * is read of most events, without a tree; the two that carry usage are read whole.
     */
    private static final class Scanner implements StreamScanner {
        private static final java.util.Set<String> TEXT_FIELDS = java.util.Set.of("text", "thinking", "partial_json");
        private Usage usage;
        private boolean finished;
        /** Whether a tool_use block is open (its start and deltas are held until its stop). */
        private boolean inTool;

        @Override
        public Verdict scan(SseEvent event) {
            String type;
            try {
                type = MessagesEvent.typeOf(event);
            } catch (MalformedAnswerException e) {
                return Verdict.MALFORMED;
            }
            return switch (type) {
                case "message_start" -> {
                    usage = StopReasons.usage(JsonTrees.object(event.data()).path("message").path("usage"), Usage.NONE);
                    yield Verdict.LIFECYCLE;
                }
                case "content_block_start" -> {
                    String block = JsonTrees.string(JsonTrees.object(event.data()).path("content_block"), "type");
                    inTool = "tool_use".equals(block) || "server_tool_use".equals(block);
                    yield inTool ? Verdict.TOOL : Verdict.LIFECYCLE;
                }
                case "content_block_delta" -> inTool ? Verdict.TOOL : Verdict.CONTENT;
                case "content_block_stop" -> {
                    boolean tool = inTool;
                    inTool = false;
                    yield tool ? Verdict.CONTENT : Verdict.LIFECYCLE; // a whole tool call: sent with what was held
                }
                case "message_delta" -> {
                    ObjectNode data = JsonTrees.object(event.data());
                    usage = StopReasons.usage(data.path("usage"), usage == null ? Usage.NONE : usage);
                    finished |= JsonTrees.string(data.path("delta"), "stop_reason") != null;
                    yield Verdict.CONTENT;
                }
                case "message_stop" -> Verdict.DONE;
                case "error" -> Verdict.ERROR;
                default -> Verdict.LIFECYCLE; // content_block_start/stop, ping, and newer bookkeeping
            };
        }

        /**
         * Claude Code accepts a stream that ends after {@code message_delta} without {@code message_stop}.
         * A stop reason with a tool_use block still open is not a finish.
         */
        @Override
        public boolean complete() {
            return finished && !inTool;
        }

        @Override
        public byte[] terminator() {
            return MESSAGE_STOP;
        }

        @Override
        public java.util.Set<String> textFields() {
            return TEXT_FIELDS;
        }

        @Override
        public TokenUsage usage() {
            return usage == null ? null : usage.tokens();
        }
    }
}
