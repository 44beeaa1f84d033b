package dev.junction.protocol.gemini;

import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.Part;
import dev.junction.core.canonical.Usage;
import dev.junction.protocol.JsonOut;
import dev.junction.protocol.JsonTrees;
import java.util.function.Consumer;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes canonical answers as Gemini {@code GenerateContentResponse} objects: one candidate whose
 * parts are text, thought text ({@code thought: true}, only when the client asked for thoughts)
 * and function calls with their ids and arguments as an object; Gemini's finish reasons; and
 * {@code usageMetadata}, where candidates exclude thoughts and the prompt includes cached content.
 */
final class GenerateContentResponseEncoder {

    private GenerateContentResponseEncoder() {
    }

    static byte[] encode(CanonicalResponse response, boolean includeThoughts) {
        ObjectNode root = JsonTrees.MAPPER.createObjectNode();
        ObjectNode candidate = root.putArray("candidates").addObject();
        ArrayNode parts = candidate.putObject("content").put("role", "model").putArray("parts");
        response.content().forEach(part -> part(part, includeThoughts, parts));
        if (parts.isEmpty()) {
            parts.addObject().put("text", "");
        }
        candidate.put("finishReason", finishReason(response.finish()));
        candidate.put("index", 0);
        root.set("usageMetadata", usage(response.usage()));
        root.put("modelVersion", response.model());
        root.put("responseId", response.id());
        return JsonTrees.bytes(root);
    }

    /** Adds one canonical part; reasoning only when thoughts were asked for, redacted reasoning never. */
    static void part(Part part, boolean includeThoughts, ArrayNode parts) {
        switch (part) {
            case Part.Text text when !text.text().isEmpty() -> parts.addObject().put("text", text.text());
            case Part.Reasoning reasoning when includeThoughts && !reasoning.text().isEmpty() ->
                    parts.addObject().put("text", reasoning.text()).put("thought", true);
            case Part.ToolCall call -> parts.add(functionCall(call.id(), call.name(), call.arguments(),
                    call.signature()));
            default -> {
            }
        }
    }

    static ObjectNode functionCall(String id, String name, String arguments, String signature) {
        ObjectNode part = JsonTrees.MAPPER.createObjectNode();
        ObjectNode call = part.putObject("functionCall").put("id", id).put("name", name);
        ObjectNode args;
        try {
            args = JsonTrees.parse(arguments.isBlank() ? "{}" : arguments) instanceof ObjectNode object ? object
                    : JsonTrees.MAPPER.createObjectNode();
        } catch (RuntimeException notJson) {
            args = JsonTrees.MAPPER.createObjectNode();
        }
        call.set("args", args);
        if (signature != null && !signature.isEmpty()) {
            part.put("thoughtSignature", signature);
        }
        return part;
    }

    static String finishReason(FinishReason reason) {
        return switch (reason) {
            case STOP, TOOL_CALLS -> "STOP";
            case LENGTH -> "MAX_TOKENS";
            case CONTENT_FILTER -> "SAFETY";
        };
    }

    static ObjectNode usage(Usage usage) {
        ObjectNode metadata = JsonTrees.MAPPER.createObjectNode();
        metadata.put("promptTokenCount", usage.input());
        metadata.put("candidatesTokenCount", Math.max(0, usage.output() - usage.reasoning()));
        metadata.put("totalTokenCount", usage.input() + usage.output());
        if (usage.cacheRead() > 0) {
            metadata.put("cachedContentTokenCount", usage.cacheRead());
        }
        if (usage.reasoning() > 0) {
            metadata.put("thoughtsTokenCount", usage.reasoning());
        }
        return metadata;
    }

    private static final byte[] CHUNK = JsonOut.ascii("{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[");
    private static final byte[] FINISH = JsonOut.ascii("]},\"finishReason\":");
    private static final byte[] INDEX = JsonOut.ascii(",\"index\":0}]");
    private static final byte[] PARTS_INDEX = JsonOut.ascii("]},\"index\":0}]");
    private static final byte[] USAGE = JsonOut.ascii(",\"usageMetadata\":");
    private static final byte[] MODEL = JsonOut.ascii(",\"modelVersion\":");
    private static final byte[] ID = JsonOut.ascii(",\"responseId\":");
    private static final byte[] END = JsonOut.ascii("}");

    /**
     * Writes one response object whose parts {@code parts} writes, with a finish and usage when
     * given, straight to bytes.
     */
    static void chunk(JsonOut out, Consumer<JsonOut> parts, String finishReason, Usage usage, String model,
            String id) {
        out.raw(CHUNK);
        parts.accept(out);
        if (finishReason != null) {
            out.raw(FINISH).string(finishReason).raw(INDEX);
        } else {
            out.raw(PARTS_INDEX);
        }
        if (usage != null) {
            out.raw(USAGE).raw(JsonTrees.bytes(usage(usage)));
        }
        out.raw(MODEL).string(model).raw(ID).string(id).raw(END);
    }
}
