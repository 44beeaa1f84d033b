package dev.junction.protocol.openai;

import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.core.canonical.Part;
import dev.junction.core.canonical.Usage;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.MalformedAnswerException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a complete {@code chat.completion} answer from an OpenAI-style provider, and the message
 * fields its stream chunks share: reasoning under either name providers use, text given as a
 * string or as text parts, arguments given as JSON text or (wrongly) as an object.
 */
final class ChatResponseDecoder {

    private ChatResponseDecoder() {
    }

    static CanonicalResponse decode(byte[] body, String idSeed, String fallbackModel) {
        ObjectNode root = JsonTrees.object(body);
        if (root.hasNonNull("error") || "error".equals(JsonTrees.string(root, "object"))) {
            throw new MalformedAnswerException("the answer carries an error: " + JsonTrees.excerpt(body));
        }
        JsonNode choice = root.path("choices").path(0);
        if (!choice.isObject()) {
            throw new MalformedAnswerException("the answer has no choices: " + JsonTrees.excerpt(body));
        }
        JsonNode message = choice.path("message");
        List<Part> content = new ArrayList<>();
        String reasoning = reasoning(message);
        if (!reasoning.isEmpty()) {
            content.add(new Part.Reasoning(reasoning, null));
        }
        String text = text(message.get("content"));
        if (!text.isEmpty()) {
            content.add(Part.Text.of(text));
        }
        JsonNode calls = message.path("tool_calls");
        for (int i = 0; i < calls.size(); i++) {
            JsonNode call = calls.get(i);
            String name = JsonTrees.string(call.path("function"), "name");
            if (name == null || name.isEmpty()) {
                throw new MalformedAnswerException("tool call " + i + " has no function name");
            }
            String id = JsonTrees.string(call, "id");
            String arguments = arguments(call.path("function").get("arguments"));
            content.add(new Part.ToolCall(id == null || id.isEmpty() ? ToolCallIds.generated(idSeed, i) : id, name,
                    arguments.isBlank() ? "{}" : arguments, null));
        }
        FinishReasons.Finish finish = FinishReasons.read(JsonTrees.string(choice, "finish_reason"),
                !calls.isEmpty());
        if (finish.error() != null) {
            throw new MalformedAnswerException(finish.error());
        }
        String refusal = JsonTrees.string(message, "refusal");
        JsonNode usage = root.get("usage");
        String id = JsonTrees.string(root, "id");
        String model = JsonTrees.string(root, "model");
        return new CanonicalResponse(id == null || id.isEmpty() ? idSeed : id,
                model == null || model.isEmpty() ? fallbackModel : model, content,
                refusal != null && !refusal.isEmpty() ? refusal : finish.refusal(), finish.reason(),
                usage != null && usage.isObject() ? ChatUsage.read(usage) : Usage.NONE);
    }

    /**
     * The reasoning of a message or delta: {@code reasoning_content} (DeepSeek, Qwen, vLLM) or
     * {@code reasoning} (OpenRouter, Ollama, newer vLLM). Providers that send both send the same
     * text, so only one is read.
     */
    static String reasoning(JsonNode message) {
        return reasoning(JsonTrees.string(message, "reasoning_content"), JsonTrees.string(message, "reasoning"));
    }

    /** As {@link #reasoning(JsonNode)}, from the two fields' string values (null when absent or not strings). */
    static String reasoning(String reasoningContent, String reasoning) {
        if (reasoningContent != null && !reasoningContent.isEmpty()) {
            return reasoningContent;
        }
        return reasoning == null ? "" : reasoning;
    }

    /** Content as a string, or as an array whose text parts are joined; anything else is no text. */
    static String text(JsonNode content) {
        if (content == null) {
            return "";
        }
        if (content.isString()) {
            return content.stringValue();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(JsonTrees.string(part, "type")) && part.path("text").isString()) {
                text.append(part.path("text").stringValue());
            }
        }
        return text.toString();
    }

    /** Arguments as JSON text; a provider that sends them as an object gets them written out. */
    static String arguments(JsonNode arguments) {
        if (arguments == null || arguments.isNull() || arguments.isMissingNode()) {
            return "";
        }
        return arguments.isString() ? arguments.stringValue() : JsonTrees.text(arguments);
    }
}
