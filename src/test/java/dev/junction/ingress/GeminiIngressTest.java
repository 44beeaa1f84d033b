package dev.junction.ingress;

import static dev.junction.testing.FakeProvider.call;
import static dev.junction.testing.FakeProvider.text;
import static dev.junction.testing.FakeProvider.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeGemini;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.JsonTree;
import dev.junction.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Gemini API ingress over raw HTTP: Gemini error shapes per auth mode, byte-for-byte
 * pass-through to gemini channels, translated answers and streams from anthropic channels (text,
 * function calls with stable ids, JSON schemas), a broken stream's error event, countTokens and
 * the models list.
 */
class GeminiIngressTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOOL_TURN = """
            {"contents":[{"role":"user","parts":[{"text":"Run echo hi"}]},
             {"role":"model","parts":[{"functionCall":{"id":"run_shell_command_17_0","name":"run_shell_command",
               "args":{"command":"echo hi"}},"thoughtSignature":"skip_thought_signature_validator"}]},
             {"role":"user","parts":[{"functionResponse":{"id":"run_shell_command_17_0","name":"run_shell_command",
               "response":{"output":"hi"}}}]}],
             "tools":[{"functionDeclarations":[{"name":"run_shell_command","description":"Runs a command",
               "parametersJsonSchema":{"type":"object","properties":{"command":{"type":"string"}},
               "required":["command"]}}]}]}
            """;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private FakeGemini gemini;
    private FakeAnthropic anthropic;
    private TestGateway gateway;

    /** "flash" on the gemini channel, "claude" on the anthropic channel; key "narrow" may use only flash. */
    private void start() throws Exception {
        gemini = FakeGemini.start("sk-fake-gemini");
        anthropic = FakeAnthropic.start("sk-fake-claude");
        gateway = TestGateway.start(dir, """
                keys:
                  - name: test
                    key: %s
                  - name: narrow
                    key: sk-narrow
                    models: [flash]
                channels:
                """.formatted(TestGateway.KEY)
                + TestGateway.channel("gemini", gemini, "{flash: gemini-2.5-flash}", "")
                + TestGateway.channel("claude", anthropic, "{claude: claude-sonnet-4-5}", ""));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {gateway, gemini, anthropic}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private HttpResponse<String> post(String pathAndQuery, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String pathAndQuery, String body) throws Exception {
        return post(pathAndQuery, body, Map.of("x-goog-api-key", TestGateway.KEY));
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private static List<JsonNode> events(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        return response.body().lines().filter(l -> l.startsWith("data: ")).map(l -> JSON.readTree(l.substring(6)))
                .toList();
    }

    private static String hello() {
        return "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hello\"}]}]}";
    }

    private static void assertError(HttpResponse<String> response, int code, String status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(code);
        assertThat(error.path("status").asString()).isEqualTo(status);
        assertThat(error.path("message").asString()).isNotEmpty();
    }

    // --- errors ------------------------------------------------------------------------------------

    @Test
    void gatewayErrorsComeInGeminiShapeWhicheverWayTheKeyIsSent() throws Exception {
        start();
        String generate = "/v1beta/models/flash:generateContent";
        assertError(post(generate, hello(), Map.of()), 401, "UNAUTHENTICATED");
        assertError(post(generate, hello(), Map.of("x-goog-api-key", "wrong")), 401, "UNAUTHENTICATED");
        assertError(post(generate + "?key=wrong", hello(), Map.of()), 401, "UNAUTHENTICATED");
        assertError(post("/v1beta/models/claude:generateContent?key=sk-narrow", hello(), Map.of()), 403,
                "PERMISSION_DENIED");
        assertError(post("/v1beta/models/nope:generateContent", hello()), 404, "NOT_FOUND");
        assertError(post(generate, "{not json", Map.of("x-goog-api-key", TestGateway.KEY)), 400,
                "INVALID_ARGUMENT");
        assertError(post(generate, "{\"contents\":[]}"), 400, "INVALID_ARGUMENT");
        assertError(post("/v1beta/models/flash:streamGenerateContent", hello()), 400, "INVALID_ARGUMENT");
        assertError(post("/v1beta/models/flash:predict", hello()), 404, "NOT_FOUND");
        assertError(post("/v1beta/tunedModels", hello()), 404, "NOT_FOUND");
        assertError(post("/v1beta/models/claude:generateContent", "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],"
                + "\"generationConfig\":{\"candidateCount\":2}}"), 400, "INVALID_ARGUMENT");
        assertThat(gemini.requestCount() + anthropic.requestCount()).isZero();

        // A key in ?key= works as well as the header; a provider's 429 keeps Google's status.
        gemini.always(new FakeProvider.Status(400, "{\"error\":{\"code\":400,\"message\":\"Bad schema\","
                + "\"status\":\"INVALID_ARGUMENT\"}}", Map.of()));
        HttpResponse<String> relayed = post(generate + "?key=" + TestGateway.KEY, hello(), Map.of());
        assertThat(relayed.body()).isEqualTo("{\"error\":{\"code\":400,\"message\":\"Bad schema\","
                + "\"status\":\"INVALID_ARGUMENT\"}}");
        anthropic.always(new FakeProvider.Status(400, "{\"type\":\"error\",\"error\":{\"type\":"
                + "\"invalid_request_error\",\"message\":\"messages: bad\"}}", Map.of()));
        HttpResponse<String> translated = post("/v1beta/models/claude:generateContent", hello());
        assertError(translated, 400, "INVALID_ARGUMENT");
        assertThat(json(translated).at("/error/message").asString()).isEqualTo("messages: bad");
    }

    // --- pass-through --------------------------------------------------------------------------------

    @Test
    void aGeminiChannelGetsTheBodyUnchangedAndTheClientGetsTheAnswerByteForByte() throws Exception {
        start();
        String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}],\"safetySettings\":[{"
                + "\"category\":\"HARM_CATEGORY_HATE_SPEECH\",\"threshold\":\"BLOCK_NONE\"}],\"generationConfig\":"
                + "{\"temperature\":0.3,\"thinkingConfig\":{\"thinkingBudget\":8192,\"includeThoughts\":true}}}";
        String answer = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi there\"}],\"role\":\"model\"},"
                + "\"finishReason\":\"STOP\",\"index\":0,\"futureField\":1}],\"usageMetadata\":{\"promptTokenCount\":"
                + "3,\"candidatesTokenCount\":2,\"thoughtsTokenCount\":4,\"totalTokenCount\":9},\"modelVersion\":"
                + "\"gemini-2.5-flash\",\"responseId\":\"abc\"}";
        gemini.then(new FakeProvider.Status(200, answer, Map.of()));
        HttpResponse<String> response = post("/v1beta/models/flash:generateContent", body);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(answer);
        assertThat(response.headers().firstValue("x-junction-channel")).hasValue("gemini");
        FakeProvider.Received sent = gemini.last();
        assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(sent.query()).isNull();
        assertThat(sent.header("x-goog-api-key")).isEqualTo("sk-fake-gemini");
        assertThat(sent.body()).isEqualTo(JSON.readTree(body));
        Map<String, Object> row = gateway.usageRows(1).getLast();
        assertThat(((Number) row.get("prompt_tokens")).longValue()).isEqualTo(3);
        assertThat(((Number) row.get("completion_tokens")).longValue()).isEqualTo(6);

        gemini.then(toolCalls(call("run_shell_command", "{\"command\":\"echo hi\"}")));
        List<JsonNode> events = events(post("/v1beta/models/flash:streamGenerateContent?alt=sse", TOOL_TURN
                .replace("skip_thought_signature_validator", "sig"), Map.of("x-goog-api-key", TestGateway.KEY)));
        assertThat(gemini.last().path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
        assertThat(gemini.last().query()).isEqualTo("alt=sse");
        assertThat(events.getFirst().at("/candidates/0/content/parts/0/functionCall/name").asString())
                .isEqualTo("run_shell_command");
        assertThat(events.getFirst().at("/candidates/0/content/parts/0/thoughtSignature").asString()).isNotEmpty();
        assertThat(events.getLast().at("/candidates/0/finishReason").asString()).isEqualTo("STOP");
        assertThat(((Number) gateway.usageRows(2).getLast().get("prompt_tokens")).longValue()).isEqualTo(20);
    }

    // --- translation ---------------------------------------------------------------------------------

    @Test
    void anAnthropicChannelAnswersInGeminiShapeWithFunctionCallsWholeAndIdsKept() throws Exception {
        start();
        anthropic.then(new FakeProvider.ToolCalls("Let me run it.", List.of(call("run_shell_command",
                "{\"command\":\"echo hi\"}"), call("read_file", "{\"path\":\"a.txt\"}"))));
        String first = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Run echo hi\"}]}],"
                + "\"systemInstruction\":{\"parts\":[{\"text\":\"Be brief.\"}]},"
                + "\"tools\":[{\"functionDeclarations\":[{\"name\":\"run_shell_command\",\"parameters\":{\"type\":"
                + "\"OBJECT\",\"properties\":{\"command\":{\"type\":\"STRING\"}}}},{\"name\":\"read_file\","
                + "\"parametersJsonSchema\":{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}}]}],"
                + "\"generationConfig\":{\"temperature\":1,\"topP\":0.95,\"topK\":64,\"thinkingConfig\":"
                + "{\"includeThoughts\":true,\"thinkingLevel\":\"HIGH\"}}}";
        List<JsonNode> events = events(post("/v1beta/models/claude:streamGenerateContent?alt=sse", first));
        JsonNode sent = anthropic.last().body();
        assertThat(sent.at("/system").toString()).contains("Be brief.");
        assertThat(sent.at("/tools/0/input_schema/properties/command/type").asString()).isEqualTo("string");
        assertThat(sent.at("/tools/1/input_schema/properties/path/type").asString()).isEqualTo("string");
        List<JsonNode> calls = events.stream().flatMap(e -> e.at("/candidates/0/content/parts").valueStream())
                .filter(p -> p.has("functionCall")).map(p -> p.get("functionCall")).toList();
        assertThat(calls).hasSize(2);
        assertThat(JsonTree.of(calls.get(0).get("args"))).isEqualTo(JsonTree.of("{\"command\":\"echo hi\"}"));
        assertThat(calls.get(1).get("name").asString()).isEqualTo("read_file");
        String text = events.stream().flatMap(e -> e.at("/candidates/0/content/parts").valueStream())
                .map(p -> p.path("text").asString("")).reduce("", String::concat);
        assertThat(text).isEqualTo("Let me run it.");
        JsonNode last = events.getLast();
        assertThat(last.at("/candidates/0/finishReason").asString()).isEqualTo("STOP");
        assertThat(last.at("/usageMetadata/promptTokenCount").asInt()).isEqualTo(20);
        assertThat(last.at("/usageMetadata/candidatesTokenCount").asInt()).isEqualTo(9);

        // The client replays the calls with their ids; Anthropic sees the same ids on tool_use and tool_result.
        String id0 = calls.get(0).get("id").asString();
        String id1 = calls.get(1).get("id").asString();
        anthropic.then(text("It printed hi."));
        String second = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Run echo hi\"}]},"
                + "{\"role\":\"model\",\"parts\":[{\"text\":\"Let me run it.\"},{\"functionCall\":" + calls.get(0)
                + ",\"thoughtSignature\":\"skip_thought_signature_validator\"},{\"functionCall\":" + calls.get(1)
                + "}]},{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"id\":\"" + id1 + "\",\"name\":"
                + "\"read_file\",\"response\":{\"output\":\"file text\"}}},{\"functionResponse\":{\"id\":\"" + id0
                + "\",\"name\":\"run_shell_command\",\"response\":{\"output\":\"hi\"}}}]}],"
                + "\"tools\":[{\"functionDeclarations\":[{\"name\":\"run_shell_command\"},{\"name\":\"read_file\"}]}]}";
        JsonNode answer = json(post("/v1beta/models/claude:generateContent", second));
        assertThat(answer.at("/candidates/0/content/parts/0/text").asString()).isEqualTo("It printed hi.");
        assertThat(answer.at("/candidates/0/finishReason").asString()).isEqualTo("STOP");
        JsonNode messages = anthropic.last().body().get("messages");
        assertThat(messages.at("/1/content/1/id").asString()).isEqualTo(id0);
        assertThat(messages.at("/1/content/2/id").asString()).isEqualTo(id1);
        assertThat(messages.at("/2/content/0/tool_use_id").asString()).isEqualTo(id1);
        assertThat(messages.at("/2/content/0/content").toString()).contains("file text");
        assertThat(messages.at("/2/content/1/tool_use_id").asString()).isEqualTo(id0);
    }

    @Test
    void functionCallsWithoutIdsGetStableIdsMatchedToTheirResponsesByName() throws Exception {
        start();
        anthropic.then(text("Done."));
        String body = TOOL_TURN.replace("\"id\":\"run_shell_command_17_0\",", "");
        assertThat(post("/v1beta/models/claude:generateContent", body).statusCode()).isEqualTo(200);
        JsonNode messages = anthropic.last().body().get("messages");
        String id = messages.at("/1/content/0/id").asString();
        assertThat(id).isNotEmpty();
        assertThat(messages.at("/2/content/0/tool_use_id").asString()).isEqualTo(id);
        anthropic.then(text("Done."));
        post("/v1beta/models/claude:generateContent", body);
        assertThat(anthropic.last().body().at("/messages/1/content/0/id").asString()).isEqualTo(id);
    }

    @Test
    void aResponseJsonSchemaIsHonouredOnAnAnthropicChannel() throws Exception {
        start();
        anthropic.then(toolCalls(call("json_response", "{\"complexity_reasoning\":\"easy\",\"complexity_score\":1}")));
        String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Classify\"}]}],\"generationConfig\":"
                + "{\"responseMimeType\":\"application/json\",\"responseJsonSchema\":{\"type\":\"OBJECT\","
                + "\"properties\":{\"complexity_reasoning\":{\"type\":\"STRING\"},\"complexity_score\":{\"type\":"
                + "\"INTEGER\"}},\"required\":[\"complexity_reasoning\",\"complexity_score\"]},\"thinkingConfig\":"
                + "{\"includeThoughts\":true,\"thinkingLevel\":\"HIGH\"},\"temperature\":1,\"topP\":0.95,\"topK\":64}}";
        JsonNode answer = json(post("/v1beta/models/claude:generateContent", body));
        JsonNode result = JSON.readTree(answer.at("/candidates/0/content/parts/0/text").asString());
        assertThat(result.get("complexity_score").asInt()).isEqualTo(1);
        assertThat(answer.at("/candidates/0/content/parts").size()).isEqualTo(1);
        JsonNode sent = anthropic.last().body();
        assertThat(sent.at("/tool_choice/name").asString()).isEqualTo("json_response");
        assertThat(JsonTree.of(sent.at("/tools/0/input_schema")))
                .isEqualTo(JsonTree.of("{\"type\":\"object\",\"properties\":"
                + "{\"complexity_reasoning\":{\"type\":\"string\"},\"complexity_score\":{\"type\":\"integer\"}},"
                + "\"required\":[\"complexity_reasoning\",\"complexity_score\"]}"));
    }

    @Test
    void aStreamCutAfterContentEndsWithAnErrorEventAndNoFinish() throws Exception {
        start();
        anthropic.then(new FakeProvider.BrokenStream(2, FakeProvider.Fault.CUT));
        List<JsonNode> events = events(post("/v1beta/models/claude:streamGenerateContent?alt=sse", hello()));
        assertThat(events.getFirst().at("/candidates/0/content/parts/0/text").asString()).isEqualTo("part0 ");
        assertThat(events.getLast().at("/error/code").asInt()).isEqualTo(500);
        assertThat(events.getLast().at("/error/status").asString()).isEqualTo("INTERNAL");
        assertThat(events).noneMatch(e -> e.at("/candidates/0").has("finishReason"));

        gemini.then(new FakeProvider.BrokenStream(1, FakeProvider.Fault.CUT));
        List<JsonNode> passed = events(post("/v1beta/models/flash:streamGenerateContent?alt=sse", hello()));
        assertThat(passed.getLast().at("/error/status").asString()).isEqualTo("INTERNAL");
        assertThat(passed).noneMatch(e -> e.at("/candidates/0").has("finishReason"));
    }

    // --- countTokens and models -----------------------------------------------------------------------

    @Test
    void countTokensIsEstimatedWhenNoGeminiChannelCouldCount() throws Exception {
        start();
        String text = "{\"contents\":[{\"parts\":[{\"text\":\"" + "abcd".repeat(25) + "\"}]}]}";
        gemini.then(FakeProvider.status(400));
        assertError(post("/v1beta/models/flash:countTokens", text), 400, "INVALID_ARGUMENT");
        gemini.always(FakeProvider.status(503));
        int calls = gemini.requestCount();
        HttpResponse<String> estimated = post("/v1beta/models/flash:countTokens", text);
        assertThat(estimated.statusCode()).as(estimated.body()).isEqualTo(200);
        assertThat(json(estimated).get("totalTokens").asLong())
                .isEqualTo(dev.junction.protocol.Tokens.count("abcd".repeat(25)));
        assertThat(gemini.requestCount()).isGreaterThan(calls);
    }

    @Test
    void countTokensGoesToAGeminiChannelOrIsEstimatedAndModelsAreListedPerKey() throws Exception {
        start();
        gemini.then(new FakeProvider.Status(200, "{\"totalTokens\":42}", Map.of()));
        HttpResponse<String> counted = post("/v1beta/models/flash:countTokens", hello());
        assertThat(counted.body()).isEqualTo("{\"totalTokens\":42}");
        assertThat(gemini.last().path()).isEqualTo("/v1beta/models/gemini-2.5-flash:countTokens");
        HttpResponse<String> estimated = post("/v1beta/models/claude:countTokens",
                "{\"contents\":[{\"parts\":[{\"text\":\"" + "abcd".repeat(25) + "\"}]}]}");
        assertThat(json(estimated).get("totalTokens").asLong())
                .isEqualTo(dev.junction.protocol.Tokens.count("abcd".repeat(25)));
        assertThat(anthropic.requestCount()).isZero();

        HttpResponse<String> all = gateway.get("/v1beta/models?key=" + TestGateway.KEY, null);
        assertThat(json(all).get("models").valueStream().map(m -> m.get("name").asString()))
                .containsExactly("models/flash", "models/claude");
        HttpResponse<String> narrow = gateway.get("/v1beta/models?key=sk-narrow", null);
        assertThat(json(narrow).get("models")).hasSize(1);
        assertThat(json(narrow).at("/models/0/supportedGenerationMethods").toString())
                .contains("generateContent");
        assertThat(json(gateway.get("/v1beta/models/flash?key=sk-narrow", null)).get("name").asString())
                .isEqualTo("models/flash");
        // A model the key may not use is a 403 here as on POST; an unknown one a 404.
        assertError(gateway.get("/v1beta/models/claude?key=sk-narrow", null), 403, "PERMISSION_DENIED");
        assertError(gateway.get("/v1beta/models/nope?key=" + TestGateway.KEY, null), 404, "NOT_FOUND");
        assertError(gateway.get("/v1beta/models", null), 401, "UNAUTHENTICATED");
    }
}
