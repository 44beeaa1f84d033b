package dev.junction.protocol.openai;

import dev.junction.protocol.JsonTrees;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Random OpenAI requests within what the translated path accepts. */
final class RequestGenerator {

    private static final JsonNodeFactory NODES = JsonTrees.MAPPER.getNodeFactory();

    private static final List<String> MODELS = List.of("gpt-4.1", "gpt-5-mini", "o3", "deepseek-reasoner",
            "qwen-plus", "glm-4.6", "llama3.2");
    private final Random random;
    private int calls;

    RequestGenerator(Random random) {
        this.random = random;
    }

    ObjectNode request() {
        ObjectNode request = NODES.objectNode();
        request.put("model", pick(MODELS));
        ArrayNode messages = request.putArray("messages");
        for (int i = random.nextInt(3); i > 0; i--) {
            messages.addObject().put("role", random.nextBoolean() ? "system" : "developer")
                    .set("content", textContent());
        }
        List<String> names = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            names.add("tool_" + random.nextInt(1000));
        }
        for (int turn = 1 + random.nextInt(4); turn > 0; turn--) {
            messages.addObject().put("role", "user").set("content", userContent());
            if (turn > 1 || random.nextBoolean()) {
                assistantTurn(messages, names);
            }
        }
        if (!names.isEmpty()) {
            ArrayNode tools = request.putArray("tools");
            for (String name : names) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function")
                        .put("name", name);
                if (random.nextBoolean()) {
                    function.put("description", text());
                }
                if (random.nextInt(4) > 0) {
                    function.putObject("parameters").put("type", "object").putObject("properties")
                            .putObject("q").put("type", "string");
                }
                if (random.nextInt(4) == 0) {
                    function.put("strict", true);
                }
            }
            switch (random.nextInt(5)) {
                case 0 -> request.put("tool_choice", "auto");
                case 1 -> request.put("tool_choice", "none");
                case 2 -> request.put("tool_choice", "required");
                case 3 -> request.putObject("tool_choice").put("type", "function").putObject("function")
                        .put("name", pick(names));
                default -> {
                }
            }
            if (random.nextBoolean()) {
                request.put("parallel_tool_calls", random.nextBoolean());
            }
        }
        parameters(request);
        return request;
    }

    private void assistantTurn(ArrayNode messages, List<String> names) {
        ObjectNode assistant = messages.addObject().put("role", "assistant");
        boolean calls = !names.isEmpty() && random.nextBoolean();
        if (!calls || random.nextBoolean()) {
            assistant.set("content", random.nextInt(4) == 0 ? NODES.arrayNode().add(NODES.objectNode()
                    .put("type", "text").put("text", text())) : NODES.stringNode(text()));
        } else {
            assistant.putNull("content");
        }
        if (random.nextInt(3) == 0) {
            assistant.put("reasoning_content", text());
        }
        if (!calls) {
            return;
        }
        List<String> ids = new ArrayList<>();
        ArrayNode toolCalls = assistant.putArray("tool_calls");
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            String id = "call_" + this.calls++ + "_" + random.nextInt(100000);
            ids.add(id);
            ObjectNode call = toolCalls.addObject().put("id", id).put("type", "function");
            call.putObject("function").put("name", pick(names)).put("arguments", random.nextInt(5) == 0 ? ""
                    : "{\"q\":" + JsonTrees.MAPPER.writeValueAsString(text()) + "}");
        }
        for (String id : ids) {
            messages.addObject().put("role", "tool").put("tool_call_id", id).set("content",
                    random.nextBoolean() ? NODES.stringNode(text()) : textContent());
        }
    }

    private void parameters(ObjectNode request) {
        if (random.nextBoolean()) {
            request.put(random.nextBoolean() ? "max_tokens" : "max_completion_tokens", 1 + random.nextInt(8000));
        }
        if (random.nextBoolean()) {
            request.put("temperature", random.nextInt(200) / 100.0);
        }
        if (random.nextInt(3) == 0) {
            request.put("top_p", random.nextInt(100) / 100.0);
        }
        if (random.nextInt(5) == 0) {
            request.put("top_k", 1 + random.nextInt(100));
        }
        switch (random.nextInt(4)) {
            case 0 -> request.put("stop", "STOP" + random.nextInt(9));
            case 1 -> request.putArray("stop").add("a").add("\n\n");
            default -> {
            }
        }
        if (random.nextInt(4) == 0) {
            request.put("seed", random.nextLong());
        }
        if (random.nextInt(4) == 0) {
            request.put("presence_penalty", random.nextInt(40) / 10.0 - 2);
        }
        if (random.nextInt(4) == 0) {
            request.put("frequency_penalty", random.nextInt(40) / 10.0 - 2);
        }
        if (random.nextInt(3) == 0) {
            request.put("reasoning_effort", pick(List.of("none", "minimal", "low", "medium", "high", "xhigh")));
        }
        switch (random.nextInt(6)) {
            case 0 -> request.putObject("response_format").put("type", "text");
            case 1 -> request.putObject("response_format").put("type", "json_object");
            case 2 -> {
                ObjectNode spec = request.putObject("response_format").put("type", "json_schema")
                        .putObject("json_schema").put("name", "answer").put("strict", random.nextBoolean());
                spec.putObject("schema").put("type", "object").putObject("properties").putObject("a")
                        .put("type", "integer");
            }
            default -> {
            }
        }
        if (random.nextInt(4) == 0) {
            request.put("user", "user-" + random.nextInt(100));
        }
        if (random.nextBoolean()) {
            request.put("stream", true);
            if (random.nextBoolean()) {
                request.putObject("stream_options").put("include_usage", random.nextBoolean());
            }
        }
        if (random.nextInt(5) == 0) {
            request.put("logprobs", false); // not kept by the canonical model
        }
    }

    private JsonNode textContent() {
        if (random.nextBoolean()) {
            return NODES.stringNode(text());
        }
        ArrayNode parts = NODES.arrayNode();
        for (int i = 1 + random.nextInt(2); i > 0; i--) {
            ObjectNode part = parts.addObject().put("type", "text").put("text", text());
            if (random.nextInt(4) == 0) {
                part.putObject("cache_control").put("type", "ephemeral");
            }
        }
        return parts;
    }

    private JsonNode userContent() {
        if (random.nextBoolean()) {
            return textContent();
        }
        ArrayNode parts = NODES.arrayNode();
        parts.addObject().put("type", "text").put("text", text());
        for (int i = random.nextInt(3); i > 0; i--) {
            ObjectNode image = parts.addObject().put("type", "image_url").putObject("image_url")
                    .put("url", random.nextBoolean() ? "https://example.com/" + random.nextInt(99) + ".png"
                            : "data:image/jpeg;base64,/9j/4AAQ" + random.nextInt(99));
            if (random.nextBoolean()) {
                image.put("detail", "low");
            }
        }
        if (random.nextInt(4) == 0) {
            parts.addObject().put("type", "file").putObject("file").put("filename", "f.pdf")
                    .put("file_data", "data:application/pdf;base64,JVBERi0=");
        }
        return parts;
    }

    private String text() {
        String[] words = {"héllo", "\"quoted\"", "line\nbreak", "日本", "{json}", "tab\t", "emoji 🙂", "plain"};
        StringBuilder text = new StringBuilder();
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            text.append(words[random.nextInt(words.length)]).append(i > 1 ? " " : "");
        }
        return text.toString();
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
