package dev.junction.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fake Anthropic Messages API ({@code POST /v1/messages}) over real HTTP. It refuses what the real
 * API refuses: a missing {@code max_tokens}, unknown top-level fields ({@code context_management}
 * passes only with its {@code anthropic-beta}), a system role inside
 * {@code messages}, turns that do not alternate, empty text blocks, tool results that do not
 * answer the tool uses of the assistant turn right before them (or do not come first), tool
 * blocks without tool definitions, {@code tool_choice} without tools, thinking combined with
 * temperature or a forced tool, a tool loop whose last assistant turn does not open with a
 * signed thinking block, and thinking blocks whose signature no fake issued for that model (as
 * Anthropic, which verifies a signature whatever key sends it back). It also answers
 * {@code POST /v1/messages/count_tokens}.
 */
public final class FakeAnthropic extends FakeProvider {

    private static final Pattern TOOL_ID = Pattern.compile("^[a-zA-Z0-9_-]+$");
    private static final Pattern TOOL_NAME = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
    private static final Set<String> TOP_LEVEL = Set.of("model", "messages", "max_tokens", "system", "temperature",
            "top_p", "top_k", "stop_sequences", "stream", "tools", "tool_choice", "thinking", "metadata",
            "output_config", "service_tier");
    private static final Set<String> MEDIA_TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

    /** Token counting; it answers {@link #COUNTED_TOKENS} for any valid request. */
    public static final String COUNT_TOKENS = "/v1/messages/count_tokens";
    public static final int COUNTED_TOKENS = 42;

    private final AtomicInteger ids = new AtomicInteger();
    /**
     * The signatures any fake issued, with the model they were issued for: Anthropic verifies a
     * thinking block's signature whichever key (or channel) sends it back, but only for its model.
     */
    private static final Set<String> SIGNATURES = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger SIGNED = new AtomicInteger();
    private volatile boolean anySignature;

    private FakeAnthropic(String apiKey) throws Exception {
        super(apiKey);
    }

    /** A fake that expects {@code x-api-key: <apiKey>}. */
    public static FakeAnthropic start(String apiKey) throws Exception {
        return new FakeAnthropic(apiKey);
    }

    /**
     * From now on takes any non-empty signature as one it issued: for requests that replay a real
     * provider's signatures, such as golden files.
     */
    public FakeAnthropic acceptingAnySignature() {
        anySignature = true;
        return this;
    }

    private boolean signed(String model, String signature) {
        return anySignature ? !signature.isEmpty() : SIGNATURES.contains(model + " " + signature);
    }

    @Override
    protected String errorBody(int status, String message) {
        String type = switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
        ObjectNode root = JSON.createObjectNode().put("type", "error");
        root.putObject("error").put("type", type).put("message", message);
        return root.toString();
    }

    // --- validation -------------------------------------------------------------------------------

    @Override
    protected Rejection validate(Received request) {
        boolean count = request.path().equals(COUNT_TOKENS);
        if (!request.path().equals("/v1/messages") && !count) {
            return new Rejection(404, "Not found: " + request.path());
        }
        if (!authorized(request.header("x-api-key"))) {
            return new Rejection(401, "invalid x-api-key");
        }
        String version = request.header("anthropic-version");
        if (version == null || !version.matches("20\\d\\d-\\d\\d-\\d\\d") || version.compareTo("2023-06-01") < 0) {
            // 2023-06-01 is what the gateway's codec sends; SDKs may send a newer version, which is passed through.
            return new Rejection(400, "anthropic-version: header is required");
        }
        if (count) {
            return request.body().path("model").isString() && request.body().path("messages").isArray() ? null
                    : new Rejection(400, "model and messages: Field required");
        }
        try {
            String beta = request.header("anthropic-beta");
            check(request.body(), beta != null && beta.contains("context-management"));
            return null;
        } catch (Invalid e) {
            return new Rejection(400, e.getMessage());
        }
    }

    /** @param contextManagement whether the context-management beta was asked for, which allows that field */
    private void check(JsonNode body, boolean contextManagement) {
        body.propertyNames().forEach(name -> require(TOP_LEVEL.contains(name)
                || contextManagement && name.equals("context_management"), name + ": Extra inputs are not permitted"));
        require(body.path("model").isString(), "model: Field required");
        require(body.path("max_tokens").isIntegralNumber(), "max_tokens: Field required");
        int maxTokens = body.path("max_tokens").asInt();
        require(maxTokens >= 1, "max_tokens: must be at least 1");
        require(body.path("messages").isArray() && !body.path("messages").isEmpty(), "messages: Field required");
        JsonNode system = body.get("system");
        if (system != null) {
            require(system.isString() || system.isArray() && system.valueStream().allMatch(b ->
                    "text".equals(b.path("type").asString("")) && !b.path("text").asString("").isEmpty()),
                    "system: Input should be a valid string or a list of text blocks");
        }
        if (body.has("temperature")) {
            double t = body.path("temperature").asDouble();
            require(t >= 0 && t <= 1, "temperature: Input should be less than or equal to 1");
        }
        if (body.has("stop_sequences")) {
            require(body.path("stop_sequences").isArray() && body.path("stop_sequences").valueStream()
                    .allMatch(JsonNode::isString), "stop_sequences: Input should be a valid list of strings");
        }
        Set<String> toolNames = tools(body);
        boolean thinking = thinking(body, maxTokens);
        messages(body.path("model").asString(""), body.path("messages"), !toolNames.isEmpty(), thinking);
    }

    private static Set<String> tools(JsonNode body) {
        Set<String> names = new HashSet<>();
        for (JsonNode tool : body.path("tools")) {
            String name = tool.path("name").asString("");
            require(TOOL_NAME.matcher(name).matches(), "tools.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'");
            require(tool.path("input_schema").isObject() && "object".equals(tool.path("input_schema").path("type")
                    .asString("")), "tools." + name + ".input_schema: type must be object");
            for (String field : tool.propertyNames()) {
                require(Set.of("name", "description", "input_schema", "cache_control").contains(field),
                        "tools." + field + ": Extra inputs are not permitted");
            }
            require(names.add(name), "tools: Tool names must be unique.");
        }
        JsonNode choice = body.get("tool_choice");
        if (choice != null) {
            require(!names.isEmpty(), "tool_choice may only be specified while providing tools.");
            String type = choice.path("type").asString("");
            require(Set.of("auto", "any", "tool", "none").contains(type), "tool_choice.type: Input tag '" + type
                    + "' does not match any of the expected tags");
            if (type.equals("tool")) {
                require(names.contains(choice.path("name").asString("")), "tool_choice.name: Tool '"
                        + choice.path("name").asString("") + "' not found in tools");
            }
            require(!type.equals("none") || !choice.has("disable_parallel_tool_use"),
                    "tool_choice.none.disable_parallel_tool_use: Extra inputs are not permitted");
        }
        return names;
    }

    private static boolean thinking(JsonNode body, int maxTokens) {
        JsonNode thinking = body.get("thinking");
        if (thinking == null) {
            require(!body.has("output_config"), "output_config.effort requires adaptive thinking in this fake");
            return false;
        }
        String type = thinking.path("type").asString("");
        if (type.equals("enabled")) {
            int budget = thinking.path("budget_tokens").asInt(0);
            require(budget >= 1024, "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
            require(budget < maxTokens, "`max_tokens` must be greater than `thinking.budget_tokens`");
        } else {
            require(type.equals("adaptive"), "thinking.type: Input tag '" + type + "' does not match");
            require(body.path("output_config").path("effort").isString(), "adaptive thinking: effort expected");
        }
        require(!body.has("temperature") && !body.has("top_k"),
                "temperature and top_k may not be set when thinking is enabled");
        String choice = body.path("tool_choice").path("type").asString("auto");
        require(choice.equals("auto") || choice.equals("none"),
                "Thinking may not be enabled when tool_choice forces tool use.");
        return true;
    }

    private void messages(String model, JsonNode messages, boolean tools, boolean thinking) {
        String previousRole = null;
        Set<String> pendingToolUses = Set.of();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String role = message.path("role").asString("");
            require(!role.equals("system"), "messages: Unexpected role \"system\". The Messages API accepts a "
                    + "top-level `system` parameter, not \"system\" as an input message role.");
            require(role.equals("user") || role.equals("assistant"), "messages." + i + ".role: Input should be "
                    + "'user' or 'assistant'");
            require(i > 0 || role.equals("user"), "messages: first message must use the \"user\" role");
            require(!role.equals(previousRole), "messages: roles must alternate between \"user\" and \"assistant\", "
                    + "but found multiple \"" + role + "\" roles in a row");
            List<JsonNode> blocks = blocks(message.get("content"), i);
            if (role.equals("user")) {
                Set<String> answered = new HashSet<>();
                boolean seenOther = false;
                for (JsonNode block : blocks) {
                    String type = block.path("type").asString("");
                    require(Set.of("text", "image", "document", "tool_result").contains(type), "messages." + i
                            + ": a user message cannot hold '" + type + "' blocks");
                    if (type.equals("tool_result")) {
                        require(tools, "Requests which include `tool_result` blocks must define tools.");
                        require(!seenOther, "messages." + i + ": tool_result blocks must come first in the content");
                        String id = block.path("tool_use_id").asString("");
                        require(pendingToolUses.contains(id), "messages." + i + ": unexpected `tool_use_id` found in "
                                + "`tool_result` blocks: " + id + ". Each `tool_result` block must have a "
                                + "corresponding `tool_use` block in the previous message.");
                        answered.add(id);
                    } else {
                        seenOther = true;
                    }
                    if (type.equals("image")) {
                        image(block.path("source"), i);
                    }
                }
                require(answered.containsAll(pendingToolUses), "messages." + i + ": `tool_use` ids were found without "
                        + "`tool_result` blocks immediately after: " + pendingToolUses);
                pendingToolUses = Set.of();
            } else {
                require(pendingToolUses.isEmpty(), "messages." + i + ": `tool_use` ids were found without "
                        + "`tool_result` blocks immediately after");
                Set<String> uses = new HashSet<>();
                for (JsonNode block : blocks) {
                    String type = block.path("type").asString("");
                    require(Set.of("text", "thinking", "redacted_thinking", "tool_use").contains(type), "messages."
                            + i + ": an assistant message cannot hold '" + type + "' blocks");
                    if (type.equals("tool_use")) {
                        require(tools, "Requests which include `tool_use` blocks must define tools.");
                        String id = block.path("id").asString("");
                        require(TOOL_ID.matcher(id).matches(), "messages." + i + ".content.tool_use.id: String "
                                + "should match pattern '^[a-zA-Z0-9_-]+$'");
                        require(block.path("input").isObject(), "messages." + i + ".tool_use.input: Input should be "
                                + "a valid dictionary");
                        uses.add(id);
                    }
                    if (type.equals("thinking")) {
                        require(signed(model, block.path("signature").asString("")),
                                "messages." + i + ": Invalid `signature` in `thinking` block");
                    }
                }
                boolean last = messages.size() - 1 == i + 1 || messages.size() - 1 == i;
                if (thinking && !uses.isEmpty() && last) {
                    String first = blocks.getFirst().path("type").asString("");
                    require(first.equals("thinking") || first.equals("redacted_thinking"), "messages." + i
                            + ".content.0.type: Expected `thinking` or `redacted_thinking`, but found `" + first
                            + "`. When `thinking` is enabled, a final `assistant` message must start with a "
                            + "thinking block.");
                }
                pendingToolUses = uses;
            }
            previousRole = role;
        }
        require(pendingToolUses.isEmpty(), "`tool_use` ids were found without `tool_result` blocks immediately after");
    }

    private static List<JsonNode> blocks(JsonNode content, int index) {
        List<JsonNode> blocks = new ArrayList<>();
        if (content != null && content.isString()) {
            require(!content.stringValue().isEmpty(), "messages." + index + ": all messages must have non-empty "
                    + "content except for the optional final assistant message");
            blocks.add(JSON.createObjectNode().put("type", "text").put("text", content.stringValue()));
            return blocks;
        }
        require(content != null && content.isArray() && !content.isEmpty(), "messages." + index
                + ": all messages must have non-empty content");
        for (JsonNode block : content) {
            if ("text".equals(block.path("type").asString(""))) {
                require(!block.path("text").asString("").isEmpty(), "messages: text content blocks must be non-empty");
            }
            blocks.add(block);
        }
        return blocks;
    }

    private static void image(JsonNode source, int index) {
        String type = source.path("type").asString("");
        if (type.equals("base64")) {
            require(MEDIA_TYPES.contains(source.path("media_type").asString("")), "messages." + index
                    + ".image.source.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'");
            require(!source.path("data").asString("").isEmpty() && !source.path("data").asString("")
                    .startsWith("data:"), "messages." + index + ".image.source.data: invalid base64 data");
        } else {
            require(type.equals("url") && source.path("url").asString("").startsWith("http"), "messages." + index
                    + ".image.source: expected a base64 or url source");
        }
    }

    // --- answers ----------------------------------------------------------------------------------

    /** One content block of an answer. */
    private record Block(String type, String text, String signature, String id, String name) {
    }

    private record Answer(List<Block> blocks, String stopReason, String stopSequence, long input, long output) {
    }

    private Answer plan(JsonNode body, Reply reply) {
        List<Block> blocks = new ArrayList<>();
        String stopReason = "end_turn";
        String stopSequence = null;
        long input = 11;
        long output = 7;
        Reply current = reply;
        if (current instanceof Thinking(String thinking, Reply then)) {
            if (body.has("thinking")) {
                String signature = "sig_" + SIGNED.incrementAndGet() + "_" + thinking.length();
                SIGNATURES.add(body.path("model").asString("") + " " + signature);
                blocks.add(new Block("thinking", thinking, signature, null, null));
            }
            current = then;
        }
        switch (current) {
            case Text text -> {
                String content = text.content();
                for (JsonNode stop : body.path("stop_sequences")) {
                    int at = content.indexOf(stop.asString());
                    if (at >= 0) {
                        content = content.substring(0, at);
                        stopReason = "stop_sequence";
                        stopSequence = stop.asString();
                    }
                }
                String[] words = content.split(" ");
                int limit = body.path("max_tokens").asInt();
                if (words.length > limit) {
                    content = String.join(" ", Arrays.copyOf(words, limit));
                    stopReason = "max_tokens";
                }
                blocks.add(new Block("text", content, null, null, null));
                input = text.inputTokens();
                output = text.outputTokens();
            }
            case ToolCalls calls -> {
                if (!calls.leadingText().isEmpty()) {
                    blocks.add(new Block("text", calls.leadingText(), null, null, null));
                }
                for (Call call : calls.calls()) {
                    blocks.add(new Block("tool_use", call.arguments(), null, "toolu_" + String.format("%02d",
                            ids.incrementAndGet()), call.name()));
                }
                stopReason = "tool_use";
                input = 20;
                output = 9;
            }
            case Blocked() -> stopReason = "refusal";
            default -> throw new IllegalArgumentException("not an answer: " + current);
        }
        return new Answer(blocks, stopReason, stopSequence, input, output);
    }

    /** Usage with 4 cache-read and 2 cache-write tokens taken out of the input, as Anthropic counts. */
    private static ObjectNode usage(long input, long output) {
        return JSON.createObjectNode().put("input_tokens", input - 6).put("cache_creation_input_tokens", 2)
                .put("cache_read_input_tokens", 4).put("output_tokens", output);
    }

    @Override
    protected void answer(Received request, Reply reply, Exchange exchange) throws Exception {
        if (request.path().equals(COUNT_TOKENS)) {
            exchange.json(200, "{\"input_tokens\":" + COUNTED_TOKENS + "}");
            return;
        }
        JsonNode body = request.body();
        String model = body.path("model").asString();
        boolean stream = body.path("stream").asBoolean(false);
        Answer answer = plan(body, reply);
        if (!stream) {
            ObjectNode message = JSON.createObjectNode();
            message.put("id", "msg_fake_" + ids.incrementAndGet()).put("type", "message").put("role", "assistant")
                    .put("model", model);
            ArrayNode content = message.putArray("content");
            for (Block block : answer.blocks()) {
                switch (block.type()) {
                    case "text" -> content.addObject().put("type", "text").put("text", block.text());
                    case "thinking" -> content.addObject().put("type", "thinking").put("thinking", block.text())
                            .put("signature", block.signature());
                    default -> content.addObject().put("type", "tool_use").put("id", block.id())
                            .put("name", block.name()).set("input", JSON.readTree(block.text()));
                }
            }
            message.put("stop_reason", answer.stopReason());
            if (answer.stopSequence() == null) {
                message.putNull("stop_sequence");
            } else {
                message.put("stop_sequence", answer.stopSequence());
            }
            message.set("usage", usage(answer.input(), answer.output()));
            exchange.json(200, message.toString());
            return;
        }
        exchange.startStream();
        exchange.event("message_start", messageStart(model, answer.input()));
        exchange.event("ping", "{\"type\":\"ping\"}");
        for (int index = 0; index < answer.blocks().size(); index++) {
            Block block = answer.blocks().get(index);
            ObjectNode start = JSON.createObjectNode().put("type", "content_block_start").put("index", index);
            switch (block.type()) {
                case "text" -> {
                    start.putObject("content_block").put("type", "text").put("text", "");
                    exchange.event("content_block_start", start);
                    Reply answered = reply instanceof Thinking(String thought, Reply then) ? then : reply;
                    int pieces = answered instanceof Text t ? t.pieces() : 2;
                    for (String piece : split(block.text(), pieces)) {
                        exchange.event("content_block_delta", delta(index, "text_delta", "text", piece));
                    }
                }
                case "thinking" -> {
                    start.putObject("content_block").put("type", "thinking").put("thinking", "");
                    exchange.event("content_block_start", start);
                    for (String piece : split(block.text(), 2)) {
                        exchange.event("content_block_delta", delta(index, "thinking_delta", "thinking", piece));
                    }
                    exchange.event("content_block_delta", delta(index, "signature_delta", "signature",
                            block.signature()));
                }
                default -> {
                    start.putObject("content_block").put("type", "tool_use").put("id", block.id())
                            .put("name", block.name()).putObject("input");
                    exchange.event("content_block_start", start);
                    for (String piece : split(block.text(), 3)) {
                        exchange.event("content_block_delta", delta(index, "input_json_delta", "partial_json", piece));
                    }
                }
            }
            exchange.event("content_block_stop", JSON.createObjectNode().put("type", "content_block_stop")
                    .put("index", index));
        }
        ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
        ObjectNode delta = messageDelta.putObject("delta").put("stop_reason", answer.stopReason());
        if (answer.stopSequence() == null) {
            delta.putNull("stop_sequence");
        } else {
            delta.put("stop_sequence", answer.stopSequence());
        }
        messageDelta.putObject("usage").put("output_tokens", answer.output());
        exchange.event("message_delta", messageDelta);
        exchange.event("message_stop", "{\"type\":\"message_stop\"}");
        exchange.finish();
    }

    @Override
    protected void openText(Received request, Exchange exchange) throws IOException {
        exchange.event("message_start", messageStart(request.body().path("model").asString(), 11));
        exchange.event("content_block_start", JSON.readTree("{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
    }

    @Override
    protected void textPiece(Received request, Exchange exchange, String piece) throws IOException {
        exchange.event("content_block_delta", delta(0, "text_delta", "text", piece));
    }

    @Override
    protected void closeText(Received request, Exchange exchange) throws IOException {
        exchange.event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
        exchange.event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":7}}");
        exchange.event("message_stop", "{\"type\":\"message_stop\"}");
    }

    @Override
    protected void errorEvent(Exchange exchange) throws IOException {
        exchange.event("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                + "\"message\":\"Overloaded\"}}");
    }

    @Override
    protected void malformedEvent(Exchange exchange) throws IOException {
        exchange.raw("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\n\n");
    }

    @Override
    protected void keepAlive(Exchange exchange) throws IOException {
        exchange.event("ping", "{\"type\":\"ping\"}");
    }

    private ObjectNode messageStart(String model, long input) {
        ObjectNode start = JSON.createObjectNode().put("type", "message_start");
        ObjectNode message = start.putObject("message");
        message.put("id", "msg_fake_" + ids.incrementAndGet()).put("type", "message").put("role", "assistant")
                .put("model", model).putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", usage(input, 1));
        return start;
    }

    private static ObjectNode delta(int index, String type, String field, String value) {
        ObjectNode event = JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
        event.putObject("delta").put("type", type).put(field, value);
        return event;
    }
}
