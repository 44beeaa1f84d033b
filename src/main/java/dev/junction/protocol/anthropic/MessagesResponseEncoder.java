package dev.junction.protocol.anthropic;

import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.Part;
import dev.junction.core.canonical.Usage;
import dev.junction.protocol.JsonOut;
import dev.junction.protocol.JsonTrees;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import tools.jackson.databind.node.ObjectNode;

/** Writes a canonical answer as a Messages API {@code message}, for Anthropic clients of translated channels. */
final class MessagesResponseEncoder {

    private MessagesResponseEncoder() {
    }

    private static final byte[] HEAD = JsonOut.ascii("{\"id\":");
    private static final byte[] MODEL = JsonOut.ascii(",\"type\":\"message\",\"role\":\"assistant\",\"model\":");
    private static final byte[] CONTENT = JsonOut.ascii(",\"content\":[");
    private static final byte[] TEXT = JsonOut.ascii("{\"type\":\"text\",\"text\":");
    private static final byte[] THINKING = JsonOut.ascii("{\"type\":\"thinking\",\"thinking\":");
    private static final byte[] SIGNATURE = JsonOut.ascii(",\"signature\":");
    private static final byte[] REDACTED = JsonOut.ascii("{\"type\":\"redacted_thinking\",\"data\":");
    private static final byte[] TOOL_USE = JsonOut.ascii("{\"type\":\"tool_use\",\"id\":");
    private static final byte[] NAME = JsonOut.ascii(",\"name\":");
    private static final byte[] INPUT = JsonOut.ascii(",\"input\":");
    private static final byte[] STOP_REASON = JsonOut.ascii("],\"stop_reason\":");
    private static final byte[] USAGE = JsonOut.ascii(",\"stop_sequence\":null,\"usage\":");
    private static final byte[] INPUT_TOKENS = JsonOut.ascii("{\"input_tokens\":");
    private static final byte[] CACHE_WRITE = JsonOut.ascii(",\"cache_creation_input_tokens\":");
    private static final byte[] CACHE_READ = JsonOut.ascii(",\"cache_read_input_tokens\":");
    private static final byte[] OUTPUT_TOKENS = JsonOut.ascii(",\"output_tokens\":");
    private static final byte[] COMMA = JsonOut.ascii(",");
    private static final byte[] END = JsonOut.ascii("}");

    static byte[] encode(CanonicalResponse response) {
        JsonOut out = new JsonOut(capacity(response));
        out.raw(HEAD).string(messageId(response.id())).raw(MODEL).string(response.model()).raw(CONTENT);
        Blocks blocks = new Blocks(out);
        StringBuilder text = new StringBuilder();
        for (Part part : response.content()) {
            if (part instanceof Part.Text piece) {
                text.append(piece.text()); // providers may split one text into several parts
                continue;
            }
            if (!text.isEmpty()) {
                blocks.next().raw(TEXT).string(text.toString()).raw(END);
                text.setLength(0);
            }
            switch (part) {
                case Part.Reasoning reasoning -> blocks.next().raw(THINKING).string(reasoning.text()).raw(SIGNATURE)
                        .string(reasoning.signed() ? reasoning.signature() : "").raw(END);
                case Part.RedactedReasoning redacted -> blocks.next().raw(REDACTED).string(redacted.data()).raw(END);
                case Part.ToolCall call -> blocks.next().raw(TOOL_USE).string(call.id()).raw(NAME).string(call.name())
                        .raw(INPUT).raw(JsonTrees.bytes(input(call.arguments()))).raw(END);
                default -> {
                }
            }
        }
        if (!text.isEmpty()) {
            blocks.next().raw(TEXT).string(text.toString()).raw(END);
        }
        if (response.refusal() != null && blocks.count == 0) {
            blocks.next().raw(TEXT).string(response.refusal()).raw(END);
        }
        out.raw(STOP_REASON).string(stopReason(response.finish())).raw(USAGE);
        usage(out, response.usage());
        return out.raw(END).toByteArray();
    }

    /** About the answer's size, so the buffer rarely grows: its texts and arguments and room for the rest. */
    private static int capacity(CanonicalResponse response) {
        int size = 512;
        for (Part part : response.content()) {
            size += switch (part) {
                case Part.Text text -> text.text().length() + 32;
                case Part.Reasoning reasoning -> reasoning.text().length() + 64;
                case Part.ToolCall call -> call.arguments().length() + 96;
                default -> 64;
            };
        }
        return size;
    }

    /** The content array's blocks, comma-separated. */
    private static final class Blocks {
        private final JsonOut out;
        private int count;

        Blocks(JsonOut out) {
            this.out = out;
        }

        JsonOut next() {
            return count++ == 0 ? out : out.raw(COMMA);
        }
    }

    /** Anthropic ids start with {@code msg_}; a translated answer's id keeps its provider's id after it. */
    static String messageId(String id) {
        return id.startsWith("msg_") ? id : "msg_" + id;
    }

    static String stopReason(FinishReason finish) {
        return switch (finish) {
            case STOP -> "end_turn";
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
            case CONTENT_FILTER -> "refusal";
        };
    }

    /** Anthropic counts input without the cached tokens, which it reports apart. */
    static void usage(JsonOut out, Usage usage) {
        out.raw(INPUT_TOKENS).number(Math.max(0, usage.input() - usage.cacheRead() - usage.cacheWrite()))
                .raw(CACHE_WRITE).number(usage.cacheWrite()).raw(CACHE_READ).number(usage.cacheRead())
                .raw(OUTPUT_TOKENS).number(usage.output()).raw(END);
    }

    /** Tool input is an object on Anthropic's wire; arguments that are not one are wrapped rather than lost. */
    static JsonNode input(String arguments) {
        try {
            JsonNode parsed = JsonTrees.parse(arguments.isBlank() ? "{}" : arguments);
            if (parsed.isObject()) {
                return parsed;
            }
        } catch (JacksonException e) {
            // Wrapped below.
        }
        return JsonTrees.MAPPER.createObjectNode().put("arguments", arguments);
    }
}
