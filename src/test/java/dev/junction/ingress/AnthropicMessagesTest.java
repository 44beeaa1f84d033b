package dev.junction.ingress;

import static dev.junction.testing.FakeProvider.call;
import static dev.junction.testing.FakeProvider.status;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /v1/messages} through the real gateway with raw HTTP, as Claude Code speaks it: error
 * shapes, byte pass-through to an Anthropic channel, translation to a Gemini channel with the
 * exact event grammar, count_tokens and the Anthropic models list.
 */
class AnthropicMessagesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern EVENT = Pattern.compile("event: (\\S+)\ndata: (.*)\n\n");

    @TempDir
    static Path dir;

    static FakeAnthropic anthropic;
    static FakeGemini gemini;
    static TestGateway gateway;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        anthropic = FakeAnthropic.start("sk-fake-claude");
        gemini = FakeGemini.start("sk-fake-gemini");
        gateway = TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("claude", anthropic, "{claude: claude-sonnet-4-5}", "")
                + TestGateway.channel("gemini", gemini, "{gemini: gemini-2.5-flash}", ""));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        anthropic.close();
        gemini.close();
    }

    @BeforeEach
    void reset() {
        anthropic.always(text("Hello from the fake."));
        gemini.always(text("Hello from the fake."));
    }

    static HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json").header("anthropic-version", "2023-06-01");
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String body) throws Exception {
        return post("/v1/messages?beta=true", body, Map.of("x-api-key", TestGateway.KEY));
    }

    static String request(String model, boolean stream, String messages) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":1024,\"stream\":" + stream
                + ",\"tools\":[{\"name\":\"Bash\",\"description\":\"Run a command\",\"input_schema\":{\"$schema\":"
                + "\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\",\"properties\":{\"command\":"
                + "{\"type\":\"string\"}},\"required\":[\"command\"]}}],\"messages\":" + messages + "}";
    }

    static final String HELLO = "[{\"role\":\"user\",\"content\":\"Say hello\"}]";

    /** The events of a stream: name and data, in order. */
    record Event(String name, JsonNode data) {
    }

    static List<Event> events(String body) {
        List<Event> events = new ArrayList<>();
        Matcher m = EVENT.matcher(body);
        while (m.find()) {
            events.add(new Event(m.group(1), JSON.readTree(m.group(2))));
        }
        return events;
    }

    static void assertError(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("type").asString()).isEqualTo("error");
        assertThat(body.path("error").path("type").asString()).isEqualTo(type);
        assertThat(body.path("error").path("message").asString()).isNotBlank();
    }

    // --- errors -------------------------------------------------------------------------------------

    @Test
    void gatewayErrorsUseAnthropicsShapeAndStatus() throws Exception {
        int before = anthropic.requestCount() + gemini.requestCount();
        assertError(post("/v1/messages", request("claude", false, HELLO), Map.of()), 401, "authentication_error");
        assertError(post("/v1/messages", request("claude", false, HELLO), Map.of("x-api-key", "sk-wrong")), 401,
                "authentication_error");
        assertError(post("{not json"), 400, "invalid_request_error");
        assertError(post("{\"max_tokens\":5,\"messages\":[]}"), 400, "invalid_request_error");
        assertError(post("{\"model\":\"claude\",\"max_tokens\":5}"), 400, "invalid_request_error");
        assertError(post("{\"model\":\"claude\",\"messages\":" + HELLO + "}"), 400, "invalid_request_error");
        assertError(post(request("no-such-model", false, HELLO)), 404, "not_found_error");
        assertThat(anthropic.requestCount() + gemini.requestCount()).isEqualTo(before);
    }

    @Test
    void aProviderRejectionIsRelayedInAnthropicsShape() throws Exception {
        gemini.then(new FakeProvider.Status(400, "{\"error\":{\"code\":400,\"message\":\"Bad schema\","
                + "\"status\":\"INVALID_ARGUMENT\"}}", Map.of()));
        HttpResponse<String> response = post(request("gemini", false, HELLO));
        assertError(response, 400, "invalid_request_error");
        assertThat(response.body()).contains("Bad schema");
    }

    @Test
    void unknownPathsStillAnswerInOpenAisShape() throws Exception {
        HttpResponse<String> response = post("/v1/messagez", "{}", Map.of("x-api-key", TestGateway.KEY));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).path("error").has("code")).isTrue();
    }

    // --- pass-through -------------------------------------------------------------------------------

    @Test
    void passThroughKeepsEveryByteButTheModelAndForwardsVersionAndBetas() throws Exception {
        String body = "{\"model\":\"claude\", \"max_tokens\":1024,\"context_management\":{\"edits\":[{\"type\":"
                + "\"clear_thinking_20251015\",\"keep\":\"all\"}]},\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"Say hello\",\"cache_control\":{\"type\":\"ephemeral\"}}]}],"
                + "\"metadata\":{\"user_id\":\"{\\\"session_id\\\":\\\"abc\\\"}\"}}";
        HttpResponse<String> response = post("/v1/messages", body, Map.of("authorization", "Bearer " + TestGateway.KEY,
                "anthropic-beta", "claude-code-20250219,context-management-2025-06-27"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        FakeProvider.Received received = anthropic.last();
        assertThat(received.path()).isEqualTo("/v1/messages");
        assertThat(received.header("x-api-key")).isEqualTo("sk-fake-claude");
        assertThat(received.header("authorization")).isNull();
        assertThat(received.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(received.header("anthropic-beta")).isEqualTo("claude-code-20250219,context-management-2025-06-27");
        assertThat(JsonTree.of(received.body())).isEqualTo(JsonTree.of(body.replace("\"model\":\"claude\"",
                "\"model\":\"claude-sonnet-4-5\"")));
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("id").asString()).startsWith("msg_fake_");
        assertThat(answer.path("content").get(0).path("text").asString()).isEqualTo("Hello from the fake.");
        String requestId = response.headers().firstValue("x-request-id").orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Map<String, Object> row = null;
        while (row == null && System.nanoTime() < deadline) {
            row = gateway.usageRows(1).stream().filter(r -> requestId.equals(r.get("request_id"))).findFirst()
                    .orElse(null);
        }
        assertThat(row).isNotNull();
        assertThat(((Number) row.get("prompt_tokens")).longValue()).isEqualTo(11L);
    }

    @Test
    void passThroughStreamsTheProvidersEventsAsTheyCame() throws Exception {
        anthropic.then(new FakeProvider.Thinking("Let me think.", toolCalls(call("Bash", "{\"command\":\"echo hi\"}"))));
        String body = request("claude", true, HELLO).replace("\"max_tokens\":1024",
                "\"max_tokens\":4096,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}");
        HttpResponse<String> response = post(body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        List<String> names = events(response.body()).stream().map(Event::name).toList();
        assertThat(names).startsWith("message_start", "ping", "content_block_start").endsWith("message_delta",
                "message_stop");
        assertThat(events(response.body())).extracting(e -> e.data().at("/delta/type").asString(""))
                .contains("signature_delta", "input_json_delta");
    }

    @Test
    void passThroughStreamErrorAfterContentEndsWithAnErrorEvent() throws Exception {
        anthropic.then(new FakeProvider.BrokenStream(2, FakeProvider.Fault.CUT));
        HttpResponse<String> response = post(request("claude", true, HELLO));
        List<Event> events = events(response.body());
        assertThat(events.getLast().name()).isEqualTo("error");
        assertThat(events).extracting(Event::name).doesNotContain("message_stop");
    }

    // --- translation --------------------------------------------------------------------------------

    @Test
    void translatedStreamHasAnthropicsGrammarWithThinkingTextAndToolUse() throws Exception {
        gemini.then(new FakeProvider.Thinking("Considering.", new FakeProvider.ToolCalls("Running it.",
                List.of(call("Bash", "{\"command\":\"echo hi\"}")))));
        String body = request("gemini", true, HELLO).replace("\"max_tokens\":1024",
                "\"max_tokens\":32000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":31999}");
        HttpResponse<String> response = post(body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<Event> events = events(response.body());
        assertThat(events.getFirst().name()).isEqualTo("message_start");
        assertThat(events.getFirst().data().path("message").path("id").asString()).startsWith("msg_");
        assertThat(events.getLast().name()).isEqualTo("message_stop");
        assertGrammar(events);
        List<String> blocks = events.stream().filter(e -> e.name().equals("content_block_start"))
                .map(e -> e.data().path("content_block").path("type").asString()).toList();
        assertThat(blocks).containsExactly("thinking", "text", "tool_use");
        JsonNode toolStart = events.stream().filter(e -> e.name().equals("content_block_start")
                && e.data().path("content_block").path("type").asString().equals("tool_use")).findFirst()
                .orElseThrow().data();
        assertThat(toolStart.path("index").asInt()).isEqualTo(2);
        assertThat(toolStart.path("content_block").path("name").asString()).isEqualTo("Bash");
        String arguments = events.stream().filter(e -> e.data().path("delta").path("type").asString()
                .equals("input_json_delta")).map(e -> e.data().path("delta").path("partial_json").asString())
                .reduce("", String::concat);
        assertThat(arguments).as(response.body()).isNotEmpty();
        assertThat(JSON.readTree(arguments)).isEqualTo(JSON.readTree("{\"command\":\"echo hi\"}"));
        JsonNode delta = events.get(events.size() - 2).data();
        assertThat(delta.path("delta").path("stop_reason").asString()).isEqualTo("tool_use");
        assertThat(delta.path("usage").path("output_tokens").asLong()).isPositive();
        // The translated request: tool schema without $schema, thinking as Gemini's thinking config.
        JsonNode sent = gemini.last().body();
        assertThat(sent.toString()).doesNotContain("$schema");
        assertThat(sent.path("generationConfig").has("thinkingConfig")).isTrue();
    }

    /** Every block starts, gets deltas and stops under one index, indices run 0, 1, 2…, no overlap. */
    static void assertGrammar(List<Event> events) {
        int next = 0;
        Integer open = null;
        for (Event event : events) {
            switch (event.name()) {
                case "content_block_start" -> {
                    assertThat(open).as("a block is still open").isNull();
                    assertThat(event.data().path("index").asInt()).isEqualTo(next);
                    open = next++;
                }
                case "content_block_delta" -> assertThat(event.data().path("index").asInt()).isEqualTo(open);
                case "content_block_stop" -> {
                    assertThat(event.data().path("index").asInt()).isEqualTo(open);
                    open = null;
                }
                default -> assertThat(event.name()).isIn("message_start", "message_delta", "message_stop", "ping");
            }
            assertThat(event.data().path("type").asString()).isEqualTo(event.name());
        }
        assertThat(open).isNull();
    }

    @Test
    void translatedWholeAnswerIsAMessageWithToolUseInput() throws Exception {
        gemini.then(toolCalls(call("Bash", "{\"command\":\"echo hi\"}")));
        HttpResponse<String> response = post(request("gemini", false, HELLO));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode message = JSON.readTree(response.body());
        assertThat(message.path("type").asString()).isEqualTo("message");
        assertThat(message.path("role").asString()).isEqualTo("assistant");
        assertThat(message.path("id").asString()).startsWith("msg_");
        assertThat(message.path("stop_reason").asString()).isEqualTo("tool_use");
        JsonNode use = message.path("content").get(message.path("content").size() - 1);
        assertThat(use.path("type").asString()).isEqualTo("tool_use");
        assertThat(use.path("input")).isEqualTo(JSON.readTree("{\"command\":\"echo hi\"}"));
        assertThat(use.path("id").asString()).isNotBlank();
        assertThat(message.path("usage").path("input_tokens").asLong()).isPositive();
    }

    @Test
    void severalToolResultsInOneTurnAndAMidConversationSystemMessageReachGemini() throws Exception {
        String messages = "[{\"role\":\"user\",\"content\":\"List two dirs\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Both.\"},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"Bash\",\"input\":{\"command\":\"ls a\"}},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_02\",\"name\":\"Bash\",\"input\":{\"command\":\"ls b\"}}]},"
                + "{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01\","
                + "\"content\":\"x.txt\",\"cache_control\":{\"type\":\"ephemeral\"}},{\"type\":\"tool_result\","
                + "\"tool_use_id\":\"toolu_02\",\"content\":[{\"type\":\"text\",\"text\":\"no such dir\"}],"
                + "\"is_error\":true}]}]";
        HttpResponse<String> response = post(request("gemini", false, messages));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode sent = gemini.last().body();
        assertThat(sent.path("systemInstruction").toString()).contains("Be brief.");
        List<JsonNode> results = new ArrayList<>();
        sent.path("contents").forEach(content -> content.path("parts").forEach(part -> {
            if (part.has("functionResponse")) {
                results.add(part.path("functionResponse"));
            }
        }));
        assertThat(results).hasSize(2);
        assertThat(results.get(0).toString()).contains("x.txt");
        assertThat(results.get(1).toString()).contains("no such dir").contains("Error");
    }

    @Test
    void aTranslatedStreamCutAfterContentEndsWithAnErrorEventAndNoMessageStop() throws Exception {
        gemini.then(new FakeProvider.BrokenStream(2, FakeProvider.Fault.CUT));
        HttpResponse<String> response = post(request("gemini", true, HELLO));
        assertThat(response.statusCode()).isEqualTo(200);
        List<Event> events = events(response.body());
        assertThat(events.getFirst().name()).isEqualTo("message_start");
        assertThat(events).extracting(Event::name).contains("content_block_delta").doesNotContain("message_stop",
                "message_delta");
        Event last = events.getLast();
        assertThat(last.name()).isEqualTo("error");
        assertThat(last.data().path("type").asString()).isEqualTo("error");
        assertThat(last.data().path("error").path("type").asString()).isEqualTo("api_error");
    }

    // --- count_tokens and models --------------------------------------------------------------------

    @Test
    void countTokensGoesToAnthropicOrIsEstimated() throws Exception {
        String body = "{\"model\":\"claude\",\"messages\":" + HELLO + "}";
        HttpResponse<String> counted = post("/v1/messages/count_tokens", body, Map.of("x-api-key", TestGateway.KEY));
        assertThat(counted.statusCode()).as(counted.body()).isEqualTo(200);
        assertThat(JSON.readTree(counted.body()).path("input_tokens").asInt()).isEqualTo(FakeAnthropic.COUNTED_TOKENS);
        assertThat(anthropic.last().path()).isEqualTo(FakeAnthropic.COUNT_TOKENS);
        int geminiCalls = gemini.requestCount();
        HttpResponse<String> estimated = post("/v1/messages/count_tokens", body.replace("claude", "gemini"),
                Map.of("x-api-key", TestGateway.KEY));
        assertThat(estimated.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(estimated.body()).path("input_tokens").asInt()).isPositive();
        assertThat(gemini.requestCount()).isEqualTo(geminiCalls);
        assertError(post("/v1/messages/count_tokens", body, Map.of()), 401, "authentication_error");
    }

    @Test
    void countTokensIsEstimatedWhenTheAnthropicChannelCannotCount(@TempDir Path own) throws Exception {
        // Its own channel: the failures below cool it down and open its breaker.
        try (FakeAnthropic lacking = FakeAnthropic.start("sk-fake-claude");
                TestGateway counting = TestGateway.start(own, "channels:\n"
                        + TestGateway.channel("claude", lacking, "{claude: claude-sonnet-4-5}", ""))) {
            String body = "{\"model\":\"claude\",\"messages\":" + HELLO + "}";
            HttpRequest.Builder count = HttpRequest.newBuilder(URI.create(counting.baseUrl()
                    + "/v1/messages/count_tokens")).POST(HttpRequest.BodyPublishers.ofString(body))
                    .header("x-api-key", TestGateway.KEY).header("anthropic-version", "2023-06-01");
            // A refusal of the request itself is the client's to see.
            lacking.then(status(400));
            HttpResponse<String> refused = HTTP.send(count.build(), HttpResponse.BodyHandlers.ofString());
            assertError(refused, 400, "invalid_request_error");
            // An Anthropic-compatible endpoint without count_tokens (404), one at its limit (429), one
            // that is down (503, whose Retry-After must not reach the estimate): an estimate.
            for (FakeProvider.Status failure : List.of(status(404), status(429),
                    status(503, Map.of("retry-after", "7")))) {
                lacking.always(failure);
                int calls = lacking.requestCount();
                HttpResponse<String> response = HTTP.send(count.build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(failure + ": " + response.body()).isEqualTo(200);
                assertThat(JSON.readTree(response.body()).path("input_tokens").asInt()).isPositive()
                        .isNotEqualTo(FakeAnthropic.COUNTED_TOKENS);
                assertThat(response.headers().firstValue("retry-after")).isEmpty();
                if (failure.code() != 429) {
                    assertThat(lacking.requestCount()).as("the channel was asked first").isGreaterThan(calls);
                }
            }
        }
    }

    @Test
    void modelsListTakesAnthropicsShapeForAnthropicClients() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
                + "/v1/models")).header("x-api-key", TestGateway.KEY).header("anthropic-version", "2023-06-01")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode list = JSON.readTree(response.body());
        assertThat(list.path("data").get(0).path("type").asString()).isEqualTo("model");
        assertThat(list.path("data").get(0).has("display_name")).isTrue();
        assertThat(list.path("data").get(0).has("created_at")).isTrue();
        assertThat(list.path("has_more").asBoolean(true)).isFalse();
        assertThat(list.path("first_id").asString()).isEqualTo("claude");
        assertThat(list.path("last_id").asString()).isEqualTo("gemini");
        JsonNode openai = JSON.readTree(gateway.get("/v1/models", TestGateway.KEY).body());
        assertThat(openai.path("object").asString()).isEqualTo("list");
    }
}
