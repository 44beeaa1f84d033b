package dev.junction.protocol.responses;

import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.Part;
import dev.junction.core.canonical.Usage;
import dev.junction.protocol.JsonTrees;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Responses API output in JSON: the items ({@code message}, {@code reasoning},
 * {@code function_call}, {@code custom_tool_call}), {@code usage}, and the {@code response}
 * object around them. Whole answers and streams build them the same way.
 *
 * @param responseId the response id ({@code resp_…}); item ids derive from it
 * @param tools the request's custom tools (whose calls come back as {@code custom_tool_call} items
 *     with the string {@code input}) and namespaced functions (whose calls name their namespace)
 * @param echo the request fields every response object repeats (instructions, tools, tool_choice…)
 */
record ResponsesOutput(String responseId, ResponsesDecoder.ToolNames tools, ObjectNode echo) {

    /** The request fields a response object repeats, with OpenAI's defaults where the client sent none. */
    static ObjectNode echo(JsonNode request) {
        ObjectNode echo = JsonTrees.MAPPER.createObjectNode();
        for (String field : List.of("instructions", "max_output_tokens", "previous_response_id", "temperature",
                "top_p", "user", "prompt_cache_key", "safety_identifier")) {
            echo.set(field, request.hasNonNull(field) ? request.get(field) : JsonTrees.MAPPER.nullNode());
        }
        echo.set("metadata", request.path("metadata").isObject() ? request.get("metadata")
                : JsonTrees.MAPPER.createObjectNode());
        echo.put("parallel_tool_calls", request.path("parallel_tool_calls").asBoolean(true));
        echo.set("tool_choice", request.hasNonNull("tool_choice") ? request.get("tool_choice")
                : JsonTrees.MAPPER.stringNode("auto"));
        echo.set("tools", request.path("tools").isArray() ? request.get("tools") : JsonTrees.MAPPER.createArrayNode());
        echo.put("store", request.path("store").asBoolean(true));
        if (request.path("reasoning").isObject()) {
            echo.set("reasoning", request.get("reasoning"));
        }
        if (request.path("text").isObject()) {
            echo.set("text", request.get("text"));
        }
        return echo;
    }

    /** An item id: a type prefix, the response's own suffix, and the item's position. */
    String itemId(String prefix, int index) {
        return prefix + "_" + responseId.substring(responseId.indexOf('_') + 1) + "_" + index;
    }

    static ObjectNode message(String id, String status) {
        ObjectNode item = JsonTrees.MAPPER.createObjectNode().put("id", id).put("type", "message")
                .put("status", status).put("role", "assistant");
        item.putArray("content");
        return item;
    }

    static ObjectNode textPart(String text) {
        ObjectNode part = JsonTrees.MAPPER.createObjectNode().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    static ObjectNode refusalPart(String text) {
        return JsonTrees.MAPPER.createObjectNode().put("type", "refusal").put("refusal", text);
    }

    static ObjectNode reasoning(String id, String text, String encrypted) {
        ObjectNode item = JsonTrees.MAPPER.createObjectNode().put("id", id).put("type", "reasoning");
        ArrayNode summary = item.putArray("summary");
        if (text != null && !text.isEmpty()) {
            summary.add(summaryPart(text));
        }
        if (encrypted != null && !encrypted.isEmpty()) {
            item.put("encrypted_content", encrypted);
        }
        return item;
    }

    static ObjectNode summaryPart(String text) {
        return JsonTrees.MAPPER.createObjectNode().put("type", "summary_text").put("text", text);
    }

    /** A call item: {@code function_call}, or {@code custom_tool_call} for a custom tool. */
    ObjectNode call(String id, String callId, String name, String arguments, String status) {
        ObjectNode item = JsonTrees.MAPPER.createObjectNode();
        if (tools.custom().contains(name)) {
            item.put("id", (id.startsWith("fc_") ? "ctc_" + id.substring(3) : id)).put("type", "custom_tool_call").put("status", status)
                    .put("call_id", callId).put("name", name).put("input", customInput(arguments));
        } else {
            item.put("id", id).put("type", "function_call").put("status", status).put("arguments", arguments)
                    .put("call_id", callId).put("name", name);
            if (tools.namespaces().get(name) instanceof String namespace) {
                item.put("namespace", namespace);
            }
        }
        return item;
    }

    /** The string a custom tool gets: the {@code input} argument, else the arguments as the model wrote them. */
    private static String customInput(String arguments) {
        try {
            JsonNode parsed = JsonTrees.parse(arguments);
            if (parsed.path("input").isString()) {
                return parsed.path("input").stringValue();
            }
        } catch (RuntimeException e) {
            // Not JSON: pass it on as it is.
        }
        return arguments;
    }

    static ObjectNode usage(Usage usage) {
        ObjectNode node = JsonTrees.MAPPER.createObjectNode().put("input_tokens", usage.input());
        node.putObject("input_tokens_details").put("cached_tokens", usage.cacheRead())
                .put("cache_write_tokens", usage.cacheWrite());
        node.put("output_tokens", usage.output());
        node.putObject("output_tokens_details").put("reasoning_tokens", usage.reasoning());
        node.put("total_tokens", usage.input() + usage.output());
        return node;
    }

    /** The {@code status} a finished answer has: incomplete when cut by the token limit or a filter. */
    static String status(FinishReason finish) {
        return finish == FinishReason.LENGTH || finish == FinishReason.CONTENT_FILTER ? "incomplete" : "completed";
    }

    /**
     * The {@code response} object.
     *
     * @param status in_progress, completed, incomplete or failed
     * @param finish why the model stopped, for incomplete_details; null while in progress
     * @param usage null while in progress
     */
    ObjectNode response(String model, long createdEpochSeconds, String status, ArrayNode output, FinishReason finish,
            Usage usage) {
        ObjectNode root = JsonTrees.MAPPER.createObjectNode().put("id", responseId).put("object", "response")
                .put("created_at", createdEpochSeconds).put("status", status);
        root.putNull("error");
        if ("incomplete".equals(status)) {
            root.putObject("incomplete_details").put("reason",
                    finish == FinishReason.CONTENT_FILTER ? "content_filter" : "max_output_tokens");
        } else {
            root.putNull("incomplete_details");
        }
        root.put("model", model);
        root.set("output", output);
        root.setAll(echo);
        if (usage != null) {
            root.set("usage", usage(usage));
        } else {
            root.putNull("usage");
        }
        return root;
    }

    /** The output items of a whole answer, in the order produced; consecutive texts form one message. */
    ArrayNode items(CanonicalResponse answer) {
        ArrayNode items = JsonTrees.MAPPER.createArrayNode();
        ObjectNode message = null;
        List<Part> parts = answer.content();
        for (Part part : parts) {
            switch (part) {
                case Part.Text text -> {
                    if (message == null) {
                        message = message(itemId("msg", items.size()), "completed");
                        message.withArray("content").add(textPart(""));
                        items.add(message);
                    }
                    ObjectNode first = (ObjectNode) message.get("content").get(0);
                    first.put("text", first.path("text").asString() + text.text());
                }
                case Part.Reasoning reasoning -> {
                    message = null;
                    items.add(reasoning(itemId("rs", items.size()), reasoning.text(), reasoning.signature()));
                }
                case Part.RedactedReasoning redacted -> {
                    message = null;
                    items.add(reasoning(itemId("rs", items.size()), null, redacted.data()));
                }
                case Part.ToolCall call -> {
                    message = null;
                    items.add(call(itemId("fc", items.size()), call.id(), call.name(), call.arguments(),
                            "completed"));
                }
                default -> {
                    // Images and documents do not occur in answers.
                }
            }
        }
        if (answer.refusal() != null) {
            ObjectNode refusal = message(itemId("msg", items.size()), "completed");
            ((ArrayNode) refusal.get("content")).add(refusalPart(answer.refusal()));
            items.add(refusal);
        }
        return items;
    }
}
