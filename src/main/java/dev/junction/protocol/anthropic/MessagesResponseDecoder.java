package dev.junction.protocol.anthropic;

import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.Part;
import dev.junction.core.canonical.Usage;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.MalformedAnswerException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads a complete Messages API answer. */
final class MessagesResponseDecoder {

    private MessagesResponseDecoder() {
    }

    static CanonicalResponse decode(byte[] body, String responseTool, String fallbackModel) {
        ObjectNode root = JsonTrees.object(body);
        if (root.has("error") || !"message".equals(JsonTrees.string(root, "type"))) {
            throw new MalformedAnswerException("the answer is not a message: " + JsonTrees.excerpt(body));
        }
        List<Part> content = new ArrayList<>();
        boolean realToolCalls = false;
        for (JsonNode block : root.path("content")) {
            switch (String.valueOf(JsonTrees.string(block, "type"))) {
                case "text" -> content.add(Part.Text.of(block.path("text").asString("")));
                case "thinking" -> content.add(new Part.Reasoning(block.path("thinking").asString(""),
                        JsonTrees.string(block, "signature")));
                case "redacted_thinking" -> content.add(new Part.RedactedReasoning(block.path("data").asString("")));
                case "tool_use" -> {
                    String name = block.path("name").asString("");
                    String input = JsonTrees.text(block.path("input"));
                    if (name.equals(responseTool)) {
                        content.add(Part.Text.of(input));
                    } else {
                        realToolCalls = true;
                        content.add(new Part.ToolCall(block.path("id").asString(""), name, input, null));
                    }
                }
                default -> {
                    // Server-tool blocks and anything newer: not part of a chat completion.
                }
            }
        }
        String stopReason = JsonTrees.string(root, "stop_reason");
        FinishReason finish = StopReasons.finish(stopReason, realToolCalls);
        String model = JsonTrees.string(root, "model");
        return new CanonicalResponse(root.path("id").asString(""), model == null ? fallbackModel : model, content,
                finish == FinishReason.CONTENT_FILTER ? StopReasons.REFUSAL : null, finish,
                StopReasons.usage(root.path("usage"), Usage.NONE));
    }
}
