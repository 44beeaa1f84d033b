package dev.junction.protocol.gemini;

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
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a Gemini {@code generateContent} body into the canonical model, for channels of another
 * type. Function calls keep the client's {@code id}s (Gemini CLI sends them and expects them back);
 * a call without one gets an id made from its position, and a response without one is matched to
 * the earliest unanswered call of the same name, so ids stay stable from turn to turn.
 * {@code safetySettings} and {@code cachedContent} mean nothing to other providers and are ignored;
 * what cannot be expressed ({@code candidateCount > 1}, Google-only tools) is refused with a 400.
 */
final class GenerateContentRequestDecoder {

    private GenerateContentRequestDecoder() {
    }

    static CanonicalRequest decode(ObjectNode root, boolean stream) {
        List<Part.Text> system = new ArrayList<>();
        JsonNode instruction = root.get("systemInstruction");
        if (instruction != null && instruction.isString()) {
            system.add(Part.Text.of(instruction.stringValue()));
        } else if (instruction != null) {
            for (JsonNode part : instruction.path("parts")) {
                if (part.path("text").isString() && !part.path("thought").asBoolean(false)) {
                    system.add(Part.Text.of(part.path("text").stringValue()));
                }
            }
        }
        JsonNode config = root.path("generationConfig");
        return new CanonicalRequest(system, messages(root.path("contents")), tools(root.path("tools")),
                toolChoice(root.path("toolConfig").path("functionCallingConfig")), true, sampling(config),
                reasoning(config.path("thinkingConfig")), responseFormat(config), stream, false, null);
    }

    /** Whether the client wants thought parts in the answer. */
    static boolean includeThoughts(ObjectNode root) {
        return root.path("generationConfig").path("thinkingConfig").path("includeThoughts").asBoolean(false);
    }

    // --- contents --------------------------------------------------------------------------------

    private static List<Message> messages(JsonNode contents) {
        if (!contents.isArray() || contents.isEmpty()) {
            throw invalid("contents is not specified: send at least one content with parts.");
        }
        List<Message> messages = new ArrayList<>();
        List<Part.ToolCall> unanswered = new ArrayList<>();
        for (int i = 0; i < contents.size(); i++) {
            JsonNode content = contents.get(i);
            String where = "contents[" + i + "]";
            String role = content.path("role").asString("user");
            boolean model = switch (role) {
                case "model" -> true;
                case "user", "function", "tool" -> false;
                default -> throw invalid(where + ".role '" + role + "' is not a Gemini role (user or model).");
            };
            List<Part> parts = new ArrayList<>();
            JsonNode list = content.path("parts");
            for (int j = 0; j < list.size(); j++) {
                JsonNode part = list.get(j);
                String at = where + ".parts[" + j + "]";
                if (part.get("functionCall") instanceof ObjectNode call) {
                    if (!model) {
                        throw invalid(at + ": a functionCall belongs to a model turn.");
                    }
                    Part.ToolCall toolCall = toolCall(call, JsonTrees.string(part, "thoughtSignature"), i, j, at);
                    unanswered.add(toolCall);
                    parts.add(toolCall);
                } else if (part.get("functionResponse") instanceof ObjectNode response) {
                    if (model) {
                        throw invalid(at + ": a functionResponse belongs to a user turn.");
                    }
                    messages.add(Message.tool(toolResult(response, unanswered, i, j, at)));
                } else {
                    part(part, at).ifPresent(parts::add);
                }
            }
            if (!parts.isEmpty()) {
                messages.add(model ? Message.assistant(parts) : Message.user(parts));
            }
        }
        return messages;
    }

    private static Optional<Part> part(JsonNode part, String at) {
        if (part.path("text").isString()) {
            String text = part.path("text").stringValue();
            if (text.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(part.path("thought").asBoolean(false)
                    ? new Part.Reasoning(text, null) : Part.Text.of(text));
        }
        if (part.get("inlineData") instanceof ObjectNode inline) {
            String type = JsonTrees.string(inline, "mimeType");
            String data = JsonTrees.string(inline, "data");
            if (type == null || data == null) {
                throw invalid(at + ".inlineData needs 'mimeType' and 'data'.");
            }
            return Optional.of(media(new Media.Inline(type, data), type));
        }
        if (part.get("fileData") instanceof ObjectNode file) {
            String uri = JsonTrees.string(file, "fileUri");
            if (uri == null) {
                throw invalid(at + ".fileData needs a 'fileUri'.");
            }
            String type = JsonTrees.string(file, "mimeType");
            return Optional.of(media(new Media.Url(uri), type == null ? MimeTypes.guess(uri) : type));
        }
        for (String kind : List.of("executableCode", "codeExecutionResult", "videoMetadata")) {
            if (part.has(kind)) {
                throw invalid(at + "." + kind + " is served only by gemini channels.");
            }
        }
        return Optional.empty(); // a part holding only a thoughtSignature, or metadata
    }

    private static Part media(Media source, String mimeType) {
        return mimeType.startsWith("image/") ? new Part.Image(source) : new Part.Document(source, null);
    }

    private static Part.ToolCall toolCall(ObjectNode call, String signature, int content, int index, String at) {
        String name = JsonTrees.string(call, "name");
        if (name == null || name.isEmpty()) {
            throw invalid(at + ".functionCall.name is missing.");
        }
        String id = JsonTrees.string(call, "id");
        JsonNode args = call.path("args");
        return new Part.ToolCall(id == null || id.isEmpty() ? generatedId(name, content, index) : id, name,
                args.isObject() ? JsonTrees.text(args) : "{}", signature);
    }

    /** An id from the call's place in the conversation: the same on every turn that replays it. */
    static String generatedId(String name, int content, int index) {
        return "call_" + content + "_" + index + "_" + name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private static Part.ToolResult toolResult(ObjectNode response, List<Part.ToolCall> unanswered, int content,
            int index, String at) {
        String name = JsonTrees.string(response, "name");
        String id = JsonTrees.string(response, "id");
        Part.ToolCall answered = null;
        for (Iterator<Part.ToolCall> it = unanswered.iterator(); it.hasNext();) {
            Part.ToolCall call = it.next();
            if (id != null && !id.isEmpty() ? call.id().equals(id) : call.name().equals(name)) {
                answered = call;
                it.remove();
                break;
            }
        }
        if (answered == null) {
            throw invalid(at + ".functionResponse" + (id == null ? " for '" + name + "'" : " with id '" + id + "'")
                    + " answers no earlier functionCall.");
        }
        JsonNode body = response.path("response");
        return new Part.ToolResult(answered.id(), List.of(Part.Text.of(resultText(body))));
    }

    /** A lone {@code output}/{@code content}/{@code result} string is the result; any other object its JSON. */
    private static String resultText(JsonNode response) {
        if (!response.isObject()) {
            return response.isMissingNode() || response.isNull() ? "" : JsonTrees.text(response);
        }
        if (response.size() == 1) {
            var field = response.properties().iterator().next();
            if (List.of("output", "content", "result").contains(field.getKey()) && field.getValue().isString()) {
                return field.getValue().stringValue();
            }
        }
        return JsonTrees.text(response);
    }

    // --- tools -----------------------------------------------------------------------------------

    private static List<Tool> tools(JsonNode tools) {
        List<Tool> out = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            for (String kind : tool.propertyNames()) {
                if (!kind.equals("functionDeclarations")) {
                    throw invalid("tools[" + i + "]." + kind + " is a Google tool, served only by gemini channels.");
                }
            }
            for (JsonNode declaration : tool.path("functionDeclarations")) {
                String name = JsonTrees.string(declaration, "name");
                if (name == null || name.isEmpty()) {
                    throw invalid("tools[" + i + "].functionDeclarations: every declaration needs a 'name'.");
                }
                String description = JsonTrees.string(declaration, "description");
                JsonNode given = declaration.has("parametersJsonSchema") ? declaration.get("parametersJsonSchema")
                        : declaration.get("parameters");
                JsonNode schema = given == null ? null : jsonSchema(given);
                out.add(new Tool(name, description == null ? "" : description,
                        schema == null || !schema.isObject() ? "{\"type\":\"object\",\"properties\":{}}"
                                : JsonTrees.text(schema)));
            }
        }
        return out;
    }

    /**
     * A Gemini (OpenAPI-style) schema as JSON Schema: upper-case types ({@code OBJECT}) become
     * lower-case and {@code nullable} becomes a {@code null} type. Gemini CLI writes upper-case
     * types even in {@code responseJsonSchema}, so JSON schemas go through this too; lower-case
     * JSON Schema is left as it is.
     */
    static JsonNode jsonSchema(JsonNode schema) {
        if (schema.isArray()) {
            ArrayNode out = JsonTrees.MAPPER.createArrayNode();
            schema.forEach(item -> out.add(jsonSchema(item)));
            return out;
        }
        if (!schema.isObject()) {
            return schema;
        }
        ObjectNode out = JsonTrees.MAPPER.createObjectNode();
        boolean nullable = schema.path("nullable").asBoolean(false);
        for (var field : schema.properties()) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            switch (key) {
                case "nullable" -> {
                }
                case "type" -> {
                    if (value.isString()) {
                        String type = value.stringValue().toLowerCase(Locale.ROOT);
                        if (type.equals("type_unspecified")) {
                            continue;
                        }
                        if (nullable) {
                            out.putArray("type").add(type).add("null");
                        } else {
                            out.put("type", type);
                        }
                    } else {
                        out.set("type", value);
                    }
                }
                case "properties", "$defs", "definitions", "patternProperties" -> {
                    ObjectNode map = out.putObject(key);
                    value.properties().forEach(p -> map.set(p.getKey(), jsonSchema(p.getValue())));
                }
                case "items", "anyOf", "oneOf", "allOf", "not", "additionalProperties", "prefixItems" ->
                        out.set(key, jsonSchema(value));
                case "format" -> {
                    if (!value.asString("").equals("enum")) {
                        out.set(key, value);
                    }
                }
                default -> out.set(key, value);
            }
        }
        return out;
    }

    private static ToolChoice toolChoice(JsonNode config) {
        String mode = config.path("mode").asString("AUTO").toUpperCase(Locale.ROOT);
        JsonNode allowed = config.path("allowedFunctionNames");
        return switch (mode) {
            case "ANY", "VALIDATED" -> allowed.size() == 1 ? new ToolChoice.Named(allowed.get(0).asString())
                    : mode.equals("ANY") ? ToolChoice.REQUIRED : ToolChoice.AUTO;
            case "NONE" -> ToolChoice.NONE;
            case "AUTO", "MODE_UNSPECIFIED" -> ToolChoice.AUTO;
            default -> throw invalid("toolConfig.functionCallingConfig.mode '" + mode + "' is not AUTO, ANY, "
                    + "NONE or VALIDATED.");
        };
    }

    // --- generation config -----------------------------------------------------------------------

    private static Sampling sampling(JsonNode config) {
        if (ClientJson.int32(config, "candidateCount", "generationConfig.candidateCount").orElse(1) > 1) {
            throw invalid("generationConfig.candidateCount greater than 1 is not supported for this model; send "
                    + "one request per candidate.");
        }
        List<String> stop = new ArrayList<>();
        JsonNode stops = config.path("stopSequences");
        if (!stops.isMissingNode() && !stops.isNull() && !stops.isArray()) {
            throw invalid("generationConfig.stopSequences must be a list of strings.");
        }
        for (JsonNode s : stops) {
            if (!s.isString()) {
                throw invalid("generationConfig.stopSequences must be a list of strings.");
            }
            stop.add(s.stringValue());
        }
        return new Sampling(integer(config, "maxOutputTokens"), decimal(config, "temperature"),
                decimal(config, "topP"), integer(config, "topK"), stop,
                seed(config),
                decimal(config, "presencePenalty"), decimal(config, "frequencyPenalty"));
    }

    /** Gemini's seed is a 32-bit integer. */
    private static OptionalLong seed(JsonNode config) {
        OptionalInt seed = ClientJson.int32(config, "seed", "generationConfig.seed");
        return seed.isPresent() ? OptionalLong.of(seed.getAsInt()) : OptionalLong.empty();
    }

    private static OptionalInt integer(JsonNode config, String field) {
        return ClientJson.int32(config, field, "generationConfig." + field);
    }

    private static OptionalDouble decimal(JsonNode config, String field) {
        JsonNode value = config.get(field);
        return value != null && value.isNumber() ? OptionalDouble.of(value.asDouble()) : OptionalDouble.empty();
    }

    /** {@code thinkingLevel} (Gemini 3) or {@code thinkingBudget} (2.5; 0 off, -1 dynamic) as an effort. */
    private static Optional<ReasoningEffort> reasoning(JsonNode thinking) {
        String level = JsonTrees.string(thinking, "thinkingLevel");
        if (level != null) {
            return Optional.of(switch (level.toUpperCase(Locale.ROOT)) {
                case "MINIMAL" -> ReasoningEffort.MINIMAL;
                case "LOW" -> ReasoningEffort.LOW;
                case "MEDIUM" -> ReasoningEffort.MEDIUM;
                default -> ReasoningEffort.HIGH;
            });
        }
        JsonNode budget = thinking.get("thinkingBudget");
        if (budget == null || !budget.isNumber()) {
            return Optional.empty();
        }
        // a budget past an int (a client's typo) is as good as unbounded; Jackson 3's asInt() throws on it
        int tokens = budget.canConvertToInt() ? budget.asInt(0) : budget.asDouble() > 0 ? Integer.MAX_VALUE : -1;
        return Optional.of(tokens == 0 ? ReasoningEffort.NONE : tokens < 0 ? ReasoningEffort.MEDIUM
                : tokens <= 1024 ? ReasoningEffort.LOW : tokens <= 8192 ? ReasoningEffort.MEDIUM
                : ReasoningEffort.HIGH);
    }

    private static ResponseFormat responseFormat(JsonNode config) {
        String mime = JsonTrees.string(config, "responseMimeType");
        if (mime == null || !mime.equals("application/json")) {
            if (mime != null && mime.equals("text/x.enum")) {
                throw invalid("generationConfig.responseMimeType 'text/x.enum' is served only by gemini channels.");
            }
            return ResponseFormat.TEXT;
        }
        JsonNode schema = config.has("responseJsonSchema") ? config.get("responseJsonSchema")
                : config.get("responseSchema");
        if (schema == null || !schema.isObject()) {
            return new ResponseFormat.JsonObject();
        }
        return new ResponseFormat.JsonSchema("response", JsonTrees.text(jsonSchema(schema)));
    }

    private static GatewayException invalid(String message) {
        return GatewayException.invalidRequest(message);
    }
}
