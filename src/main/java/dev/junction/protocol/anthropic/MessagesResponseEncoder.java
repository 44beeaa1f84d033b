package dev.junction.protocol.anthropic;

import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.Part;
import dev.junction.core.canonical.Usage;
import dev.junction.protocol.JsonTrees;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Writes a canonical answer as a Messages API {@code message}, for Anthropic clients of translated channels. */
final class MessagesResponseEncoder {

    private MessagesResponseEncoder() {
    }

    static byte[] encode(CanonicalResponse response) {
        ObjectNode message = JsonTrees.MAPPER.createObjectNode();
        message.put("id", messageId(response.id()));
        message.put("type", "message").put("role", "assistant").put("model", response.model());
        ArrayNode content = message.putArray("content");
        StringBuilder text = new StringBuilder();
        for (Part part : response.content()) {
            if (part instanceof Part.Text piece) {
                text.append(piece.text()); // providers may split one text into several parts
                continue;
            }
            if (!text.isEmpty()) {
                content.addObject().put("type", "text").put("text", text.toString());
                text.setLength(0);
            }
            switch (part) {
                case Part.Reasoning reasoning -> content.addObject().put("type", "thinking")
                        .put("thinking", reasoning.text())
                        .put("signature", reasoning.signed() ? reasoning.signature() : "");
                case Part.RedactedReasoning redacted -> content.addObject().put("type", "redacted_thinking")
                        .put("data", redacted.data());
                case Part.ToolCall call -> content.addObject().put("type", "tool_use")
                        .put("id", call.id()).put("name", call.name())
                        .set("input", input(call.arguments()));
                default -> {
                }
            }
        }
        if (!text.isEmpty()) {
            content.addObject().put("type", "text").put("text", text.toString());
        }
        if (response.refusal() != null && content.isEmpty()) {
            content.addObject().put("type", "text").put("text", response.refusal());
        }
        message.put("stop_reason", stopReason(response.finish()));
        message.putNull("stop_sequence");
        message.set("usage", usage(response.usage()));
        return JsonTrees.bytes(message);
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
    static ObjectNode usage(Usage usage) {
        ObjectNode node = JsonTrees.MAPPER.createObjectNode();
        node.put("input_tokens", Math.max(0, usage.input() - usage.cacheRead() - usage.cacheWrite()));
        node.put("cache_creation_input_tokens", usage.cacheWrite());
        node.put("cache_read_input_tokens", usage.cacheRead());
        node.put("output_tokens", usage.output());
        return node;
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
