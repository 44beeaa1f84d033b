package dev.junction.protocol.openai;

import dev.junction.protocol.JsonTrees;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A request in the form both sides are compared in: what the canonical model does not keep is
 * gone (unknown parameters, {@code top_k}, which OpenAI refuses, {@code cache_control}, image {@code detail}, {@code strict}, signed
 * thinking blocks, reasoning for providers that do not take it back), and what OpenAI spells two
 * ways is spelt one way (one system message first, one-text content as a string, the default
 * tool choice and parallelism absent, {@code stop} as a list, one output limit, numbers as
 * decimals, {@code include_usage} always on for streams).
 */
final class RequestForm {

    private static final JsonNodeFactory NODES = JsonTrees.MAPPER.getNodeFactory();

    private static final Set<String> KEPT = Set.of("model", "messages", "tools", "tool_choice",
            "parallel_tool_calls", "max_tokens", "max_completion_tokens", "temperature", "top_p", "stop",
            "seed", "presence_penalty", "frequency_penalty", "response_format", "reasoning_effort", "user",
            "stream", "stream_options");

    static JsonNode of(ObjectNode request, boolean replayReasoning) {
        ObjectNode form = NODES.objectNode();
        request.properties().forEach(field -> {
            if (KEPT.contains(field.getKey()) && !field.getValue().isNull()) {
                form.set(field.getKey(), field.getValue().deepCopy());
            }
        });
        form.remove("model");
        JsonNode limit = form.has("max_completion_tokens") ? form.remove("max_completion_tokens")
                : form.remove("max_tokens");
        if (limit != null) {
            form.set("max_tokens", limit);
        }
        if (form.path("stream").asBoolean(false)) {
            form.putObject("stream_options").put("include_usage", true);
        } else {
            form.remove("stream");
            form.remove("stream_options");
        }
        if (form.path("stop").isString()) {
            form.putArray("stop").add(request.path("stop").asString());
        } else if (form.path("stop").isEmpty()) {
            form.remove("stop");
        }
        if (form.path("user").asString("").isEmpty()) {
            form.remove("user");
        }
        tools(form);
        if ("text".equals(form.at("/response_format/type").asString(""))) {
            form.remove("response_format");
        } else if (form.at("/response_format/json_schema") instanceof ObjectNode schema) {
            schema.remove("strict");
            schema.remove("description");
        }
        form.set("messages", messages(request.path("messages"), replayReasoning));
        return decimals(form);
    }

    private static void tools(ObjectNode form) {
        if (form.path("tools").isEmpty()) {
            form.remove("tools");
            form.remove("tool_choice");
            form.remove("parallel_tool_calls");
            return;
        }
        for (JsonNode tool : form.path("tools")) {
            ObjectNode function = (ObjectNode) tool.path("function");
            function.remove("strict");
            if (function.path("description").asString("").isEmpty()) {
                function.remove("description");
            }
            if (!function.path("parameters").isObject()) {
                function.putObject("parameters").put("type", "object").putObject("properties");
            }
        }
        if ("auto".equals(form.path("tool_choice").asString(""))) {
            form.remove("tool_choice");
        }
        if (form.path("parallel_tool_calls").asBoolean(false)) {
            form.remove("parallel_tool_calls");
        }
    }

    private static ArrayNode messages(JsonNode messages, boolean replayReasoning) {
        List<String> system = new ArrayList<>();
        ArrayNode others = NODES.arrayNode();
        for (JsonNode message : messages) {
            String role = message.path("role").asString();
            switch (role) {
                case "system", "developer" -> texts(message.get("content")).forEach(system::add);
                case "user" -> {
                    ArrayNode content = content(message.get("content"));
                    if (!content.isEmpty()) {
                        others.addObject().put("role", "user").set("content", simplify(content));
                    }
                }
                case "tool" -> others.addObject().put("role", "tool")
                        .put("tool_call_id", message.path("tool_call_id").asString())
                        .put("content", String.join("", texts(message.get("content"))));
                case "assistant" -> assistant(message, replayReasoning, others);
                default -> throw new AssertionError("role " + role);
            }
        }
        ArrayNode form = NODES.arrayNode();
        if (!system.isEmpty()) {
            form.addObject().put("role", "system").put("content", String.join("\n\n", system));
        }
        form.addAll(others);
        return form;
    }

    private static void assistant(JsonNode message, boolean replayReasoning, ArrayNode out) {
        String text = String.join("", texts(message.get("content")));
        ArrayNode calls = NODES.arrayNode();
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode arguments = call.at("/function/arguments");
            String json = arguments.isString() ? arguments.asString() : arguments.isObject()
                    ? JsonTrees.text(arguments) : "";
            ObjectNode entry = calls.addObject().put("id", call.path("id").asString()).put("type", "function");
            entry.putObject("function").put("name", call.at("/function/name").asString())
                    .put("arguments", json.isBlank() ? "{}" : json);
        }
        if (text.isEmpty() && calls.isEmpty()) {
            return;
        }
        ObjectNode form = out.addObject().put("role", "assistant");
        if (text.isEmpty()) {
            form.putNull("content");
        } else {
            form.put("content", text);
        }
        String reasoning = reasoning(message);
        if (replayReasoning && !reasoning.isEmpty()) {
            form.put("reasoning_content", reasoning);
        }
        if (!calls.isEmpty()) {
            form.set("tool_calls", calls);
        }
    }

    /** Reasoning as the decoder keeps it: the thinking blocks' text when there are any, else reasoning_content. */
    private static String reasoning(JsonNode message) {
        StringBuilder text = new StringBuilder();
        for (JsonNode block : message.path("thinking_blocks")) {
            text.append(block.path("thinking").asString(""));
        }
        return message.path("thinking_blocks").isEmpty() ? message.path("reasoning_content").asString("")
                : text.toString();
    }

    private static List<String> texts(JsonNode content) {
        List<String> texts = new ArrayList<>();
        for (JsonNode part : content(content)) {
            texts.add(part.path("text").asString());
        }
        return texts;
    }

    private static ArrayNode content(JsonNode content) {
        ArrayNode parts = NODES.arrayNode();
        if (content == null || content.isNull()) {
            return parts;
        }
        if (content.isString()) {
            if (!content.asString().isEmpty()) {
                parts.addObject().put("type", "text").put("text", content.asString());
            }
            return parts;
        }
        for (JsonNode part : content) {
            switch (part.path("type").asString()) {
                case "text", "refusal" -> {
                    String text = part.path(part.path("type").asString()).asString();
                    if (!text.isEmpty()) {
                        parts.addObject().put("type", "text").put("text", text);
                    }
                }
                case "image_url" -> parts.addObject().put("type", "image_url").putObject("image_url")
                        .put("url", part.path("image_url").isString() ? part.path("image_url").asString()
                                : part.at("/image_url/url").asString());
                case "file" -> parts.addObject().put("type", "file").putObject("file")
                        .put("filename", part.at("/file/filename").asString())
                        .put("file_data", part.at("/file/file_data").asString());
                default -> throw new AssertionError("part " + part);
            }
        }
        return parts;
    }

    private static JsonNode simplify(ArrayNode content) {
        return content.size() == 1 && content.get(0).path("type").asString().equals("text")
                ? content.get(0).get("text") : content;
    }

    private static JsonNode decimals(JsonNode node) {
        if (node.isNumber()) {
            return NODES.numberNode(node.doubleValue());
        }
        if (node instanceof ObjectNode object) {
            object.propertyNames().forEach(name -> object.set(name, decimals(object.get(name))));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, decimals(array.get(i)));
            }
        }
        return node;
    }
}
