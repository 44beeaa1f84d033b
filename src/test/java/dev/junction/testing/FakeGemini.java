package dev.junction.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fake Gemini API ({@code /v1beta/models/{model}:generateContent} and
 * {@code :streamGenerateContent?alt=sse}) over real HTTP. It refuses what the real API refuses:
 * unknown fields anywhere it knows the shape, roles other than {@code user}/{@code model}, empty
 * parts, a function response without a {@code name} or not matching the calls of the model turn
 * before it, schema keywords outside Gemini's OpenAPI subset, empty {@code properties}, and (for
 * {@code gemini-3*} models) function calls replayed without the thought signature it issued.
 * Every function call it makes carries a signature containing {@code +} and {@code /}.
 */
public final class FakeGemini extends FakeProvider {

    private static final Pattern PATH = Pattern.compile(
            "^/v1beta/models/([^/:]+):(generateContent|streamGenerateContent|countTokens|embedContent|batchEmbedContents)$");
    private static final Pattern FUNCTION_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_.-]{0,63}$");
    private static final Set<String> TOP_LEVEL = Set.of("contents", "systemInstruction", "tools", "toolConfig",
            "generationConfig", "safetySettings", "cachedContent");
    private static final Set<String> GENERATION = Set.of("maxOutputTokens", "temperature", "topP", "topK",
            "stopSequences", "seed", "presencePenalty", "frequencyPenalty", "responseMimeType", "responseSchema",
            "responseJsonSchema",
            "thinkingConfig", "candidateCount", "responseModalities", "imageConfig");
    private static final Set<String> SCHEMA = Set.of("type", "format", "title", "description", "nullable", "enum",
            "maxItems", "minItems", "properties", "required", "minProperties", "maxProperties", "minLength",
            "maxLength", "pattern", "anyOf", "propertyOrdering", "items", "minimum", "maximum");
    private static final Set<String> TYPES = Set.of("string", "number", "integer", "boolean", "array", "object");
    private static final Set<String> PART_DATA = Set.of("text", "inlineData", "fileData", "functionCall",
            "functionResponse");
    static final String SKIP = "skip_thought_signature_validator";

    private final AtomicInteger ids = new AtomicInteger();
    private final Set<String> signatures = ConcurrentHashMap.newKeySet();
    private volatile boolean anySignature;

    private FakeGemini(String apiKey) throws Exception {
        super(apiKey);
    }

    /** A fake that expects {@code x-goog-api-key: <apiKey>}. */
    public static FakeGemini start(String apiKey) throws Exception {
        return new FakeGemini(apiKey);
    }

    /**
     * From now on takes any non-empty signature as one it issued: for requests that replay a real
     * provider's signatures, such as golden files.
     */
    public FakeGemini acceptingAnySignature() {
        anySignature = true;
        return this;
    }

    private boolean signed(String signature) {
        return anySignature ? !signature.isEmpty() : signatures.contains(signature);
    }

    @Override
    protected String errorBody(int status, String message) {
        String kind = switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            default -> "INTERNAL";
        };
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("code", status).put("message", message).put("status", kind);
        return root.toString();
    }

    // --- validation -------------------------------------------------------------------------------

    @Override
    protected Rejection validate(Received request) {
        var matcher = PATH.matcher(request.path());
        if (!matcher.matches()) {
            return new Rejection(404, "Method not found: " + request.path());
        }
        boolean stream = matcher.group(2).equals("streamGenerateContent");
        if (stream != "alt=sse".equals(request.query())) {
            return new Rejection(400, "streamGenerateContent takes ?alt=sse here; generateContent takes no query");
        }
        if (!authorized(request.header("x-goog-api-key"))) {
            return new Rejection(400, "API key not valid. Please pass a valid API key.");
        }
        try {
            switch (matcher.group(2)) {
                case "countTokens" -> {
                    require(request.body().has("contents") || request.body().has("generateContentRequest"),
                            "countTokens needs contents or generateContentRequest");
                    return null;
                }
                case "embedContent" -> {
                    embedRequest(request.body(), null);
                    return null;
                }
                case "batchEmbedContents" -> {
                    require(request.body().path("requests").isArray() && !request.body().path("requests").isEmpty(),
                            "* BatchEmbedContentsRequest.requests: requests is not specified");
                    request.body().path("requests").forEach(r -> embedRequest(r, "models/" + matcher.group(1)));
                    return null;
                }
                default -> {
                }
            }
            check(request.body(), matcher.group(1));
            return null;
        } catch (Invalid e) {
            return new Rejection(400, e.getMessage());
        }
    }

    private static void known(JsonNode node, Set<String> allowed, String where) {
        for (String name : node.propertyNames()) {
            require(allowed.contains(name), "Invalid JSON payload received. Unknown name \"" + name + "\" at '"
                    + where + "': Cannot find field.");
        }
    }

    private void check(JsonNode body, String model) {
        known(body, TOP_LEVEL, "");
        JsonNode system = body.get("systemInstruction");
        if (system != null) {
            known(system, Set.of("parts", "role"), "system_instruction");
            require(system.path("parts").isArray() && !system.path("parts").isEmpty(),
                    "system_instruction.parts must not be empty");
            system.path("parts").forEach(p -> require(p.path("text").isString(), "system_instruction: text parts only"));
        }
        Set<String> declared = tools(body.path("tools"));
        toolConfig(body.get("toolConfig"), declared);
        generationConfig(body.get("generationConfig"));
        contents(body.path("contents"), model);
    }

    private static Set<String> tools(JsonNode tools) {
        Set<String> names = new HashSet<>();
        for (JsonNode tool : tools) {
            known(tool, Set.of("functionDeclarations", "googleSearch", "codeExecution"), "tools");
            for (JsonNode declaration : tool.path("functionDeclarations")) {
                known(declaration, Set.of("name", "description", "parameters", "parametersJsonSchema", "behavior",
                        "response", "responseJsonSchema"), "tools.function_declarations");
                require(!(declaration.has("parameters") && declaration.has("parametersJsonSchema")),
                        "parameters and parameters_json_schema are mutually exclusive");
                String name = declaration.path("name").asString("");
                require(FUNCTION_NAME.matcher(name).matches(), "tools[0].function_declarations.name: Invalid "
                        + "function name '" + name + "'");
                names.add(name);
                if (declaration.has("parameters")) {
                    schema(declaration.get("parameters"), "tools.function_declarations[" + name + "].parameters");
                }
            }
        }
        return names;
    }

    /**
     * Checks a schema as Gemini does for function parameters and response schemas.
     *
     * @throws IllegalArgumentException with Gemini's kind of message when it would be refused
     */
    public static void checkSchema(JsonNode schema) {
        try {
            schema(schema, "schema");
        } catch (Invalid e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static void schema(JsonNode schema, String where) {
        require(schema.isObject(), where + ": expected an object");
        known(schema, SCHEMA, where);
        String type = schema.path("type").asString("").toLowerCase(Locale.ROOT);
        require(!schema.has("type") || TYPES.contains(type), where + ".type: invalid value '" + type + "'");
        if (schema.has("properties")) {
            require(!schema.path("properties").isEmpty(), where + ".properties: should be non-empty for OBJECT type");
            for (var property : schema.path("properties").properties()) {
                schema(property.getValue(), where + ".properties[" + property.getKey() + "]");
            }
        }
        for (JsonNode name : schema.path("required")) {
            require(schema.path("properties").has(name.asString()), where + ".required: property is not defined");
        }
        if (schema.has("items")) {
            schema(schema.get("items"), where + ".items");
        }
        for (JsonNode option : schema.path("anyOf")) {
            schema(option, where + ".anyOf");
        }
        if (schema.has("enum")) {
            require(schema.path("enum").valueStream().allMatch(JsonNode::isString), where + ".enum: only strings");
        }
        if (schema.has("format")) {
            String format = schema.path("format").asString("");
            require(!type.equals("string") || format.equals("enum") || format.equals("date-time"), where
                    + ": only 'enum' and 'date-time' are supported for STRING type");
        }
    }

    private static void toolConfig(JsonNode config, Set<String> declared) {
        if (config == null) {
            return;
        }
        known(config, Set.of("functionCallingConfig"), "tool_config");
        JsonNode calling = config.path("functionCallingConfig");
        known(calling, Set.of("mode", "allowedFunctionNames"), "tool_config.function_calling_config");
        String mode = calling.path("mode").asString("");
        require(Set.of("AUTO", "ANY", "NONE", "VALIDATED").contains(mode), "function_calling_config.mode: invalid '"
                + mode + "'");
        if (calling.has("allowedFunctionNames")) {
            require(mode.equals("ANY"), "allowed_function_names may only be set when mode is ANY");
            calling.path("allowedFunctionNames").forEach(n -> require(declared.contains(n.asString()),
                    "allowed_function_names: unknown function " + n.asString()));
        }
        require(!declared.isEmpty(), "function_calling_config requires function declarations");
    }

    private static void generationConfig(JsonNode config) {
        if (config == null) {
            return;
        }
        known(config, GENERATION, "generation_config");
        require(config.path("stopSequences").size() <= 5, "generation_config.stop_sequences: at most 5");
        require(!(config.has("responseSchema") && config.has("responseJsonSchema")),
                "response_schema and response_json_schema are mutually exclusive");
        if (config.has("responseSchema")) {
            schema(config.get("responseSchema"), "generation_config.response_schema");
        }
        JsonNode image = config.get("imageConfig");
        if (image != null) {
            known(image, Set.of("aspectRatio", "imageSize"), "image_config");
            require(Set.of("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9")
                    .contains(image.path("aspectRatio").asString("1:1")), "image_config.aspect_ratio: invalid");
        }
        for (JsonNode modality : config.path("responseModalities")) {
            require(Set.of("TEXT", "IMAGE", "AUDIO").contains(modality.asString()),
                    "generation_config.response_modalities: invalid value");
        }
        JsonNode thinking = config.get("thinkingConfig");
        if (thinking != null) {
            known(thinking, Set.of("thinkingBudget", "includeThoughts", "thinkingLevel"), "thinking_config");
            require(!(thinking.has("thinkingBudget") && thinking.has("thinkingLevel")),
                    "thinking_budget and thinking_level are not supported together");
        }
    }

    private void contents(JsonNode contents, String model) {
        require(contents.isArray() && !contents.isEmpty(), "* GenerateContentRequest.contents: contents is not specified");
        boolean gemini3 = model.startsWith("gemini-3");
        List<String> pendingCalls = List.of();
        String previousRole = null;
        for (int i = 0; i < contents.size(); i++) {
            JsonNode content = contents.get(i);
            known(content, Set.of("role", "parts"), "contents[" + i + "]");
            String role = content.path("role").asString("");
            require(role.equals("user") || role.equals("model"), "Please use a valid role: user, model.");
            JsonNode parts = content.path("parts");
            require(parts.isArray() && !parts.isEmpty(), "contents[" + i + "].parts must not be empty");
            List<String> calls = new ArrayList<>();
            List<String> responses = new ArrayList<>();
            for (JsonNode part : parts) {
                known(part, Set.of("text", "inlineData", "fileData", "functionCall", "functionResponse", "thought",
                        "thoughtSignature"), "contents[" + i + "].parts");
                long data = part.propertyNames().stream().filter(PART_DATA::contains).count();
                require(data == 1, "contents[" + i + "].parts: each part holds exactly one kind of data");
                if (part.has("text")) {
                    require(part.path("text").isString() && !part.path("text").asString().isEmpty(),
                            "contents[" + i + "].parts.text must not be empty");
                }
                if (part.has("inlineData")) {
                    known(part.get("inlineData"), Set.of("mimeType", "data"), "inline_data");
                    require(part.path("inlineData").path("mimeType").asString("").contains("/"),
                            "inline_data.mime_type is required");
                    Base64.getDecoder().decode(part.path("inlineData").path("data").asString(""));
                }
                if (part.has("fileData")) {
                    known(part.get("fileData"), Set.of("mimeType", "fileUri"), "file_data");
                    require(part.path("fileData").path("fileUri").asString("").startsWith("http"),
                            "file_data.file_uri must be a URL");
                }
                if (part.has("functionCall")) {
                    require(role.equals("model"), "function_call parts belong to the model role");
                    JsonNode call = part.get("functionCall");
                    known(call, Set.of("name", "args", "id"), "function_call");
                    require(!call.path("name").asString("").isEmpty(), "function_call.name: Name cannot be empty.");
                    require(!call.has("args") || call.path("args").isObject(), "function_call.args must be an object");
                    if (gemini3 && calls.isEmpty()) {
                        String signature = part.path("thoughtSignature").asString("");
                        require(!signature.isEmpty(), "Function call is missing a thought_signature in functionCall "
                                + "parts. This is required for tools to work correctly.");
                        require(signature.equals(SKIP) || signed(signature),
                                "Corrupted thought signature.");
                    }
                    calls.add(call.path("name").asString());
                }
                if (part.has("functionResponse")) {
                    require(role.equals("user"), "function_response parts belong to the user role");
                    JsonNode response = part.get("functionResponse");
                    known(response, Set.of("name", "response", "id"), "function_response");
                    require(!response.path("name").asString("").isEmpty(),
                            "function_response.name: Name cannot be empty.");
                    require(response.path("response").isObject(), "function_response.response must be an object");
                    responses.add(response.path("name").asString());
                }
            }
            if (!calls.isEmpty()) {
                require("user".equals(previousRole), "Please ensure that function call turn comes immediately after "
                        + "a user turn or after a function response turn.");
            }
            if (!pendingCalls.isEmpty()) {
                require(role.equals("user") && sorted(responses).equals(sorted(pendingCalls)), "Please ensure that "
                        + "the number of function response parts is equal to the number of function call parts of "
                        + "the function call turn.");
            } else {
                require(responses.isEmpty(), "function_response without a preceding function call turn");
            }
            pendingCalls = calls;
            previousRole = role;
        }
    }

    /** One {@code EmbedContentRequest}; inside a batch its {@code model} must name the path's model. */
    private static void embedRequest(JsonNode request, String batchModel) {
        known(request, Set.of("model", "content", "taskType", "title", "outputDimensionality"), "embed_content");
        if (batchModel != null) {
            require(batchModel.equals(request.path("model").asString("")), "requests[].model must be the batch's "
                    + "model, " + batchModel);
        }
        JsonNode parts = request.path("content").path("parts");
        require(parts.isArray() && !parts.isEmpty(), "* EmbedContentRequest.content: content is not specified");
        parts.forEach(p -> require(p.path("text").isString(), "embed_content: text parts only"));
    }

    /** A deterministic three-value embedding of a content's text: its length, 0.5 and -0.25. */
    private static ObjectNode embedding(JsonNode content) {
        int length = content.path("parts").valueStream().mapToInt(p -> p.path("text").asString("").length()).sum();
        ObjectNode embedding = JSON.createObjectNode();
        embedding.putArray("values").add((double) length).add(0.5).add(-0.25);
        return embedding;
    }

    private static List<String> sorted(List<String> names) {
        return names.stream().sorted().toList();
    }

    // --- answers ----------------------------------------------------------------------------------

    @Override
    protected void answer(Received request, Reply reply, Exchange exchange) throws Exception {
        JsonNode body = request.body();
        String model = model(request);
        boolean stream = streams(request);
        if (request.path().endsWith(":countTokens")) {
            exchange.json(200, "{\"totalTokens\":" + (body.toString().length() / 4) + "}");
            return;
        }
        if (request.path().endsWith(":embedContent")) {
            ObjectNode root = JSON.createObjectNode();
            root.set("embedding", embedding(body.path("content")));
            exchange.json(200, root.toString());
            return;
        }
        if (request.path().endsWith(":batchEmbedContents")) {
            ObjectNode root = JSON.createObjectNode();
            ArrayNode embeddings = root.putArray("embeddings");
            body.path("requests").forEach(r -> embeddings.add(embedding(r.path("content"))));
            exchange.json(200, root.toString());
            return;
        }
        boolean image = false;
        for (JsonNode modality : body.path("generationConfig").path("responseModalities")) {
            image |= modality.asString().equals("IMAGE");
        }
        if (image) {
            if (!model.contains("image")) {
                exchange.json(400, errorBody(400, "Model does not support the requested response modalities: image"));
                return;
            }
            ObjectNode root = JSON.createObjectNode();
            ArrayNode parts = root.putArray("candidates").addObject().put("finishReason", "STOP").putObject("content")
                    .put("role", "model").putArray("parts");
            parts.addObject().putObject("inlineData").put("mimeType", "image/png").put("data", "iVBORw0KGgo=");
            root.putObject("usageMetadata").put("promptTokenCount", 9).put("candidatesTokenCount", 1290)
                    .put("totalTokenCount", 1299);
            exchange.json(200, root.toString());
            return;
        }
        String responseId = "resp_fake_" + ids.incrementAndGet();
        List<List<ObjectNode>> chunks = new ArrayList<>(); // parts per streamed chunk
        String finish = "STOP";
        long input = 11;
        long output = 7;
        long thoughts = 0;
        Reply current = reply;
        if (current instanceof Thinking(String thinking, Reply then)) {
            if (body.path("generationConfig").path("thinkingConfig").path("includeThoughts").asBoolean(false)) {
                chunks.add(List.of(JSON.createObjectNode().put("text", thinking).put("thought", true)));
                thoughts = 5;
            }
            current = then;
        }
        JsonNode config = body.path("generationConfig");
        switch (current) {
            case Text text -> {
                String content = text.content();
                for (JsonNode stop : config.path("stopSequences")) {
                    int at = content.indexOf(stop.asString());
                    if (at >= 0) {
                        content = content.substring(0, at);
                    }
                }
                String[] words = content.split(" ");
                if (config.has("maxOutputTokens") && words.length > config.path("maxOutputTokens").asInt()) {
                    content = String.join(" ", Arrays.copyOf(words, config.path("maxOutputTokens").asInt()));
                    finish = "MAX_TOKENS";
                }
                for (String piece : split(content, text.pieces())) {
                    chunks.add(List.of(JSON.createObjectNode().put("text", piece)));
                }
                input = text.inputTokens();
                output = text.outputTokens();
            }
            case ToolCalls calls -> {
                if (!calls.leadingText().isEmpty()) {
                    chunks.add(List.of(JSON.createObjectNode().put("text", calls.leadingText())));
                }
                for (int i = 0; i < calls.calls().size(); i++) {
                    Call call = calls.calls().get(i);
                    ObjectNode part = JSON.createObjectNode();
                    part.putObject("functionCall").put("name", call.name()).set("args", JSON.readTree(call.arguments()));
                    if (i == 0) { // as Gemini does: only the first call of a parallel turn is signed
                        String signature = Base64.getEncoder().encodeToString(("sig" + ids.incrementAndGet()
                                + "\u00fb\u00ff\u00fe").getBytes(StandardCharsets.ISO_8859_1));
                        signatures.add(signature);
                        part.put("thoughtSignature", signature);
                    }
                    chunks.add(List.of(part));
                }
                input = 20;
                output = 9;
            }
            case Blocked() -> finish = "SAFETY";
            default -> throw new IllegalArgumentException("not an answer: " + current);
        }
        ObjectNode usage = JSON.createObjectNode().put("promptTokenCount", input).put("cachedContentTokenCount", 4)
                .put("candidatesTokenCount", output - thoughts).put("totalTokenCount", input + output);
        if (thoughts > 0) {
            usage.put("thoughtsTokenCount", thoughts);
        }
        if (!stream) {
            List<ObjectNode> all = new ArrayList<>();
            chunks.forEach(all::addAll);
            exchange.json(200, chunk(responseId, model, all.toArray(ObjectNode[]::new), finish, usage).toString());
            return;
        }
        exchange.startStream();
        for (int i = 0; i < chunks.size(); i++) {
            boolean last = i == chunks.size() - 1;
            exchange.event(null, chunk(responseId, model, chunks.get(i).toArray(ObjectNode[]::new),
                    last ? finish : null, last ? usage : null));
        }
        if (chunks.isEmpty()) {
            exchange.event(null, chunk(responseId, model, new ObjectNode[0], finish, usage));
        }
        exchange.finish();
    }

    @Override
    protected boolean streams(Received request) {
        return request.path().endsWith(":streamGenerateContent");
    }

    @Override
    protected void openText(Received request, Exchange exchange) {
        // Gemini's first chunk already carries text.
    }

    @Override
    protected void textPiece(Received request, Exchange exchange, String piece) throws IOException {
        exchange.event(null, chunk("resp_fake_stream", model(request),
                parts(JSON.createObjectNode().put("text", piece)), null, null));
    }

    @Override
    protected void closeText(Received request, Exchange exchange) throws IOException {
        ObjectNode usage = JSON.createObjectNode().put("promptTokenCount", 11).put("candidatesTokenCount", 7)
                .put("totalTokenCount", 18);
        exchange.event(null, chunk("resp_fake_stream", model(request), new ObjectNode[0], "STOP", usage));
    }

    @Override
    protected void errorEvent(Exchange exchange) throws IOException {
        exchange.event(null, "{\"error\":{\"code\":503,\"message\":\"The model is overloaded.\","
                + "\"status\":\"UNAVAILABLE\"}}");
    }

    @Override
    protected void malformedEvent(Exchange exchange) throws IOException {
        exchange.raw("data: {\"candidates\":[{\n\n");
    }

    private static String model(Received request) {
        return PATH.matcher(request.path()).results().findFirst().orElseThrow().group(1);
    }

    private static ObjectNode[] parts(ObjectNode... parts) {
        return parts;
    }

    private static ObjectNode chunk(String responseId, String model, ObjectNode[] parts, String finish,
            ObjectNode usage) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode candidate = root.putArray("candidates").addObject();
        if (parts.length > 0) {
            ObjectNode content = candidate.putObject("content");
            ArrayNode list = content.putArray("parts");
            for (ObjectNode part : parts) {
                list.add(part);
            }
            content.put("role", "model");
        }
        if (finish != null) {
            candidate.put("finishReason", finish);
        }
        candidate.put("index", 0);
        root.set("usageMetadata", usage != null ? usage
                : JSON.createObjectNode().put("promptTokenCount", 11).put("totalTokenCount", 11));
        root.put("modelVersion", model);
        root.put("responseId", responseId);
        return root;
    }
}
