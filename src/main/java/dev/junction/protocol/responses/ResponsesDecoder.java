package dev.junction.protocol.responses;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.GatewayException;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.Media;
import dev.junction.core.canonical.Message;
import dev.junction.core.canonical.Part;
import dev.junction.core.canonical.ReasoningEffort;
import dev.junction.core.canonical.ResponseFormat;
import dev.junction.core.canonical.Sampling;
import dev.junction.core.canonical.Tool;
import dev.junction.core.canonical.ToolChoice;
import dev.junction.protocol.ClientJson;
import dev.junction.protocol.JsonTrees;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a Responses request into the canonical model, for channels reached by translation.
 *
 * <p>Input items: messages (roles user, assistant, system, developer; content parts input_text,
 * output_text, refusal, input_image, input_file), {@code function_call} and
 * {@code function_call_output}, {@code custom_tool_call} and its output, and {@code reasoning}
 * (summary text plus {@code encrypted_content}, which carries the provider's signature). Consecutive
 * assistant-side items become one assistant turn. Function and custom tools are kept (a custom tool
 * becomes a function taking one string {@code input}); hosted tools such as {@code web_search} are
 * dropped, since only OpenAI runs them. What cannot be translated is refused with a 400.
 */
final class ResponsesDecoder {

    /** Schema of the one-string function a custom (free-form) tool becomes. */
    static final String CUSTOM_TOOL_SCHEMA = "{\"type\":\"object\",\"properties\":{\"input\":{\"type\":\"string\","
            + "\"description\":\"The tool's free-form input.\"}},\"required\":[\"input\"]}";

    private static final Set<String> HOSTED_TOOLS = Set.of("web_search", "web_search_preview", "file_search",
            "code_interpreter", "computer_use_preview", "image_generation", "mcp", "local_shell");

    private ResponsesDecoder() {
    }

    /**
     * Decodes a request.
     *
     * @param root the request body
     * @param items every input item of the conversation: stored history first, then the request's
     */
    static CanonicalRequest decode(ObjectNode root, ArrayNode items, ChannelQuirks quirks) {
        List<Part.Text> system = new ArrayList<>();
        if (JsonTrees.string(root, "instructions") instanceof String instructions && !instructions.isEmpty()) {
            system.add(Part.Text.of(instructions));
        }
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            item(items.get(i), "input[" + i + "]", system, messages);
        }
        return new CanonicalRequest(system, messages, tools(root.path("tools")), toolChoice(root.get("tool_choice")),
                root.path("parallel_tool_calls").asBoolean(true), sampling(root, quirks),
                reasoning(root.path("reasoning")), format(root.path("text").get("format")),
                root.path("stream").asBoolean(false), true, user(root));
    }

    /** The request's {@code input} as a list of items (a string is one user message). */
    static ArrayNode items(JsonNode input) {
        ArrayNode items = JsonTrees.MAPPER.createArrayNode();
        if (input.isString()) {
            ObjectNode message = items.addObject().put("type", "message").put("role", "user");
            message.putArray("content").addObject().put("type", "input_text").put("text", input.stringValue());
        } else {
            items.addAll((ArrayNode) input);
        }
        return items;
    }

    // --- items -----------------------------------------------------------------------------------

    private static void item(JsonNode item, String path, List<Part.Text> system, List<Message> messages) {
        if (!item.isObject()) {
            throw invalid(path + " must be an object.");
        }
        String type = JsonTrees.string(item, "type");
        if (type == null && item.has("role")) {
            type = "message";
        }
        switch (type == null ? "" : type) {
            case "message" -> message(item, path, system, messages);
            case "function_call" -> assistant(messages, new Part.ToolCall(required(item, "call_id", path),
                    required(item, "name", path), arguments(item.get("arguments")), null));
            case "custom_tool_call" -> {
                ObjectNode arguments = JsonTrees.MAPPER.createObjectNode();
                arguments.put("input", item.path("input").asString(""));
                assistant(messages, new Part.ToolCall(required(item, "call_id", path), required(item, "name", path),
                        JsonTrees.text(arguments), null));
            }
            case "function_call_output", "custom_tool_call_output" -> messages.add(Message.tool(
                    new Part.ToolResult(required(item, "call_id", path), output(item.get("output"), path))));
            case "reasoning" -> reasoning(item, messages);
            case "item_reference" -> throw invalid(path + ": item references need the item store; send the item "
                    + "itself.");
            default -> throw invalid(path + ".type '" + type + "' is not an input item this gateway translates "
                    + "(message, function_call, function_call_output, custom_tool_call, reasoning).");
        }
    }

    private static void message(JsonNode item, String path, List<Part.Text> system, List<Message> messages) {
        String role = JsonTrees.string(item, "role");
        JsonNode content = item.get("content");
        switch (role == null ? "" : role) {
            case "system", "developer" -> {
                for (Part part : content(content, path + ".content")) {
                    if (!(part instanceof Part.Text text)) {
                        throw invalid(path + ": " + role + " messages may hold text only.");
                    }
                    system.add(text);
                }
            }
            case "user" -> messages.add(Message.user(content(content, path + ".content")));
            case "assistant" -> {
                for (Part part : content(content, path + ".content")) {
                    assistant(messages, part);
                }
            }
            default -> throw invalid(path + ".role '" + role + "' is not one of user, assistant, system, developer.");
        }
    }

    /** Adds to the current assistant turn, or starts one: reasoning, text and calls are one turn. */
    private static void assistant(List<Message> messages, Part part) {
        if (!messages.isEmpty() && messages.getLast().role() == Message.Role.ASSISTANT) {
            List<Part> parts = new ArrayList<>(messages.getLast().parts());
            parts.add(part);
            messages.set(messages.size() - 1, Message.assistant(parts));
        } else {
            messages.add(Message.assistant(List.of(part)));
        }
    }

    private static void reasoning(JsonNode item, List<Message> messages) {
        StringBuilder text = new StringBuilder();
        for (JsonNode summary : item.path("summary")) {
            text.append(text.isEmpty() ? "" : "\n\n").append(summary.path("text").asString(""));
        }
        String encrypted = JsonTrees.string(item, "encrypted_content");
        if (text.isEmpty() && encrypted != null && !encrypted.isEmpty()) {
            assistant(messages, new Part.RedactedReasoning(encrypted));
        } else if (!text.isEmpty()) {
            assistant(messages, new Part.Reasoning(text.toString(), encrypted));
        }
    }

    private static List<Part> content(JsonNode content, String path) {
        List<Part> parts = new ArrayList<>();
        if (content == null || content.isNull()) {
            return parts;
        }
        if (content.isString()) {
            parts.add(Part.Text.of(content.stringValue()));
            return parts;
        }
        if (!content.isArray()) {
            throw invalid(path + " must be a string or an array of content parts.");
        }
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String where = path + "[" + i + "]";
            String type = JsonTrees.string(part, "type");
            switch (type == null ? "" : type) {
                case "input_text", "output_text", "text", "refusal" -> {
                    String text = JsonTrees.string(part, type.equals("refusal") ? "refusal" : "text");
                    if (text == null) {
                        throw invalid(where + " has no text.");
                    }
                    parts.add(Part.Text.of(text));
                }
                case "input_image" -> {
                    if (part.hasNonNull("file_id")) {
                        throw invalid(where + ": images by file_id are not supported; send image_url.");
                    }
                    String url = JsonTrees.string(part, "image_url");
                    if (url == null) {
                        throw invalid(where + ".image_url is missing.");
                    }
                    parts.add(new Part.Image(media(url, "image/png")));
                }
                case "input_file" -> {
                    if (part.hasNonNull("file_id")) {
                        throw invalid(where + ": files by file_id are not supported; send file_data.");
                    }
                    String data = JsonTrees.string(part, "file_data");
                    String url = JsonTrees.string(part, "file_url");
                    if (data == null && url == null) {
                        throw invalid(where + " needs file_data or file_url.");
                    }
                    parts.add(new Part.Document(data != null ? media(data, "application/pdf") : new Media.Url(url),
                            JsonTrees.string(part, "filename")));
                }
                case "input_audio" -> throw invalid(where + ": audio input is not translated for this provider.");
                default -> throw invalid(where + ".type '" + type + "' is not a content part this gateway translates.");
            }
        }
        return parts;
    }

    /** A data URL as inline bytes, bare base64 as inline bytes of {@code fallbackType}, else a URL. */
    private static Media media(String value, String fallbackType) {
        if (value.startsWith("data:")) {
            int comma = value.indexOf(',');
            int semicolon = value.indexOf(';');
            if (comma < 0 || semicolon < 0 || semicolon > comma) {
                throw invalid("A data URL must look like data:<type>;base64,<data>.");
            }
            return new Media.Inline(value.substring(5, semicolon), value.substring(comma + 1));
        }
        if (value.startsWith("http://") || value.startsWith("https://")) {
            return new Media.Url(value);
        }
        return new Media.Inline(fallbackType, value);
    }

    private static List<Part> output(JsonNode output, String path) {
        if (output == null || output.isNull()) {
            return List.of(Part.Text.of(""));
        }
        if (output.isString()) {
            return List.of(Part.Text.of(output.stringValue()));
        }
        return content(output, path + ".output");
    }

    private static String arguments(JsonNode arguments) {
        if (arguments == null || arguments.isNull()) {
            return "{}";
        }
        return arguments.isString() ? arguments.stringValue() : JsonTrees.text(arguments);
    }

    // --- tools and parameters --------------------------------------------------------------------

    private static List<Tool> tools(JsonNode tools) {
        List<Tool> out = new ArrayList<>();
        tools(tools, "tools", out);
        return out;
    }

    /** Function and custom tools, those inside a {@code namespace} (Codex's tool groups) flattened. */
    private static void tools(JsonNode tools, String path, List<Tool> out) {
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String type = JsonTrees.string(tool, "type");
            String description = tool.path("description").asString("");
            switch (type == null ? "" : type) {
                case "namespace" -> tools(tool.path("tools"), path + "[" + i + "].tools", out);
                case "function" -> {
                    JsonNode parameters = tool.get("parameters");
                    out.add(new Tool(required(tool, "name", path + "[" + i + "]"), description,
                            parameters == null || parameters.isNull() ? "{\"type\":\"object\",\"properties\":{}}"
                                    : JsonTrees.text(parameters)));
                }
                case "custom" -> out.add(new Tool(required(tool, "name", path + "[" + i + "]"),
                        description + (description.isEmpty() ? "" : "\n\n")
                                + "Pass the tool's whole free-form input as the string argument 'input'.",
                        CUSTOM_TOOL_SCHEMA));
                default -> {
                    if (type == null || !HOSTED_TOOLS.contains(type)) {
                        throw invalid(path + "[" + i + "].type '" + type + "' is not a tool this gateway translates.");
                    }
                    // Hosted tools run inside OpenAI; other providers cannot run them, so they are left out.
                }
            }
        }
    }

    /**
     * The request's tools by name: which are custom (called with one string) and which namespace
     * holds a function, as the answer's call items must say.
     */
    static ToolNames toolNames(JsonNode tools) {
        Map<String, String> namespaces = new HashMap<>();
        Set<String> custom = new HashSet<>();
        for (JsonNode tool : tools) {
            if ("custom".equals(JsonTrees.string(tool, "type")) && JsonTrees.string(tool, "name") != null) {
                custom.add(JsonTrees.string(tool, "name"));
            }
            if ("namespace".equals(JsonTrees.string(tool, "type")) && JsonTrees.string(tool, "name") != null) {
                ToolNames inner = toolNames(tool.path("tools"));
                custom.addAll(inner.custom());
                for (JsonNode member : tool.path("tools")) {
                    if (JsonTrees.string(member, "name") != null) {
                        namespaces.put(JsonTrees.string(member, "name"), JsonTrees.string(tool, "name"));
                    }
                }
            }
        }
        return new ToolNames(custom, namespaces);
    }

    /** See {@link #toolNames(JsonNode)}. */
    record ToolNames(Set<String> custom, Map<String, String> namespaces) {
        ToolNames {
            custom = Set.copyOf(custom);
            namespaces = Map.copyOf(namespaces);
        }
    }

    private static ToolChoice toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return ToolChoice.AUTO;
        }
        if (choice.isString()) {
            return switch (choice.stringValue()) {
                case "none" -> ToolChoice.NONE;
                case "required" -> ToolChoice.REQUIRED;
                default -> ToolChoice.AUTO;
            };
        }
        String type = JsonTrees.string(choice, "type");
        if (("function".equals(type) || "custom".equals(type)) && JsonTrees.string(choice, "name") != null) {
            return new ToolChoice.Named(JsonTrees.string(choice, "name"));
        }
        if ("allowed_tools".equals(type) && "required".equals(JsonTrees.string(choice, "mode"))) {
            return ToolChoice.REQUIRED;
        }
        return ToolChoice.AUTO;
    }

    private static Sampling sampling(JsonNode root, ChannelQuirks quirks) {
        OptionalInt maxTokens = root.path("max_output_tokens").isIntegralNumber()
                ? ClientJson.int32(root, "max_output_tokens", "max_output_tokens") : OptionalInt.empty();
        if (maxTokens.isEmpty()) {
            for (String name : List.of("max_output_tokens", "max_tokens", "max_completion_tokens")) {
                if (quirks.defaults().get(name) instanceof Number limit && maxTokens.isEmpty()) {
                    maxTokens = OptionalInt.of(limit.intValue());
                }
            }
        }
        return new Sampling(maxTokens, number(root, "temperature"), number(root, "top_p"), OptionalInt.empty(),
                List.of(), OptionalLong.empty(), OptionalDouble.empty(), OptionalDouble.empty());
    }

    private static OptionalDouble number(JsonNode root, String field) {
        JsonNode value = root.get(field);
        return value != null && value.isNumber() ? OptionalDouble.of(value.asDouble()) : OptionalDouble.empty();
    }

    private static Optional<ReasoningEffort> reasoning(JsonNode reasoning) {
        String effort = JsonTrees.string(reasoning, "effort");
        return effort == null ? Optional.empty() : ReasoningEffort.fromWire(effort);
    }

    private static ResponseFormat format(JsonNode format) {
        if (format == null || !format.isObject()) {
            return ResponseFormat.TEXT;
        }
        return switch (format.path("type").asString("text")) {
            case "json_object" -> new ResponseFormat.JsonObject();
            case "json_schema" -> {
                JsonNode schema = format.get("schema");
                if (schema == null || !schema.isObject()) {
                    throw invalid("text.format.schema is missing; a json_schema format needs one.");
                }
                yield new ResponseFormat.JsonSchema(format.path("name").asString("response"), JsonTrees.text(schema));
            }
            default -> ResponseFormat.TEXT;
        };
    }

    private static String user(JsonNode root) {
        String user = JsonTrees.string(root, "safety_identifier");
        return user != null ? user : JsonTrees.string(root, "user");
    }

    private static String required(JsonNode node, String field, String path) {
        String value = JsonTrees.string(node, field);
        if (value == null || value.isEmpty()) {
            throw invalid(path + "." + field + " is missing.");
        }
        return value;
    }

    private static GatewayException invalid(String message) {
        return GatewayException.invalidRequest(message);
    }
}
