package dev.junction.protocol.openai;

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
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads an OpenAI chat-completion request into the canonical model, for channels reached by
 * translation. Everything a provider could act on is kept; what cannot be translated faithfully
 * (legacy {@code functions}, audio input, {@code n > 1}) is refused with a 400 that says so,
 * rather than silently dropped.
 */
public final class OpenAiChatDecoder {

    private OpenAiChatDecoder() {
    }

    /**
     * Decodes a request after applying a channel's quirks ({@code drop_params}, {@code defaults}).
     *
     * @throws GatewayException (400) for a request the gateway cannot translate
     */
    public static CanonicalRequest decode(ChatRequest request, ChannelQuirks quirks) {
        ObjectNode root = ClientJson.object(request.body());
        Quirks.apply(root, quirks);
        return decode(root);
    }

    static CanonicalRequest decode(ObjectNode root) {
        if (root.has("functions") || root.has("function_call")) {
            throw invalid("The legacy 'functions'/'function_call' parameters are not translated; send 'tools' and "
                    + "'tool_choice' instead.");
        }
        if (root.path("n").isNumber() && root.path("n").asInt() > 1) {
            throw invalid("'n' greater than 1 is not supported by this model's provider; send one request per answer.");
        }
        List<Part.Text> system = new ArrayList<>();
        List<Message> messages = new ArrayList<>();
        JsonNode list = root.path("messages");
        for (int i = 0; i < list.size(); i++) {
            message(list.get(i), "messages[" + i + "]", system, messages);
        }
        return new CanonicalRequest(system, messages, tools(root.path("tools")), toolChoice(root.get("tool_choice")),
                root.path("parallel_tool_calls").asBoolean(true), sampling(root),
                reasoning(root.get("reasoning_effort")), responseFormat(root.get("response_format")),
                root.path("stream").asBoolean(false), root.at("/stream_options/include_usage").asBoolean(false),
                JsonTrees.string(root, "user"));
    }

    // --- messages --------------------------------------------------------------------------------

    private static void message(JsonNode message, String path, List<Part.Text> system, List<Message> messages) {
        String role = JsonTrees.string(message, "role");
        if (role == null) {
            throw invalid(path + ".role is missing.");
        }
        switch (role) {
            case "system", "developer" -> system.addAll(texts(message.get("content"), path + ".content"));
            case "user" -> messages.add(Message.user(content(message.get("content"), path + ".content")));
            case "assistant" -> messages.add(Message.assistant(assistant(message, path)));
            case "tool" -> {
                String callId = JsonTrees.string(message, "tool_call_id");
                if (callId == null || callId.isEmpty()) {
                    throw invalid(path + ".tool_call_id is missing; a tool message answers one tool call.");
                }
                messages.add(Message.tool(new Part.ToolResult(callId, content(message.get("content"),
                        path + ".content"))));
            }
            case "function" -> throw invalid(path + ": the legacy 'function' role is not translated; answer tool "
                    + "calls with role 'tool'.");
            default -> throw invalid(path + ".role '" + role + "' is not a chat role.");
        }
    }

    /** Assistant parts in the order providers need them: reasoning, text, tool calls. */
    private static List<Part> assistant(JsonNode message, String path) {
        if (message.hasNonNull("function_call")) {
            throw invalid(path + ".function_call is the legacy form; send tool_calls.");
        }
        List<Part> parts = new ArrayList<>();
        JsonNode blocks = message.path("thinking_blocks");
        if (blocks.isArray() && !blocks.isEmpty()) {
            for (JsonNode block : blocks) {
                if ("redacted_thinking".equals(JsonTrees.string(block, "type"))) {
                    String data = JsonTrees.string(block, "data");
                    if (data != null) {
                        parts.add(new Part.RedactedReasoning(data));
                    }
                } else {
                    String thinking = JsonTrees.string(block, "thinking");
                    parts.add(new Part.Reasoning(thinking == null ? "" : thinking,
                            JsonTrees.string(block, "signature")));
                }
            }
        } else if (JsonTrees.string(message, "reasoning_content") instanceof String reasoning && !reasoning.isEmpty()) {
            parts.add(new Part.Reasoning(reasoning, null));
        }
        parts.addAll(texts(message.get("content"), path + ".content"));
        JsonNode calls = message.path("tool_calls");
        for (int i = 0; i < calls.size(); i++) {
            JsonNode call = calls.get(i);
            String where = path + ".tool_calls[" + i + "]";
            JsonNode function = call.path("function");
            String id = JsonTrees.string(call, "id");
            String name = JsonTrees.string(function, "name");
            if (id == null || id.isEmpty() || name == null || name.isEmpty()) {
                throw invalid(where + " needs an 'id' and a 'function.name'.");
            }
            JsonNode arguments = function.get("arguments");
            String json = arguments == null || arguments.isNull() ? "{}"
                    : arguments.isString() ? arguments.stringValue() : JsonTrees.text(arguments);
            parts.add(new Part.ToolCall(id, name, json.isBlank() ? "{}" : json, null));
        }
        return parts;
    }

    /** Text-only content (system, developer, assistant): a string or text/refusal parts. */
    private static List<Part.Text> texts(JsonNode content, String path) {
        List<Part.Text> texts = new ArrayList<>();
        for (Part part : content(content, path)) {
            if (part instanceof Part.Text text) {
                texts.add(text);
            } else {
                throw invalid(path + " may only hold text.");
            }
        }
        return texts;
    }

    private static List<Part> content(JsonNode content, String path) {
        List<Part> parts = new ArrayList<>();
        if (content == null || content.isNull()) {
            return parts;
        }
        if (content.isString()) {
            if (!content.stringValue().isEmpty()) {
                parts.add(Part.Text.of(content.stringValue()));
            }
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
                case "text" -> {
                    String text = JsonTrees.string(part, "text");
                    if (text == null) {
                        throw invalid(where + ".text is missing.");
                    }
                    if (!text.isEmpty()) {
                        parts.add(new Part.Text(text, part.hasNonNull("cache_control")));
                    }
                }
                case "refusal" -> {
                    String refusal = JsonTrees.string(part, "refusal");
                    if (refusal != null && !refusal.isEmpty()) {
                        parts.add(Part.Text.of(refusal));
                    }
                }
                case "image_url" -> {
                    JsonNode image = part.path("image_url");
                    String url = image.isString() ? image.stringValue() : JsonTrees.string(image, "url");
                    if (url == null || url.isEmpty()) {
                        throw invalid(where + ".image_url.url is missing.");
                    }
                    parts.add(new Part.Image(media(url, where + ".image_url.url")));
                }
                case "file" -> {
                    JsonNode file = part.path("file");
                    String data = JsonTrees.string(file, "file_data");
                    if (data == null) {
                        throw invalid(where + ": only files sent inline as 'file_data' can be translated, not "
                                + "'file_id'.");
                    }
                    Media media = data.startsWith("data:") ? media(data, where + ".file.file_data")
                            : new Media.Inline("application/pdf", data);
                    parts.add(new Part.Document(media, JsonTrees.string(file, "filename")));
                }
                default -> throw invalid(where + ": content parts of type '" + type
                        + "' cannot be translated for this model's provider.");
            }
        }
        return parts;
    }

    /** An {@code http(s)} URL as is; a {@code data:} URL split into media type and base64 data. */
    private static Media media(String url, String path) {
        if (!url.startsWith("data:")) {
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw invalid(path + " must be an http(s) URL or a base64 data URL.");
            }
            return new Media.Url(url);
        }
        int comma = url.indexOf(',');
        String header = comma < 0 ? "" : url.substring(5, comma);
        if (!header.endsWith(";base64")) {
            throw invalid(path + " must be a base64 data URL (data:<type>;base64,<data>).");
        }
        String type = header.substring(0, header.length() - ";base64".length());
        int parameters = type.indexOf(';');
        return new Media.Inline(parameters < 0 ? type : type.substring(0, parameters), url.substring(comma + 1));
    }

    // --- tools -----------------------------------------------------------------------------------

    private static List<Tool> tools(JsonNode tools) {
        List<Tool> result = new ArrayList<>();
        if (!tools.isMissingNode() && !tools.isNull() && !tools.isArray()) {
            throw invalid("'tools' must be an array of tools.");
        }
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String where = "tools[" + i + "]";
            if (!tool.isObject()) {
                throw invalid(where + " must be an object.");
            }
            if (!"function".equals(JsonTrees.string(tool, "type"))) {
                throw invalid(where + ": only tools of type 'function' can be translated.");
            }
            JsonNode function = tool.path("function");
            String name = JsonTrees.string(function, "name");
            if (name == null || name.isEmpty()) {
                throw invalid(where + ".function.name is missing.");
            }
            String description = JsonTrees.string(function, "description");
            JsonNode parameters = function.get("parameters");
            String schema = parameters != null && parameters.isObject() ? JsonTrees.text(parameters)
                    : "{\"type\":\"object\",\"properties\":{}}";
            result.add(new Tool(name, description == null ? "" : description, schema));
        }
        return result;
    }

    private static ToolChoice toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return ToolChoice.AUTO;
        }
        if (choice.isString()) {
            return switch (choice.stringValue()) {
                case "auto" -> ToolChoice.AUTO;
                case "none" -> ToolChoice.NONE;
                case "required" -> ToolChoice.REQUIRED;
                default -> throw invalid("tool_choice '" + choice.stringValue()
                        + "' is not one of auto, none, required.");
            };
        }
        String name = JsonTrees.string(choice.path("function"), "name");
        if ("function".equals(JsonTrees.string(choice, "type")) && name != null) {
            return new ToolChoice.Named(name);
        }
        throw invalid("tool_choice must be auto, none, required or {\"type\":\"function\",\"function\":{\"name\":…}}.");
    }

    // --- parameters ------------------------------------------------------------------------------

    private static Sampling sampling(JsonNode root) {
        OptionalInt maxTokens = integer(root, "max_completion_tokens");
        if (maxTokens.isEmpty()) {
            maxTokens = integer(root, "max_tokens");
        }
        List<String> stop = new ArrayList<>();
        JsonNode stops = root.path("stop");
        if (stops.isString()) {
            stop.add(stops.stringValue());
        } else if (stops.isArray()) {
            for (JsonNode value : stops) {
                if (!value.isString()) {
                    throw invalid("'stop' must be a string or an array of strings.");
                }
                stop.add(value.stringValue());
            }
        }
        OptionalInt topK = integer(root, "top_k");
        JsonNode seed = root.path("seed");
        return new Sampling(maxTokens, decimal(root, "temperature"), decimal(root, "top_p"), topK, stop,
                ClientJson.int64(root, "seed", "seed"),
                decimal(root, "presence_penalty"), decimal(root, "frequency_penalty"));
    }

    private static OptionalInt integer(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return OptionalInt.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
            throw invalid("'" + field + "' must be a positive whole number.");
        }
        return OptionalInt.of(value.intValue());
    }

    private static OptionalDouble decimal(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return OptionalDouble.empty();
        }
        if (!value.isNumber()) {
            throw invalid("'" + field + "' must be a number.");
        }
        return OptionalDouble.of(value.doubleValue());
    }

    private static Optional<ReasoningEffort> reasoning(JsonNode effort) {
        if (effort == null || effort.isNull()) {
            return Optional.empty();
        }
        String value = effort.isString() ? effort.stringValue() : "";
        return Optional.of(ReasoningEffort.fromWire(value).orElseThrow(() -> invalid("reasoning_effort '" + value
                + "' is not one of none, minimal, low, medium, high, xhigh.")));
    }

    private static ResponseFormat responseFormat(JsonNode format) {
        if (format == null || format.isNull()) {
            return ResponseFormat.TEXT;
        }
        return switch (String.valueOf(JsonTrees.string(format, "type"))) {
            case "text" -> ResponseFormat.TEXT;
            case "json_object" -> new ResponseFormat.JsonObject();
            case "json_schema" -> {
                JsonNode spec = format.path("json_schema");
                JsonNode schema = spec.get("schema");
                if (schema == null || !schema.isObject()) {
                    throw invalid("response_format.json_schema.schema must be a JSON Schema object.");
                }
                String name = JsonTrees.string(spec, "name");
                yield new ResponseFormat.JsonSchema(name == null || name.isEmpty() ? "response" : name,
                        JsonTrees.text(schema));
            }
            default -> throw invalid("response_format.type must be text, json_object or json_schema.");
        };
    }

    private static GatewayException invalid(String message) {
        return GatewayException.invalidRequest(message);
    }
}
