package dev.junction.testing;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fake OpenAI Chat Completions API ({@code POST /v1/chat/completions}, and
 * {@code /v1/embeddings}) over real HTTP, answering the provider-neutral replies and faults of
 * {@link FakeProvider}. It refuses what the real API refuses: a wrong key (401), a missing model or
 * messages, top-level fields OpenAI does not know (such as {@code top_k}: "Unrecognized request
 * argument supplied"; for model names that are not OpenAI's the fake is an OpenAI-compatible
 * server, which takes {@code top_k}, {@code min_p} and {@code repetition_penalty}), roles and
 * message fields it does not know ({@code reasoning_content} passes only for DeepSeek and Kimi
 * models, which require it), tool messages that answer no pending tool call and tool calls left
 * unanswered, malformed tools, {@code stream_options} without {@code stream}, and
 * {@code max_tokens} on OpenAI's reasoning models.
 */
public final class FakeOpenAi extends FakeProvider {

    private static final Set<String> TOP_LEVEL = Set.of("model", "messages", "audio", "frequency_penalty",
            "function_call", "functions", "logit_bias", "logprobs", "max_completion_tokens", "max_tokens", "metadata",
            "modalities", "n", "parallel_tool_calls", "prediction", "presence_penalty", "prompt_cache_key",
            "reasoning_effort", "response_format", "safety_identifier", "seed", "service_tier", "stop", "store",
            "stream", "stream_options", "temperature", "tool_choice", "tools", "top_logprobs", "top_p", "user",
            "verbosity", "web_search_options");
    private static final Set<String> EMBEDDINGS = Set.of("model", "input", "encoding_format", "dimensions", "user");
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
    private static final Set<String> MESSAGE_FIELDS = Set.of("role", "content", "name", "tool_calls", "tool_call_id",
            "refusal", "audio", "function_call");
    private static final Pattern FUNCTION_NAME = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
    private static final Pattern REASONING_MODEL = Pattern.compile("^(o\\d.*|gpt-5.*)$");

    /** Sampling fields OpenAI-compatible servers (vLLM, DeepSeek, OpenRouter, …) take and OpenAI refuses. */
    private static final Set<String> COMPATIBLE_EXTENSIONS = Set.of("top_k", "min_p", "repetition_penalty");
    /** The names of OpenAI's own models, for which the fake is as strict as OpenAI. */
    private static final Pattern OPENAI_MODEL = Pattern.compile("^(gpt-|o\\d|chatgpt-|text-embedding-|codex-).*");

    private final AtomicInteger ids = new AtomicInteger();

    private volatile boolean strict;

    /** From now on the fake refuses OpenAI-compatible extensions ({@code top_k}, …) for every model name, as api.openai.com does. */
    public FakeOpenAi strictArguments() {
        strict = true;
        return this;
    }

    private volatile long cachedTokens = -1;
    private volatile long reasoningTokens;

    /**
     * From now on, every usage object also reports {@code cached} prompt tokens
     * ({@code prompt_tokens_details.cached_tokens}) and {@code reasoning} completion tokens
     * ({@code completion_tokens_details.reasoning_tokens}), both inside the totals as OpenAI counts.
     */
    public void reportTokenDetails(long cached, long reasoning) {
        cachedTokens = cached;
        reasoningTokens = reasoning;
    }

    private FakeOpenAi(String... apiKeys) throws Exception {
        super(apiKeys);
    }

    /** A fake that accepts {@code Authorization: Bearer <k>} for any of {@code apiKeys} (none: no auth). */
    public static FakeOpenAi start(String... apiKeys) throws Exception {
        return new FakeOpenAi(apiKeys);
    }

    /** The base URL a channel config takes ({@code .../v1}). */
    @Override
    public String baseUrl() {
        return super.baseUrl() + "/v1";
    }

    @Override
    public FakeOpenAi then(Reply... replies) {
        super.then(replies);
        return this;
    }

    @Override
    public FakeOpenAi always(Reply reply) {
        super.always(reply);
        return this;
    }

    @Override
    public FakeOpenAi toolRoundTrip(Reply call, Reply answer) {
        super.toolRoundTrip(call, answer);
        return this;
    }

    @Override
    public FakeOpenAi acceptAlso(String apiKey) {
        super.acceptAlso(apiKey);
        return this;
    }

    @Override
    protected String errorBody(int status, String message) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error").put("message", message);
        switch (status) {
            case 401 -> error.put("type", "invalid_request_error").put("code", "invalid_api_key");
            case 429 -> error.put("type", "requests").put("code", "rate_limit_exceeded");
            default -> error.put("type", status >= 500 ? "server_error" : "invalid_request_error").putNull("code");
        }
        return root.toString();
    }

    // --- validation -------------------------------------------------------------------------------

    @Override
    protected Rejection validate(Received request) {
        String auth = request.header("authorization");
        if (!authorized(auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "")) {
            return new Rejection(401, "Incorrect API key provided");
        }
        try {
            switch (request.path()) {
                case "/v1/embeddings" -> embeddings(request.body());
                case "/v1/chat/completions" -> chat(request.body());
                default -> {
                    return new Rejection(404, "Invalid URL (POST " + request.path() + ")");
                }
            }
            return null;
        } catch (Invalid e) {
            return new Rejection(400, e.getMessage());
        }
    }

    /** Refuses unknown top-level fields; a model that is not OpenAI's is served by a compatible server. */
    private void known(JsonNode body, Set<String> allowed) {
        boolean compatible = !strict && !OPENAI_MODEL.matcher(body.path("model").asString("")).matches();
        body.propertyNames().forEach(name -> require(allowed.contains(name) || tolerated(name)
                || compatible && COMPATIBLE_EXTENSIONS.contains(name), "Unrecognized request argument supplied: "
                + name));
    }

    private void embeddings(JsonNode body) {
        known(body, EMBEDDINGS);
        require(body.path("model").isString(), "you must provide a model parameter");
        require(body.path("input").isString() || body.path("input").isArray(), "'input' is a required property");
    }

    private void chat(JsonNode body) {
        known(body, TOP_LEVEL);
        require(body.path("model").isString(), "you must provide a model parameter");
        require(body.path("messages").isArray() && !body.path("messages").isEmpty(),
                "[] is too short - 'messages'");
        String model = body.path("model").asString();
        require(!body.has("stream_options") || body.path("stream").asBoolean(false),
                "The 'stream_options' parameter is only allowed when 'stream' is enabled.");
        require(!(REASONING_MODEL.matcher(model).matches() && body.has("max_tokens")), "Unsupported parameter: "
                + "'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.");
        if (body.has("temperature")) {
            double t = body.path("temperature").asDouble();
            require(t >= 0 && t <= 2, body.path("temperature") + " is greater than the maximum of 2 - 'temperature'");
        }
        Set<String> tools = tools(body.path("tools"));
        require(!body.has("tool_choice") || !tools.isEmpty() || body.path("tool_choice").isString(),
                "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.");
        require(!body.has("parallel_tool_calls") || !tools.isEmpty(),
                "Invalid value for 'parallel_tool_calls': only allowed when 'tools' are specified.");
        String lower = model.toLowerCase(Locale.ROOT);
        messages(body.path("messages"), lower.contains("deepseek") || lower.contains("kimi"));
    }

    private static Set<String> tools(JsonNode tools) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            require("function".equals(tool.path("type").asString("")) || "custom".equals(tool.path("type")
                    .asString("")), "Missing required parameter: 'tools[" + i + "].type'.");
            if (tool.has("function")) {
                String name = tool.path("function").path("name").asString("");
                require(FUNCTION_NAME.matcher(name).matches(), "Invalid 'tools[" + i + "].function.name': string "
                        + "does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.");
                JsonNode parameters = tool.path("function").get("parameters");
                require(parameters == null || parameters.isObject(), "Invalid 'tools[" + i + "].function.parameters'");
                names.add(name);
            }
        }
        return names;
    }

    private static void messages(JsonNode messages, boolean reasoningContent) {
        Set<String> pending = new HashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String role = message.path("role").asString("");
            require(ROLES.contains(role), "Invalid value: '" + role + "'. Supported values are: 'system', "
                    + "'assistant', 'user', 'function', 'tool', and 'developer'. - 'messages[" + i + "].role'");
            for (String field : message.propertyNames()) {
                require(MESSAGE_FIELDS.contains(field) || reasoningContent && field.equals("reasoning_content")
                        && role.equals("assistant"), "Additional properties are not allowed ('" + field
                        + "' was unexpected) - 'messages." + i + "'");
            }
            if (!role.equals("tool")) {
                require(pending.isEmpty(), "An assistant message with 'tool_calls' must be followed by tool "
                        + "messages responding to each 'tool_call_id'. The following tool_call_ids did not have "
                        + "response messages: " + pending + " - 'messages." + i + "'");
            }
            JsonNode content = message.get("content");
            switch (role) {
                case "assistant" -> {
                    JsonNode calls = message.path("tool_calls");
                    require(content != null && !content.isNull() || !calls.isEmpty(), "Invalid value for "
                            + "'content': expected a string, got null. - 'messages[" + i + "].content'");
                    for (JsonNode call : calls) {
                        require(call.path("id").isString() && "function".equals(call.path("type").asString(""))
                                && call.path("function").path("name").isString()
                                && call.path("function").path("arguments").isString(), "Missing required parameter: "
                                + "'messages[" + i + "].tool_calls' (id, type function, function.name, "
                                + "function.arguments as a string)");
                        pending.add(call.path("id").asString());
                    }
                }
                case "tool" -> {
                    String id = message.path("tool_call_id").asString("");
                    require(pending.remove(id), "Invalid parameter: messages with role 'tool' must be a response "
                            + "to a preceeding message with 'tool_calls'. - 'messages[" + i + "]'");
                    require(content != null && (content.isString() || content.isArray()),
                            "Missing required parameter: 'messages[" + i + "].content'.");
                }
                default -> require(content != null && (content.isString() || content.isArray() && !content.isEmpty()),
                        "Invalid type for 'messages[" + i + "].content': expected a string or an array of parts.");
            }
        }
        require(pending.isEmpty(), "An assistant message with 'tool_calls' must be followed by tool messages "
                + "responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: "
                + pending);
    }

    // --- answers ----------------------------------------------------------------------------------

    @Override
    protected void answer(Received request, Reply reply, Exchange exchange) throws Exception {
        JsonNode body = request.body();
        if (request.path().endsWith("/embeddings")) {
            exchange.json(200, embeddingsAnswer(body).toString());
            return;
        }
        String model = body.path("model").asString();
        Reply current = reply instanceof Thinking(String thinking, Reply then) ? then : reply;
        if (!streams(request)) {
            exchange.json(200, JSON.writeValueAsString(completion(model, current)));
            return;
        }
        exchange.startStream();
        switch (current) {
            case Text text -> {
                openText(request, exchange);
                for (String piece : split(text.content(), text.pieces())) {
                    textPiece(request, exchange, piece);
                }
                end(request, exchange, "stop", text.inputTokens(), text.outputTokens());
            }
            case ToolCalls calls -> {
                exchange.event(null, chunk(model, delta("role", "assistant", "content",
                        calls.leadingText().isEmpty() ? null : calls.leadingText()), null));
                for (int i = 0; i < calls.calls().size(); i++) {
                    Call call = calls.calls().get(i);
                    ObjectNode first = JSON.createObjectNode();
                    ObjectNode tc = first.putArray("tool_calls").addObject();
                    tc.put("index", i);
                    tc.put("id", id(call));
                    tc.put("type", "function");
                    tc.putObject("function").put("name", call.name()).put("arguments", "");
                    exchange.event(null, chunk(model, first, null));
                    for (String piece : split(call.arguments(), 2)) {
                        ObjectNode more = JSON.createObjectNode();
                        ObjectNode part = more.putArray("tool_calls").addObject();
                        part.put("index", i);
                        part.putObject("function").put("arguments", piece);
                        exchange.event(null, chunk(model, more, null));
                    }
                }
                end(request, exchange, "tool_calls", 20, 9);
            }
            case Blocked() -> {
                openText(request, exchange);
                end(request, exchange, "content_filter", 11, 0);
            }
            default -> throw new IllegalArgumentException("not an answer: " + current);
        }
        exchange.finish();
    }

    private String id(Call call) {
        return call.id() != null ? call.id() : "call_fake_" + ids.incrementAndGet();
    }

    @Override
    protected void openText(Received request, Exchange exchange) throws IOException {
        exchange.event(null, chunk(model(request), delta("role", "assistant", "content", ""), null));
    }

    @Override
    protected void textPiece(Received request, Exchange exchange, String piece) throws IOException {
        exchange.event(null, chunk(model(request), delta("content", piece), null));
    }

    @Override
    protected void closeText(Received request, Exchange exchange) throws IOException {
        end(request, exchange, "stop", 11, 7);
    }

    /** The finish chunk, the usage chunk when the client asked for it, and {@code [DONE]}. */
    private void end(Received request, Exchange exchange, String finish, long prompt, long completion)
            throws IOException {
        String model = model(request);
        exchange.event(null, chunk(model, JSON.createObjectNode(), finish));
        if (request.body().path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode chunk = header(model, "chat.completion.chunk");
            chunk.putArray("choices");
            chunk.set("usage", usage(prompt, completion));
            exchange.event(null, chunk);
        }
        exchange.raw("data: [DONE]\n\n");
    }

    @Override
    protected void errorEvent(Exchange exchange) throws IOException {
        exchange.raw("data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n");
    }

    @Override
    protected void malformedEvent(Exchange exchange) throws IOException {
        exchange.raw("data: {\"choices\":[{\"delta\":{\"content\":\"x\"\n\n");
        exchange.raw("data: [DONE]\n\n");
    }

    private static String model(Received request) {
        return request.body().path("model").asString();
    }

    /** Embeddings: one deterministic vector per input (its length, 0.5), usage counted per input. */
    private static ObjectNode embeddingsAnswer(JsonNode body) {
        JsonNode input = body.path("input");
        List<JsonNode> inputs = input.isArray() ? input.valueStream().toList() : List.of(input);
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < inputs.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            item.putArray("embedding").add(inputs.get(i).asString("").length()).add(0.5);
        }
        root.set("model", body.path("model"));
        root.putObject("usage").put("prompt_tokens", 3 * inputs.size()).put("total_tokens", 3 * inputs.size());
        return root;
    }

    private static ObjectNode delta(Object... pairs) {
        ObjectNode delta = JSON.createObjectNode();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                delta.putNull((String) pairs[i]);
            } else {
                delta.put((String) pairs[i], (String) pairs[i + 1]);
            }
        }
        return delta;
    }

    private static ObjectNode header(String model, String object) {
        return JSON.createObjectNode().put("id", "chatcmpl-fake").put("object", object)
                .put("created", 1_700_000_000L).put("model", model);
    }

    private ObjectNode usage(long prompt, long completion) {
        ObjectNode usage = JSON.createObjectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        if (cachedTokens >= 0) {
            usage.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens);
            usage.putObject("completion_tokens_details").put("reasoning_tokens", reasoningTokens);
        }
        return usage;
    }

    private static ObjectNode chunk(String model, ObjectNode delta, String finish) {
        ObjectNode chunk = header(model, "chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return chunk;
    }

    private ObjectNode completion(String model, Reply reply) {
        ObjectNode root = header(model, "chat.completion");
        root.put("system_fingerprint", "fp_fake");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        long prompt = 20;
        long completion = 9;
        switch (reply) {
            case Text text -> {
                message.put("content", text.content());
                choice.put("finish_reason", "stop");
                prompt = text.inputTokens();
                completion = text.outputTokens();
            }
            case ToolCalls calls -> {
                if (calls.leadingText().isEmpty()) {
                    message.putNull("content");
                } else {
                    message.put("content", calls.leadingText());
                }
                ArrayNode list = message.putArray("tool_calls");
                for (Call call : calls.calls()) {
                    ObjectNode tc = list.addObject();
                    tc.put("id", id(call));
                    tc.put("type", "function");
                    tc.putObject("function").put("name", call.name()).put("arguments", call.arguments());
                }
                choice.put("finish_reason", "tool_calls");
            }
            case Blocked() -> {
                message.putNull("content");
                choice.put("finish_reason", "content_filter");
                completion = 0;
            }
            default -> throw new IllegalArgumentException("not an answer: " + reply);
        }
        choice.putNull("logprobs");
        root.set("usage", usage(prompt, completion));
        return root;
    }
}
