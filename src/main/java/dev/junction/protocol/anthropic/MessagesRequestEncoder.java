package dev.junction.protocol.anthropic;

import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.Media;
import dev.junction.core.canonical.Message;
import dev.junction.core.canonical.Part;
import dev.junction.core.canonical.ReasoningEffort;
import dev.junction.core.canonical.ResponseFormat;
import dev.junction.core.canonical.Sampling;
import dev.junction.core.canonical.Tool;
import dev.junction.core.canonical.ToolChoice;
import dev.junction.protocol.Documents;
import dev.junction.protocol.JsonTrees;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Writes a canonical request as a Messages API body. */
final class MessagesRequestEncoder {

    /** The synthetic tool through which a JSON answer ({@code response_format}) is requested. */
    static final String RESPONSE_TOOL = "json_response";

    private MessagesRequestEncoder() {
    }

    /**
     * The body, and the synthetic response tool's name when the answer is to be read from it.
     *
     * @param responseTool the name of the tool whose input is the answer, or null
     */
    record Encoded(ObjectNode body, String responseTool) {
    }

    static Encoded encode(CanonicalRequest request, String model) {
        ObjectNode body = JsonTrees.MAPPER.createObjectNode();
        body.put("model", model);
        String responseTool = request.responseFormat() instanceof ResponseFormat.Text ? null : RESPONSE_TOOL;
        boolean forcedTool = request.toolChoice().forced() || responseTool != null;
        Optional<ReasoningEffort> thinking = request.reasoning().filter(e -> e != ReasoningEffort.NONE)
                // Anthropic refuses thinking with a forced tool, and a tool loop whose last
                // assistant turn cannot be replayed with its signed thinking.
                .filter(e -> !forcedTool && replayable(request.messages()));
        Sampling sampling = request.sampling();
        int maxTokens = sampling.maxTokens().orElse(ClaudeModels.defaultMaxTokens(model));
        boolean adaptive = ClaudeModels.adaptiveThinking(model);
        if (thinking.isPresent() && !adaptive) {
            // OpenAI counts reasoning inside the limit; Anthropic needs budget < max_tokens, so
            // the budget is added on top and the client's limit still bounds the visible answer.
            int budget = ClaudeModels.budget(thinking.get());
            body.put("max_tokens", maxTokens + budget);
            body.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
        } else {
            body.put("max_tokens", maxTokens);
            if (thinking.isPresent()) {
                body.putObject("thinking").put("type", "adaptive");
                body.putObject("output_config").put("effort", ClaudeModels.effort(thinking.get()));
            }
        }
        system(body, request.system());
        body.set("messages", messages(request.messages(), thinking.isPresent()));
        if (thinking.isEmpty()) {
            // Claude's temperature scale is 0–1; OpenAI's 0–2 values above 1 mean "most random".
            sampling.temperature().ifPresent(t -> body.put("temperature", Math.min(1.0, Math.max(0.0, t))));
            sampling.topK().ifPresent(k -> body.put("top_k", k));
        }
        sampling.topP().ifPresent(p -> {
            if (thinking.isEmpty() || p >= 0.95) { // with thinking Anthropic accepts only 0.95–1
                body.put("top_p", p);
            }
        });
        List<String> stops = sampling.stop().stream().filter(s -> !s.isBlank()).toList();
        if (!stops.isEmpty()) {
            ArrayNode array = body.putArray("stop_sequences");
            stops.forEach(array::add);
        }
        tools(body, request, responseTool);
        if (request.user() != null && !request.user().isEmpty()) {
            body.putObject("metadata").put("user_id", request.user());
        }
        if (request.stream()) {
            body.put("stream", true);
        }
        return new Encoded(body, responseTool);
    }

    /**
     * Whether thinking can stay on: in a tool loop, Anthropic requires the last assistant turn to
     * open with its signed thinking block, which clients that drop {@code thinking_blocks} cannot
     * give back.
     */
    private static boolean replayable(List<Message> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            Message message = messages.get(i);
            if (message.role() == Message.Role.ASSISTANT) {
                boolean calls = message.parts().stream().anyMatch(p -> p instanceof Part.ToolCall);
                return !calls || !message.parts().isEmpty() && switch (message.parts().getFirst()) {
                    case Part.Reasoning r -> r.signed();
                    case Part.RedactedReasoning _ -> true;
                    default -> false;
                };
            }
        }
        return true;
    }

    /** System and developer messages, merged in order: one string, or blocks when some are cache breakpoints. */
    private static void system(ObjectNode body, List<Part.Text> system) {
        if (system.isEmpty()) {
            return;
        }
        if (system.stream().noneMatch(Part.Text::cache)) {
            StringBuilder text = new StringBuilder();
            for (Part.Text part : system) {
                text.append(text.isEmpty() ? "" : "\n\n").append(part.text());
            }
            body.put("system", text.toString());
            return;
        }
        ArrayNode blocks = body.putArray("system");
        system.forEach(part -> text(blocks, part));
    }

    // --- messages --------------------------------------------------------------------------------

    /**
     * Anthropic turns: strictly alternating, consecutive messages of a side merged, tool results in
     * the user turn that follows the tool use and before any text in it, empty turns left out.
     */
    private static ArrayNode messages(List<Message> messages, boolean thinking) {
        ArrayNode turns = JsonTrees.MAPPER.createArrayNode();
        String role = null;
        ArrayNode results = null;
        ArrayNode others = null;
        for (Message message : messages) {
            String side = message.role() == Message.Role.ASSISTANT ? "assistant" : "user";
            ArrayNode blocks = JsonTrees.MAPPER.createArrayNode();
            ArrayNode toolResults = JsonTrees.MAPPER.createArrayNode();
            for (Part part : message.parts()) {
                block(part, thinking, part instanceof Part.ToolResult ? toolResults : blocks);
            }
            if (blocks.isEmpty() && toolResults.isEmpty()) {
                continue;
            }
            if (!side.equals(role)) {
                flush(turns, role, results, others);
                role = side;
                results = JsonTrees.MAPPER.createArrayNode();
                others = JsonTrees.MAPPER.createArrayNode();
            }
            results.addAll(toolResults);
            others.addAll(blocks);
        }
        flush(turns, role, results, others);
        trimFinalAssistant(turns);
        return turns;
    }

    private static void flush(ArrayNode turns, String role, ArrayNode results, ArrayNode others) {
        if (role == null) {
            return;
        }
        ObjectNode turn = turns.addObject();
        turn.put("role", role);
        ArrayNode content = turn.putArray("content");
        content.addAll(results);
        content.addAll(others);
    }

    /** Anthropic rejects a final (prefilled) assistant turn that ends in whitespace. */
    private static void trimFinalAssistant(ArrayNode turns) {
        if (turns.isEmpty() || !"assistant".equals(JsonTrees.string(turns.get(turns.size() - 1), "role"))) {
            return;
        }
        JsonNode content = turns.get(turns.size() - 1).path("content");
        JsonNode last = content.get(content.size() - 1);
        if (last instanceof ObjectNode block && "text".equals(JsonTrees.string(block, "type"))) {
            block.put("text", block.path("text").stringValue().stripTrailing());
        }
    }

    private static void block(Part part, boolean thinking, ArrayNode out) {
        switch (part) {
            case Part.Text text -> text(out, text);
            case Part.Image image -> out.addObject().put("type", "image").set("source", source(image.source()));
            case Part.Document document -> {
                ObjectNode block = out.addObject().put("type", "document");
                block.set("source", documentSource(document.source()));
                if (document.filename() != null && !document.filename().isEmpty()) {
                    block.put("title", document.filename());
                }
            }
            case Part.Reasoning reasoning when thinking && reasoning.signed() -> out.addObject()
                    .put("type", "thinking").put("thinking", reasoning.text()).put("signature", reasoning.signature());
            case Part.RedactedReasoning redacted when thinking -> out.addObject().put("type", "redacted_thinking")
                    .put("data", redacted.data());
            case Part.Reasoning _, Part.RedactedReasoning _ -> {
                // Unsigned or not asked for: Anthropic cannot verify it, so it is not replayed.
            }
            case Part.ToolCall call -> {
                ObjectNode block = out.addObject().put("type", "tool_use").put("id", ToolIds.sanitize(call.id()))
                        .put("name", call.name());
                block.set("input", JsonTrees.toolArguments(call));
            }
            case Part.ToolResult result -> {
                ObjectNode block = out.addObject().put("type", "tool_result")
                        .put("tool_use_id", ToolIds.sanitize(result.callId()));
                boolean onlyText = result.content().stream().allMatch(p -> p instanceof Part.Text);
                if (onlyText) {
                    String text = result.text();
                    if (!text.isEmpty()) {
                        block.put("content", text);
                    }
                } else {
                    ArrayNode content = block.putArray("content");
                    result.content().forEach(p -> block(p, thinking, content));
                }
            }
        }
    }

    private static void text(ArrayNode out, Part.Text text) {
        ObjectNode block = out.addObject().put("type", "text").put("text", text.text());
        if (text.cache()) {
            block.putObject("cache_control").put("type", "ephemeral");
        }
    }

    private static ObjectNode source(Media media) {
        ObjectNode source = JsonTrees.MAPPER.createObjectNode();
        switch (media) {
            case Media.Url url -> source.put("type", "url").put("url", url.url());
            case Media.Inline inline -> source.put("type", "base64").put("media_type", inline.mediaType())
                    .put("data", inline.base64());
        }
        return source;
    }

    /** Plain-text documents go as text sources; everything else (PDF) as base64 or URL. */
    private static ObjectNode documentSource(Media media) {
        if (media instanceof Media.Inline inline && Documents.isText(inline)) {
            return JsonTrees.MAPPER.createObjectNode().put("type", "text").put("media_type", "text/plain")
                    .put("data", Documents.text(inline));
        }
        return source(media);
    }

    // --- tools -----------------------------------------------------------------------------------

    private static void tools(ObjectNode body, CanonicalRequest request, String responseTool) {
        List<Tool> tools = new ArrayList<>(request.tools());
        if (responseTool != null) {
            tools.add(responseTool(request.responseFormat(), responseTool));
        }
        if (tools.isEmpty()) {
            return; // Anthropic refuses tool_choice without tools
        }
        ArrayNode list = body.putArray("tools");
        for (Tool tool : tools) {
            ObjectNode entry = list.addObject().put("name", tool.name());
            if (!tool.description().isEmpty()) {
                entry.put("description", tool.description());
            }
            inputSchema(entry, tool.parametersJson());
        }
        ObjectNode choice = body.putObject("tool_choice");
        ToolChoice requested = request.toolChoice();
        boolean clientTools = !request.tools().isEmpty();
        if (responseTool != null && (!clientTools || requested instanceof ToolChoice.None)) {
            choice.put("type", "tool").put("name", responseTool);
        } else {
            switch (requested) {
                // With a JSON answer pending, "auto" becomes "any": call a tool or answer through the response tool.
                case ToolChoice.Auto _ -> choice.put("type", responseTool != null ? "any" : "auto");
                case ToolChoice.Required _ -> choice.put("type", "any");
                case ToolChoice.Named named -> choice.put("type", "tool").put("name", named.name());
                case ToolChoice.None _ -> choice.put("type", "none");
            }
        }
        if (!request.parallelToolCalls() && !(requested instanceof ToolChoice.None)) {
            choice.put("disable_parallel_tool_use", true);
        }
    }

    /** A tool's schema as Anthropic requires it: with a {@code type}, which some clients leave out. */
    private static void inputSchema(ObjectNode entry, String schemaJson) {
        if (JsonTrees.hasField(schemaJson, "type")) {
            entry.putRawValue("input_schema", JsonTrees.raw(schemaJson)); // as it is, without a parse
            return;
        }
        JsonNode schema = JsonTrees.parse(schemaJson);
        if (schema instanceof ObjectNode object && !object.has("type")) {
            object.put("type", "object");
        }
        entry.set("input_schema", schema);
    }

    private static Tool responseTool(ResponseFormat format, String name) {
        String schema = format instanceof ResponseFormat.JsonSchema json ? json.schemaJson() : "{\"type\":\"object\"}";
        return new Tool(name, "Give the final answer by calling this tool; its input is the answer.", schema);
    }
}
