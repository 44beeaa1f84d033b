package dev.junction.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.http.SseEvent;
import dev.junction.http.SseReader;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.ProviderExchange;
import dev.junction.protocol.StreamDecoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Round trips through the canonical model, on the golden inputs and on many generated ones (fixed
 * seeds, so a failure names a reproducible case):
 * <ul>
 *   <li>an OpenAI request, decoded by {@link OpenAiChatDecoder} and encoded by {@link OpenAiCodec},
 *       is the same request up to what canonical form does not keep or OpenAI spells two ways;</li>
 *   <li>a {@code chat.completion}, decoded by the codec and written by {@link ChatCompletionEncoder},
 *       has the same content, reasoning, refusal, tool calls, finish and usage;</li>
 *   <li>a chunk stream, decoded by the codec and written by {@link ChatChunkEncoder}, assembles into
 *       the same answer as the original stream, however the original was cut, interleaved and ended.</li>
 * </ul>
 */
class OpenAiChannelRoundTripTest {

    private static final Path FIXTURES = Path.of("src/test/resources/fixtures");
    private static final JsonNodeFactory NODES = JsonTrees.MAPPER.getNodeFactory();
    private static final int GENERATED = 300;
    /** Golden requests that change by design: tool-result images move to a user message, text files become text. */
    private static final Set<String> NOT_ROUND_TRIPS = Set.of("tool-result-media.json");

    // --- requests --------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> requestsSurviveTheCanonicalModel() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path input : files(FIXTURES.resolve("openai/requests"), ".json")) {
            if (!NOT_ROUND_TRIPS.contains(input.getFileName().toString())) {
                ObjectNode request = (ObjectNode) JsonTrees.MAPPER.readTree(Files.readAllBytes(input));
                tests.add(DynamicTest.dynamicTest("request " + input.getFileName(), () -> assertRequestRoundTrip(
                        request)));
            }
        }
        IntStream.range(0, GENERATED).forEach(seed -> tests.add(DynamicTest.dynamicTest("generated request " + seed,
                () -> assertRequestRoundTrip(new RequestGenerator(new Random(seed)).request()))));
        return tests.stream();
    }

    private static void assertRequestRoundTrip(ObjectNode original) {
        String model = original.path("model").asString();
        CanonicalRequest canonical = OpenAiChatDecoder.decode(ChatRequest.parse(JsonTrees.bytes(original)),
                ChannelQuirks.NONE);
        ObjectNode encoded = JsonTrees.object(OpenAiCodec.INSTANCE.prepare(canonical, model, "k", "seed").call()
                .body());
        boolean replay = ChatRequestEncoder.replaysReasoning(model);
        assertThat(RequestForm.of(encoded, replay)).as(original.toString())
                .isEqualTo(RequestForm.of(original, replay));
    }

    /**
     * A request in the form both sides are compared in: what the canonical model does not keep is
     * gone (unknown parameters, {@code cache_control}, image {@code detail}, {@code strict}, signed
     * thinking blocks, reasoning for providers that do not take it back), and what OpenAI spells two
     * ways is spelt one way (one system message first, one-text content as a string, the default
     * tool choice and parallelism absent, {@code stop} as a list, one output limit, numbers as
     * decimals, {@code include_usage} always on for streams).
     */
    static final class RequestForm {

        private static final Set<String> KEPT = Set.of("model", "messages", "tools", "tool_choice",
                "parallel_tool_calls", "max_tokens", "max_completion_tokens", "temperature", "top_p", "top_k", "stop",
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

    /** Random OpenAI requests within what the translated path accepts. */
    static final class RequestGenerator {

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

    // --- whole answers ---------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> completionsSurviveTheCanonicalModel() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path input : files(FIXTURES.resolve("openai-channel/responses"), ".json")) {
            ObjectNode completion = JsonTrees.object(Files.readAllBytes(input));
            tests.add(DynamicTest.dynamicTest("completion " + input.getFileName(), () -> assertCompletionRoundTrip(
                    completion)));
        }
        IntStream.range(0, GENERATED).forEach(seed -> tests.add(DynamicTest.dynamicTest("generated completion " + seed,
                () -> assertCompletionRoundTrip(new AnswerGenerator(new Random(seed)).answer().completion()))));
        return tests.stream();
    }

    private static void assertCompletionRoundTrip(ObjectNode original) {
        CanonicalResponse response = exchange(false).decode(JsonTrees.bytes(original));
        ObjectNode encoded = JsonTrees.object(ChatCompletionEncoder.encode(response, 1));
        assertThat(Answer.ofCompletion(encoded)).as(original.toString()).isEqualTo(Answer.ofCompletion(original));
    }

    // --- streams ---------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> streamsSurviveTheCanonicalModel() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path input : files(FIXTURES.resolve("openai-channel/streams"), ".sse")) {
            if (!input.getFileName().toString().startsWith("error")) {
                String sse = Files.readString(input);
                tests.add(DynamicTest.dynamicTest("stream " + input.getFileName(), () -> assertStreamRoundTrip(sse)));
            }
        }
        IntStream.range(0, GENERATED).forEach(seed -> tests.add(DynamicTest.dynamicTest("generated stream " + seed,
                () -> {
                    Random random = new Random(seed);
                    assertStreamRoundTrip(new AnswerGenerator(random).answer().stream(random));
                })));
        return tests.stream();
    }

    private static void assertStreamRoundTrip(String sse) throws IOException {
        StreamDecoder decoder = exchange(true).streamDecoder();
        ChatChunkEncoder encoder = ChatChunkEncoder.create("chatcmpl-seed", "fallback", 1, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int finishes = 0;
        SseReader reader = SseReader.of(new ByteArrayInputStream(sse.getBytes(StandardCharsets.UTF_8)), 1 << 20);
        for (SseEvent event = reader.next(); event != null; event = reader.next()) {
            for (StreamEvent canonical : decoder.decode(event)) {
                finishes += canonical instanceof StreamEvent.Finish ? 1 : 0;
                byte[] bytes = encoder.encode(canonical);
                if (bytes != null) {
                    out.writeBytes(bytes);
                }
            }
        }
        assertThat(decoder.complete()).as("complete: " + sse).isTrue();
        assertThat(finishes).as("finishes: " + sse).isEqualTo(1);
        out.writeBytes(encoder.end());
        assertThat(Answer.ofStream(out.toString(StandardCharsets.UTF_8))).as(sse).isEqualTo(Answer.ofStream(sse));
    }

    // --- comparing answers -----------------------------------------------------------------------

    /**
     * What a client makes of an answer, whole or streamed: the texts, the calls (with their ids where
     * the provider gave them; compared as a set, since the stream numbers them in the order they
     * start), the finish in OpenAI's four words, and the token
     * counts. A content-filter finish carries the gateway's explanation when the provider gave none,
     * so the refusal is compared only when the original has one.
     */
    record Answer(String text, String reasoning, String refusal, List<String> calls, String finish,
            List<Long> usage) {

        static Answer ofCompletion(JsonNode completion) {
            JsonNode choice = completion.at("/choices/0");
            JsonNode message = choice.path("message");
            List<String> calls = new ArrayList<>();
            for (JsonNode call : message.path("tool_calls")) {
                JsonNode arguments = call.at("/function/arguments");
                calls.add(call(call.path("id").asString(""), call.at("/function/name").asString(),
                        arguments.isObject() ? JsonTrees.text(arguments) : arguments.asString("")));
            }
            String reasoning = message.path("reasoning_content").asString("");
            return new Answer(ChatResponseDecoder.text(message.get("content")),
                    reasoning.isEmpty() ? message.path("reasoning").asString("") : reasoning,
                    message.path("refusal").asString(""), calls, finish(choice.path("finish_reason").asString(null),
                            !calls.isEmpty()), usage(completion.path("usage")));
        }

        static Answer ofStream(String sse) {
            StringBuilder text = new StringBuilder();
            StringBuilder reasoning = new StringBuilder();
            StringBuilder refusal = new StringBuilder();
            Map<Integer, String[]> calls = new LinkedHashMap<>();
            String finish = null;
            JsonNode usage = NODES.objectNode();
            int unindexed = -1;
            for (String event : sse.split("\n\n")) {
                String data = event.strip();
                if (!data.startsWith("data: ") || data.equals("data: [DONE]")) {
                    continue;
                }
                JsonNode chunk = JsonTrees.MAPPER.readTree(data.substring(6));
                if (chunk.hasNonNull("usage")) {
                    usage = chunk.get("usage");
                } else if (chunk.at("/choices/0/usage").isObject()) {
                    usage = chunk.at("/choices/0/usage");
                }
                JsonNode choice = chunk.at("/choices/0");
                if (finish != null) {
                    continue;
                }
                JsonNode delta = choice.path("delta");
                text.append(ChatResponseDecoder.text(delta.get("content")));
                String thought = delta.path("reasoning_content").asString("");
                reasoning.append(thought.isEmpty() ? delta.path("reasoning").asString("") : thought);
                refusal.append(delta.path("refusal").asString(""));
                for (JsonNode entry : delta.path("tool_calls")) {
                    String id = entry.path("id").asString("");
                    int index = entry.has("index") ? entry.path("index").asInt()
                            : !id.isEmpty() ? --unindexed : unindexed;
                    String[] call = calls.computeIfAbsent(index, _ -> new String[] {"", "", ""});
                    call[0] = call[0].isEmpty() ? id : call[0];
                    String name = entry.at("/function/name").asString("");
                    call[1] = call[1].equals(name) ? call[1] : call[1] + name;
                    call[2] += entry.at("/function/arguments").asString("");
                }
                finish = choice.path("finish_reason").asString(null);
            }
            List<String> list = calls.values().stream().map(c -> call(c[0], c[1], c[2])).toList();
            return new Answer(text.toString(), reasoning.toString(), refusal.toString(), list,
                    finish(finish, !list.isEmpty()), usage(usage));
        }

        /** Ids the provider did not give are the gateway's own, so only given ones are compared. */
        private static String call(String id, String name, String arguments) {
            return (id.startsWith("call_seed_") ? "" : id) + " " + name + " "
                    + (arguments.isBlank() ? "{}" : arguments);
        }

        private static String finish(String reason, boolean calls) {
            return FinishReasons.wire(FinishReasons.read(reason, calls).reason());
        }

        private static List<Long> usage(JsonNode usage) {
            return List.of(usage.path("prompt_tokens").asLong(), usage.path("completion_tokens").asLong(),
                    usage.at("/prompt_tokens_details/cached_tokens").asLong(
                            usage.path("prompt_cache_hit_tokens").asLong(usage.path("cached_tokens").asLong())),
                    usage.at("/completion_tokens_details/reasoning_tokens").asLong());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Answer that && text.equals(that.text) && reasoning.equals(that.reasoning)
                    && (refusal.isEmpty() || that.refusal.isEmpty() || refusal.equals(that.refusal))
                    && calls.stream().sorted().toList().equals(that.calls.stream().sorted().toList()) && finish.equals(that.finish) && usage.equals(that.usage);
        }

        @Override
        public int hashCode() {
            return text.hashCode();
        }
    }

    /** A random answer, rendered whole or as a chunk stream cut and ended as various providers do. */
    record AnswerGenerator(Random random) {

        record Call(String id, String name, String arguments) {
        }

        record Generated(String id, String reasoning, String text, String refusal, List<Call> calls, String finish,
                long[] usage) {

            ObjectNode completion() {
                ObjectNode completion = NODES.objectNode().put("id", id).put("object", "chat.completion")
                        .put("created", 1).put("model", "m");
                ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
                ObjectNode message = choice.putObject("message").put("role", "assistant");
                if (text.isEmpty()) {
                    message.putNull("content");
                } else {
                    message.put("content", text);
                }
                if (!reasoning.isEmpty()) {
                    message.put("reasoning_content", reasoning);
                }
                if (!refusal.isEmpty()) {
                    message.put("refusal", refusal);
                }
                if (!calls.isEmpty()) {
                    ArrayNode list = message.putArray("tool_calls");
                    for (Call call : calls) {
                        ObjectNode entry = list.addObject().put("type", "function");
                        if (call.id() != null) {
                            entry.put("id", call.id());
                        }
                        entry.putObject("function").put("name", call.name()).put("arguments", call.arguments());
                    }
                }
                choice.put("finish_reason", finish);
                usage(completion.putObject("usage"));
                return completion;
            }

            private void usage(ObjectNode node) {
                node.put("prompt_tokens", usage[0]).put("completion_tokens", usage[1])
                        .put("total_tokens", usage[0] + usage[1]);
                node.putObject("prompt_tokens_details").put("cached_tokens", usage[2]);
                node.putObject("completion_tokens_details").put("reasoning_tokens", usage[3]);
            }

            String stream(Random random) {
                List<ObjectNode> deltas = new ArrayList<>();
                if (random.nextBoolean()) {
                    deltas.add(NODES.objectNode().put("role", "assistant").put("content", ""));
                }
                fragments(reasoning, random).forEach(f -> deltas.add(NODES.objectNode()
                        .put(random.nextBoolean() ? "reasoning_content" : "reasoning", f)));
                fragments(text, random).forEach(f -> deltas.add(NODES.objectNode().put("content", f)));
                fragments(refusal, random).forEach(f -> deltas.add(NODES.objectNode().put("refusal", f)));
                deltas.addAll(toolCallDeltas(random));
                StringBuilder sse = new StringBuilder();
                for (ObjectNode delta : deltas) {
                    if (random.nextInt(8) == 0) {
                        sse.append(": keep-alive\n\n");
                    }
                    sse.append(chunk(delta, null, false));
                }
                boolean usageWithFinish = random.nextBoolean();
                sse.append(chunk(NODES.objectNode(), finish, usageWithFinish));
                if (!usageWithFinish) {
                    ObjectNode usageChunk = NODES.objectNode().put("id", id).put("object", "chat.completion.chunk");
                    usageChunk.putArray("choices");
                    usage(usageChunk.putObject("usage"));
                    sse.append("data: ").append(usageChunk).append("\n\n");
                }
                if (random.nextBoolean()) {
                    sse.append("data: [DONE]\n\n");
                }
                return sse.toString();
            }

            private String chunk(ObjectNode delta, String finishReason, boolean withUsage) {
                ObjectNode chunk = NODES.objectNode().put("id", id).put("object", "chat.completion.chunk")
                        .put("created", 1).put("model", "m");
                ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
                choice.set("delta", delta);
                if (finishReason == null) {
                    choice.putNull("finish_reason");
                } else {
                    choice.put("finish_reason", finishReason);
                }
                if (withUsage) {
                    usage(chunk.putObject("usage"));
                }
                return "data: " + chunk + "\n\n";
            }

            /**
             * Each call opened OpenAI's way (id, name, empty arguments) or with its id a chunk late,
             * then its arguments in fragments, the fragments of all calls interleaved at random.
             */
            private List<ObjectNode> toolCallDeltas(Random random) {
                List<List<ObjectNode>> perCall = new ArrayList<>();
                for (int i = 0; i < calls.size(); i++) {
                    Call call = calls.get(i);
                    List<ObjectNode> entries = new ArrayList<>();
                    boolean lateId = call.id() != null && random.nextInt(4) == 0;
                    ObjectNode open = NODES.objectNode().put("index", i);
                    if (call.id() != null && !lateId) {
                        open.put("id", call.id()).put("type", "function");
                    }
                    open.putObject("function").put("name", call.name()).put("arguments", "");
                    entries.add(open);
                    if (lateId) {
                        entries.add(NODES.objectNode().put("index", i).put("id", call.id()));
                    }
                    for (String fragment : fragments(call.arguments(), random)) {
                        entries.add(NODES.objectNode().put("index", i).set("function",
                                NODES.objectNode().put("arguments", fragment)));
                    }
                    perCall.add(entries);
                }
                List<ObjectNode> deltas = new ArrayList<>();
                while (perCall.stream().anyMatch(list -> !list.isEmpty())) {
                    List<ObjectNode> next = perCall.get(random.nextInt(perCall.size()));
                    if (!next.isEmpty()) {
                        ObjectNode delta = NODES.objectNode();
                        delta.putArray("tool_calls").add(next.removeFirst());
                        deltas.add(delta);
                    }
                }
                return deltas;
            }

            private static List<String> fragments(String text, Random random) {
                List<String> fragments = new ArrayList<>();
                int at = 0;
                while (at < text.length()) {
                    int end = Math.min(text.length(), at + 1 + random.nextInt(6));
                    if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                        end++;
                    }
                    fragments.add(text.substring(at, end));
                    at = end;
                }
                return fragments;
            }
        }

        Generated answer() {
            String reasoning = random.nextInt(3) == 0 ? words() : "";
            boolean refused = random.nextInt(8) == 0;
            List<Call> calls = new ArrayList<>();
            if (!refused && random.nextBoolean()) {
                boolean ids = random.nextInt(5) > 0;
                for (int i = 1 + random.nextInt(4); i > 0; i--) {
                    calls.add(new Call(ids ? "call_" + random.nextInt(1_000_000) + "_" + i : null,
                            "fn_" + random.nextInt(5), "{\"q\":" + JsonTrees.MAPPER.writeValueAsString(words()) + "}"));
                }
            }
            String text = refused ? "" : calls.isEmpty() || random.nextBoolean() ? words() : "";
            String finish = refused ? "stop" : !calls.isEmpty() ? (random.nextBoolean() ? "tool_calls" : "stop")
                    : List.of("stop", "length", "content_filter").get(random.nextInt(3));
            long input = random.nextInt(5000);
            long output = random.nextInt(2000);
            return new Generated("chatcmpl-" + random.nextInt(1_000_000), reasoning, text,
                    refused ? "I can't help with " + words() : "", calls, finish,
                    new long[] {input, output, random.nextInt((int) input + 1), random.nextInt((int) output + 1)});
        }

        private String words() {
            String[] words = {"héllo", "\"q\"", "new\nline", "日本語", "{x}", "🙂🙂", "back\\slash", "ok"};
            StringBuilder text = new StringBuilder();
            for (int i = 1 + random.nextInt(6); i > 0; i--) {
                text.append(words[random.nextInt(words.length)]).append(' ');
            }
            return text.toString();
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static ProviderExchange exchange(boolean stream) {
        String body = "{\"model\":\"m\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        CanonicalRequest request = OpenAiChatDecoder.decode(ChatRequest.parse(body.getBytes(StandardCharsets.UTF_8)),
                ChannelQuirks.NONE);
        return OpenAiCodec.INSTANCE.prepare(request, "m", "k", "seed");
    }

    private static List<Path> files(Path dir, String suffix) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
