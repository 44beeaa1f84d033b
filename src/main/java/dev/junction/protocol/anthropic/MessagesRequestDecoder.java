package dev.junction.protocol.anthropic;

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
 * Reads a Messages API request (as Claude Code and the Anthropic SDKs send it) into canonical
 * form, for channels reached by translation. Lenient where Anthropic is: {@code cache_control},
 * {@code context_management}, {@code output_config.effort} and unknown block types are accepted
 * and, where no other provider has an equivalent, ignored.
 */
final class MessagesRequestDecoder {

    private MessagesRequestDecoder() {
    }

    static CanonicalRequest decode(ObjectNode body) {
        List<Part.Text> system = new ArrayList<>();
        texts(body.get("system"), system);
        List<Message> messages = new ArrayList<>();
        for (JsonNode message : body.path("messages")) {
            String role = message.path("role").asString("");
            switch (role) {
                // Claude Code's mid-conversation-system beta: instructions inside the conversation.
                case "system" -> texts(message.get("content"), system);
                case "user" -> user(message.get("content"), messages);
                case "assistant" -> {
                    List<Part> parts = assistant(message.get("content"));
                    if (!parts.isEmpty()) {
                        messages.add(Message.assistant(parts));
                    }
                }
                default -> throw GatewayException.invalidRequest("messages: unexpected role '" + role
                        + "'; expected user or assistant.");
            }
        }
        JsonNode choice = body.path("tool_choice");
        return new CanonicalRequest(system, messages, tools(body.path("tools")), toolChoice(choice),
                !choice.path("disable_parallel_tool_use").asBoolean(false), sampling(body), reasoning(body),
                responseFormat(body), body.path("stream").asBoolean(false), true, user(body));
    }

    /** A system prompt or system message: a string, or text blocks (other block types have no place there). */
    private static void texts(JsonNode content, List<Part.Text> out) {
        if (content == null || content.isNull()) {
            return;
        }
        if (content.isString()) {
            if (!content.stringValue().isEmpty()) {
                out.add(Part.Text.of(content.stringValue()));
            }
            return;
        }
        for (JsonNode block : content) {
            String text = block.path("text").asString("");
            if ("text".equals(JsonTrees.string(block, "type")) && !text.isEmpty()) {
                out.add(new Part.Text(text, block.has("cache_control")));
            }
        }
    }

    /** A user turn: its tool results become tool messages first (they answer the turn before), then the rest. */
    private static void user(JsonNode content, List<Message> out) {
        List<Part> parts = new ArrayList<>();
        if (content != null && content.isString()) {
            parts.add(Part.Text.of(content.stringValue()));
        } else if (content != null) {
            for (JsonNode block : content) {
                if ("tool_result".equals(JsonTrees.string(block, "type"))) {
                    out.add(Message.tool(toolResult(block)));
                } else {
                    media(block, parts);
                }
            }
        }
        if (!parts.isEmpty()) {
            out.add(Message.user(parts));
        }
    }

    private static Part.ToolResult toolResult(JsonNode block) {
        List<Part> parts = new ArrayList<>();
        JsonNode content = block.get("content");
        if (content != null && content.isString()) {
            parts.add(Part.Text.of(content.stringValue()));
        } else if (content != null) {
            for (JsonNode inner : content) {
                media(inner, parts);
            }
        }
        if (block.path("is_error").asBoolean(false)) {
            // Canonical results carry no error flag; the model still learns the call failed.
            parts.addFirst(Part.Text.of("Error: "));
        }
        return new Part.ToolResult(block.path("tool_use_id").asString(""), parts);
    }

    /** Text, image and document blocks; anything else (search results, server tool blocks) is left out. */
    private static void media(JsonNode block, List<Part> out) {
        switch (String.valueOf(JsonTrees.string(block, "type"))) {
            case "text" -> {
                String text = block.path("text").asString("");
                if (!text.isEmpty()) {
                    out.add(new Part.Text(text, block.has("cache_control")));
                }
            }
            case "image" -> source(block.path("source")).ifPresent(source -> out.add(new Part.Image(source)));
            case "document" -> {
                JsonNode source = block.path("source");
                if ("text".equals(JsonTrees.string(source, "type"))) {
                    out.add(Part.Text.of(source.path("data").asString("")));
                } else {
                    source(source).ifPresent(media -> out.add(new Part.Document(media,
                            JsonTrees.string(block, "title"))));
                }
            }
            default -> {
            }
        }
    }

    private static Optional<Media> source(JsonNode source) {
        return switch (String.valueOf(JsonTrees.string(source, "type"))) {
            case "base64" -> Optional.of(new Media.Inline(source.path("media_type").asString(""),
                    source.path("data").asString("")));
            case "url" -> Optional.of(new Media.Url(source.path("url").asString("")));
            default -> Optional.empty(); // file ids live in Anthropic's Files API only
        };
    }

    private static List<Part> assistant(JsonNode content) {
        List<Part> parts = new ArrayList<>();
        if (content != null && content.isString()) {
            if (!content.stringValue().isEmpty()) {
                parts.add(Part.Text.of(content.stringValue()));
            }
            return parts;
        }
        for (JsonNode block : content == null ? JsonTrees.MAPPER.createArrayNode() : content) {
            switch (String.valueOf(JsonTrees.string(block, "type"))) {
                case "text" -> {
                    String text = block.path("text").asString("");
                    if (!text.isEmpty()) {
                        parts.add(Part.Text.of(text));
                    }
                }
                case "thinking" -> parts.add(new Part.Reasoning(block.path("thinking").asString(""),
                        JsonTrees.string(block, "signature")));
                case "redacted_thinking" -> parts.add(new Part.RedactedReasoning(block.path("data").asString("")));
                case "tool_use" -> {
                    JsonNode input = block.path("input");
                    parts.add(new Part.ToolCall(block.path("id").asString(""), block.path("name").asString(""),
                            input.isObject() ? JsonTrees.text(input) : "{}", null));
                }
                default -> {
                }
            }
        }
        return parts;
    }

    /** Client tools; server tools (web search, code execution) have no input schema and no equivalent elsewhere. */
    private static List<Tool> tools(JsonNode tools) {
        List<Tool> out = new ArrayList<>();
        for (JsonNode tool : tools) {
            if (!(tool.get("input_schema") instanceof ObjectNode schema)) {
                continue;
            }
            out.add(new Tool(tool.path("name").asString(""), tool.path("description").asString(""),
                    JsonTrees.text(withoutDialect(schema))));
        }
        return out;
    }

    /** The schema without its {@code $schema} dialect line; a shallow copy, the client's tree is left as it is. */
    private static ObjectNode withoutDialect(ObjectNode schema) {
        if (!schema.has("$schema")) {
            return schema;
        }
        ObjectNode copy = schema.objectNode().setAll(schema);
        copy.remove("$schema");
        return copy;
    }

    private static ToolChoice toolChoice(JsonNode choice) {
        return switch (choice.path("type").asString("auto")) {
            case "any" -> ToolChoice.REQUIRED;
            case "none" -> ToolChoice.NONE;
            case "tool" -> new ToolChoice.Named(choice.path("name").asString(""));
            default -> ToolChoice.AUTO;
        };
    }

    private static Sampling sampling(JsonNode body) {
        List<String> stops = new ArrayList<>();
        body.path("stop_sequences").forEach(stop -> {
            if (stop.isString()) {
                stops.add(stop.stringValue());
            }
        });
        return new Sampling(ClientJson.int32(body, "max_tokens", "max_tokens"), decimal(body, "temperature"),
                decimal(body, "top_p"), ClientJson.int32(body, "top_k", "top_k"), stops, OptionalLong.empty(), OptionalDouble.empty(), OptionalDouble.empty());
    }

    private static OptionalDouble decimal(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isNumber() ? OptionalDouble.of(value.asDouble()) : OptionalDouble.empty();
    }

    /**
     * {@code thinking.enabled} with a budget, or {@code adaptive} with {@code output_config.effort},
     * on OpenAI's effort scale.
     */
    private static Optional<ReasoningEffort> reasoning(JsonNode body) {
        JsonNode thinking = body.path("thinking");
        String effort = body.path("output_config").path("effort").asString("");
        return switch (thinking.path("type").asString("")) {
            case "enabled" -> {
                int budget = thinking.path("budget_tokens").asInt(0);
                yield Optional.of(budget < 2048 ? ReasoningEffort.LOW
                        : budget < 16384 ? ReasoningEffort.MEDIUM : ReasoningEffort.HIGH);
            }
            case "adaptive" -> Optional.of(switch (effort) {
                case "low" -> ReasoningEffort.LOW;
                case "medium" -> ReasoningEffort.MEDIUM;
                case "max", "xhigh" -> ReasoningEffort.XHIGH;
                default -> ReasoningEffort.HIGH; // Anthropic's default effort
            });
            case "disabled" -> Optional.of(ReasoningEffort.NONE);
            default -> Optional.empty();
        };
    }

    /** Structured outputs ({@code output_config.format} or the older {@code output_format}). */
    private static ResponseFormat responseFormat(JsonNode body) {
        JsonNode format = body.path("output_config").path("format");
        if (format.isMissingNode()) {
            format = body.path("output_format");
        }
        if ("json_schema".equals(JsonTrees.string(format, "type")) && format.get("schema") instanceof ObjectNode s) {
            return new ResponseFormat.JsonSchema("response", JsonTrees.text(s));
        }
        return ResponseFormat.TEXT;
    }

    /** Claude Code sends a JSON string here ({@code device_id}, {@code session_id}); it is kept as is. */
    private static String user(JsonNode body) {
        return JsonTrees.string(body.path("metadata"), "user_id");
    }
}
