package dev.junction.protocol.openai;

import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.core.canonical.Part;
import java.io.ByteArrayOutputStream;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/**
 * Writes a canonical answer as an OpenAI {@code chat.completion} object, the same shape whichever
 * provider produced it: text in {@code content}, function calls in {@code tool_calls} with
 * arguments as JSON text, reasoning in {@code reasoning_content} plus the signed
 * {@code thinking_blocks} a client sends back to continue a reasoning model's tool loop.
 */
public final class ChatCompletionEncoder {

    private ChatCompletionEncoder() {
    }

    public static byte[] encode(CanonicalResponse response, long createdEpochSeconds) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("id", completionId(response.id()));
            g.writeStringProperty("object", "chat.completion");
            g.writeNumberProperty("created", createdEpochSeconds);
            g.writeStringProperty("model", response.model());
            g.writeName("choices");
            g.writeStartArray();
            g.writeStartObject();
            g.writeNumberProperty("index", 0);
            g.writeName("message");
            message(g, response);
            g.writeNullProperty("logprobs");
            g.writeStringProperty("finish_reason", FinishReasons.wire(response.finish()));
            g.writeEndObject();
            g.writeEndArray();
            g.writeName("usage");
            ChatUsage.write(g, response.usage());
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void message(JsonGenerator g, CanonicalResponse response) {
        List<Part> content = response.content();
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        boolean thinkingBlocks = false;
        boolean toolCalls = false;
        for (Part part : content) {
            switch (part) {
                case Part.Text t -> text.append(t.text());
                case Part.Reasoning r -> {
                    reasoning.append(r.text());
                    thinkingBlocks |= r.signed();
                }
                case Part.RedactedReasoning _ -> thinkingBlocks = true;
                case Part.ToolCall _ -> toolCalls = true;
                default -> {
                }
            }
        }
        g.writeStartObject();
        g.writeStringProperty("role", "assistant");
        if (text.isEmpty() && (toolCalls || response.refusal() != null)) {
            g.writeNullProperty("content");
        } else {
            g.writeStringProperty("content", text.toString());
        }
        if (response.refusal() != null) {
            g.writeStringProperty("refusal", response.refusal());
        } else {
            g.writeNullProperty("refusal");
        }
        if (!reasoning.isEmpty()) {
            g.writeStringProperty("reasoning_content", reasoning.toString());
        }
        if (thinkingBlocks) {
            g.writeName("thinking_blocks");
            g.writeStartArray();
            for (Part part : content) {
                switch (part) {
                    case Part.Reasoning r when r.signed() -> thinkingBlock(g, r.text(), r.signature());
                    case Part.RedactedReasoning r -> redactedBlock(g, r.data());
                    default -> {
                    }
                }
            }
            g.writeEndArray();
        }
        if (toolCalls) {
            g.writeName("tool_calls");
            g.writeStartArray();
            for (Part part : content) {
                if (part instanceof Part.ToolCall call) {
                    g.writeStartObject();
                    g.writeStringProperty("id", call.id());
                    g.writeStringProperty("type", "function");
                    g.writeName("function");
                    g.writeStartObject();
                    g.writeStringProperty("name", call.name());
                    g.writeStringProperty("arguments", call.arguments());
                    g.writeEndObject();
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    static void thinkingBlock(JsonGenerator g, String thinking, String signature) {
        g.writeStartObject();
        g.writeStringProperty("type", "thinking");
        g.writeStringProperty("thinking", thinking);
        g.writeStringProperty("signature", signature);
        g.writeEndObject();
    }

    static void redactedBlock(JsonGenerator g, String data) {
        g.writeStartObject();
        g.writeStringProperty("type", "redacted_thinking");
        g.writeStringProperty("data", data);
        g.writeEndObject();
    }

    static String completionId(String id) {
        return id.startsWith("chatcmpl-") ? id : "chatcmpl-" + id;
    }
}
