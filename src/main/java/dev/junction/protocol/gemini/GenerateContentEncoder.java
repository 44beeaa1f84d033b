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
import dev.junction.protocol.JsonTrees;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Writes a canonical request as a {@code generateContent} body. */
final class GenerateContentEncoder {

    private GenerateContentEncoder() {
    }

    static ObjectNode encode(CanonicalRequest request, String model) {
        ObjectNode body = JsonTrees.MAPPER.createObjectNode();
        body.set("contents", contents(request, ThoughtSignatures.required(model)));
        if (!request.system().isEmpty()) {
            ArrayNode parts = body.putObject("systemInstruction").putArray("parts");
            request.system().forEach(text -> parts.addObject().put("text", text.text()));
        }
        tools(body, request);
        ObjectNode config = generationConfig(request, model);
        if (!config.isEmpty()) {
            body.set("generationConfig", config);
        }
        return body;
    }

    // --- contents --------------------------------------------------------------------------------

    /**
     * Gemini contents: role {@code user} for user messages and tool results, {@code model} for the
     * assistant; consecutive contents of one role merged, function responses first, so a model
     * turn's N function calls are answered by one content holding N function responses.
     */
    private static ArrayNode contents(CanonicalRequest request, boolean signaturesRequired) {
        ArrayNode contents = JsonTrees.MAPPER.createArrayNode();
        String role = null;
        ArrayNode responses = null;
        ArrayNode others = null;
        for (Message message : request.messages()) {
            String side = message.role() == Message.Role.ASSISTANT ? "model" : "user";
            ArrayNode parts = JsonTrees.MAPPER.createArrayNode();
            ArrayNode functionResponses = JsonTrees.MAPPER.createArrayNode();
            boolean firstCall = true;
            for (Part part : message.parts()) {
                if (part instanceof Part.ToolCall call) {
                    parts.add(functionCall(call, firstCall && signaturesRequired));
                    firstCall = false;
                } else if (part instanceof Part.ToolResult result) {
                    functionResponse(request, result, functionResponses, parts);
                } else {
                    part(part, parts);
                }
            }
            if (parts.isEmpty() && functionResponses.isEmpty()) {
                continue;
            }
            if (!side.equals(role)) {
                flush(contents, role, responses, others);
                role = side;
                responses = JsonTrees.MAPPER.createArrayNode();
                others = JsonTrees.MAPPER.createArrayNode();
            }
            responses.addAll(functionResponses);
            others.addAll(parts);
        }
        flush(contents, role, responses, others);
        return contents;
    }

    private static void flush(ArrayNode contents, String role, ArrayNode responses, ArrayNode others) {
        if (role != null) {
            ObjectNode content = contents.addObject().put("role", role);
            ArrayNode parts = content.putArray("parts");
            parts.addAll(responses);
            parts.addAll(others);
        }
    }

    private static void part(Part part, ArrayNode out) {
        switch (part) {
            case Part.Text text -> out.addObject().put("text", text.text());
            case Part.Image image -> media(image.source(), out);
            case Part.Document document -> media(document.source(), out);
            case Part.Reasoning _, Part.RedactedReasoning _ -> {
                // Gemini keeps its reasoning in signatures, not in replayed thought text.
            }
            case Part.ToolCall _, Part.ToolResult _ -> throw new IllegalStateException("handled by the caller");
        }
    }

    private static void media(Media media, ArrayNode out) {
        switch (media) {
            case Media.Inline inline -> out.addObject().putObject("inlineData").put("mimeType", inline.mediaType())
                    .put("data", inline.base64());
            case Media.Url url -> out.addObject().putObject("fileData").put("mimeType", MimeTypes.guess(url.url()))
                    .put("fileUri", url.url());
        }
    }

    private static ObjectNode functionCall(Part.ToolCall call, boolean needsSignature) {
        ObjectNode part = JsonTrees.MAPPER.createObjectNode();
        ObjectNode functionCall = part.putObject("functionCall").put("name", call.name());
        functionCall.set("args", JsonTrees.toolArguments(call));
        String signature = call.signature() != null ? call.signature() : ThoughtSignatures.signature(call.id());
        if (signature == null && needsSignature) {
            signature = ThoughtSignatures.SKIP_VALIDATION;
        }
        if (signature != null) {
            part.put("thoughtSignature", signature);
        }
        return part;
    }

    /** The response is named after the called function, found through the call id in the history. */
    private static void functionResponse(CanonicalRequest request, Part.ToolResult result, ArrayNode responses,
            ArrayNode others) {
        String name = request.toolName(result.callId()).orElseThrow(() -> GatewayException.invalidRequest(
                "A tool message answers tool_call_id '" + result.callId()
                        + "', which no earlier assistant message called."));
        ObjectNode functionResponse = responses.addObject().putObject("functionResponse").put("name", name);
        functionResponse.set("response", responseObject(result.text()));
        for (Part part : result.content()) {
            if (!(part instanceof Part.Text)) {
                part(part, others);
            }
        }
    }

    /** Gemini wants an object: a JSON-object result as is, anything else under {@code content}. */
    private static ObjectNode responseObject(String text) {
        try {
            if (JsonTrees.parse(text) instanceof ObjectNode object) {
                return object;
            }
        } catch (JacksonException notJson) {
            // Plain text.
        }
        return JsonTrees.MAPPER.createObjectNode().put("content", text);
    }

    // --- tools and generation config -------------------------------------------------------------

    private static void tools(ObjectNode body, CanonicalRequest request) {
        if (request.tools().isEmpty()) {
            return;
        }
        ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
        for (Tool tool : request.tools()) {
            ObjectNode declaration = declarations.addObject().put("name", tool.name());
            if (!tool.description().isEmpty()) {
                declaration.put("description", tool.description());
            }
            ObjectNode parameters = GeminiSchemas.clean(tool.parametersJson());
            if (parameters != null && parameters.has("properties")) {
                declaration.set("parameters", parameters);
            }
        }
        ObjectNode config = body.putObject("toolConfig").putObject("functionCallingConfig");
        switch (request.toolChoice()) {
            case ToolChoice.Auto _ -> config.put("mode", "AUTO");
            case ToolChoice.Required _ -> config.put("mode", "ANY");
            case ToolChoice.None _ -> config.put("mode", "NONE");
            case ToolChoice.Named named -> {
                config.put("mode", "ANY");
                config.putArray("allowedFunctionNames").add(named.name());
            }
        }
    }

    private static ObjectNode generationConfig(CanonicalRequest request, String model) {
        ObjectNode config = JsonTrees.MAPPER.createObjectNode();
        Sampling sampling = request.sampling();
        sampling.maxTokens().ifPresent(n -> config.put("maxOutputTokens", n));
        sampling.temperature().ifPresent(t -> config.put("temperature", t));
        sampling.topP().ifPresent(p -> config.put("topP", p));
        sampling.topK().ifPresent(k -> config.put("topK", k));
        if (!sampling.stop().isEmpty()) {
            ArrayNode stops = config.putArray("stopSequences");
            sampling.stop().forEach(stops::add);
        }
        // Gemini's seed is a 32-bit integer; a larger OpenAI seed (64-bit) is left out rather than refused.
        sampling.seed().stream().filter(s -> s == (int) s).forEach(s -> config.put("seed", (int) s));
        sampling.presencePenalty().ifPresent(p -> config.put("presencePenalty", p));
        sampling.frequencyPenalty().ifPresent(p -> config.put("frequencyPenalty", p));
        switch (request.responseFormat()) {
            case ResponseFormat.Text _ -> {
            }
            case ResponseFormat.JsonObject _ -> config.put("responseMimeType", "application/json");
            case ResponseFormat.JsonSchema schema -> {
                config.put("responseMimeType", "application/json");
                ObjectNode cleaned = GeminiSchemas.clean(schema.schemaJson());
                if (cleaned != null) {
                    config.set("responseSchema", cleaned);
                }
            }
        }
        request.reasoning().ifPresent(effort -> config.set("thinkingConfig", thinking(effort, model)));
        return config;
    }

    /** Gemini 3 takes a thinking level; Gemini 2.5 a token budget (0 turns thinking off where allowed). */
    private static ObjectNode thinking(ReasoningEffort effort, String model) {
        ObjectNode thinking = JsonTrees.MAPPER.createObjectNode();
        if (ThoughtSignatures.required(model)) {
            thinking.put("thinkingLevel", switch (effort) {
                case NONE, MINIMAL, LOW -> "low";
                case MEDIUM, HIGH, XHIGH -> "high";
            });
            thinking.put("includeThoughts", true);
            return thinking;
        }
        int budget = switch (effort) {
            case NONE -> 0;
            case MINIMAL -> 512;
            case LOW -> 1024;
            case MEDIUM -> 8192;
            case HIGH, XHIGH -> 24576;
        };
        thinking.put("thinkingBudget", budget);
        thinking.put("includeThoughts", budget > 0);
        return thinking;
    }
}
