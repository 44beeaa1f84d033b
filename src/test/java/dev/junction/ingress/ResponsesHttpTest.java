package dev.junction.ingress;

import static dev.junction.testing.FakeProvider.call;
import static dev.junction.testing.FakeProvider.text;
import static dev.junction.testing.FakeProvider.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeGemini;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.FakeResponses;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /v1/responses} over raw HTTP against anthropic, gemini and Responses-speaking openai channels. */
class ResponsesHttpTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String URL = "/v1/responses";

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private <T extends FakeProvider> T fake(T fake) {
        open.add(fake);
        return fake;
    }

    private void start(String channels) throws Exception {
        gateway = TestGateway.start(dir, "channels:\n" + channels);
    }

    static String responsesChannel(String name, FakeResponses fake, String models) {
        return """
                  - name: %s
                    type: openai
                    base_url: %s
                    api_key: sk-fake-%s
                    models: %s
                    responses: true
                """.formatted(name, fake.baseUrl(), name, models);
    }

    /** The events of an SSE body: event name and JSON, checking that both agree. */
    record Event(String name, JsonNode json) {
        String type() {
            return json.path("type").asString();
        }
    }

    static List<Event> events(String body) {
        List<Event> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            String name = null;
            String data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            if (data != null) {
                events.add(new Event(name, JSON.readTree(data)));
            }
        }
        return events;
    }

    private static String ask(String input, boolean stream) {
        return """
                {"model":"chat","input":%s,"stream":%s,"store":false,"tool_choice":"auto","parallel_tool_calls":true,
                 "include":["reasoning.encrypted_content"],"prompt_cache_key":"session-1",
                 "tools":[{"type":"function","name":"exec_command","description":"Runs a command",
                   "strict":false,"parameters":{"type":"object","properties":{"cmd":{"type":"string"}},
                   "required":["cmd"]}},{"type":"web_search"}]}
                """.formatted(input, stream);
    }

    @Test
    void streamsTheFullEventSequenceWithEventLinesFromAnAnthropicChannel() throws Exception {
        FakeAnthropic anthropic = fake(FakeAnthropic.start("sk-fake-claude"));
        start(TestGateway.channel("claude", anthropic, "{chat: claude-sonnet-4-5}", ""));
        anthropic.then(text("Hello there"));

        HttpResponse<String> response = gateway.post(URL, ask("""
                [{"type":"message","id":"msg_1","role":"developer","content":[{"type":"input_text","text":"Be brief."}]},
                 {"type":"message","id":"msg_2","role":"user","content":[{"type":"input_text","text":"say hi"}]}]""",
                true));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("text/event-stream"));
        List<Event> events = events(response.body());
        assertThat(events).allSatisfy(e -> assertThat(e.name()).isEqualTo(e.type()));
        assertThat(events.stream().map(Event::type).distinct()).containsExactly("response.created",
                "response.in_progress", "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.done", "response.content_part.done",
                "response.output_item.done", "response.completed");
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).json().path("sequence_number").asInt()).isEqualTo(i);
        }
        JsonNode completed = events.getLast().json().path("response");
        assertThat(completed.path("status").asString()).isEqualTo("completed");
        assertThat(completed.path("id").asString()).startsWith("resp_");
        assertThat(completed.at("/output/0/content/0/text").asString()).isEqualTo("Hello there");
        assertThat(completed.at("/usage/input_tokens").asLong()).isEqualTo(11);
        assertThat(completed.at("/usage/output_tokens").asLong()).isEqualTo(7);
        assertThat(completed.at("/usage/total_tokens").asLong()).isEqualTo(18);
        JsonNode sent = anthropic.last().body();
        assertThat(sent.path("system").toString()).contains("Be brief.");
        assertThat(sent.path("tools")).hasSize(1); // web_search is OpenAI's own; dropped for other providers
        assertThat(sent.at("/messages/0/content").toString()).contains("say hi");
        assertThat(gateway.usageRows().getFirst()).containsEntry("prompt_tokens", 11);
    }

    @Test
    void reportsReasoningAndCachedTokensAndSummaryEventsFromAGeminiChannel() throws Exception {
        FakeGemini gemini = fake(FakeGemini.start("sk-fake-gemini"));
        start(TestGateway.channel("gemini", gemini, "{chat: gemini-2.5-flash}", ""));
        gemini.then(new FakeProvider.Thinking("Let me think.", text("Forty-two")));

        HttpResponse<String> response = gateway.post(URL, """
                {"model":"chat","input":"What is the answer?","stream":true,"reasoning":{"effort":"low",
                 "summary":"auto"}}""");

        List<Event> events = events(response.body());
        assertThat(events.stream().map(Event::type)).contains("response.reasoning_summary_text.delta",
                "response.output_text.delta");
        assertThat(events.stream().filter(e -> e.type().equals("response.output_item.done"))
                .map(e -> e.json().at("/item/type").asString())).containsExactly("reasoning", "message");
        JsonNode usage = events.getLast().json().at("/response/usage");
        assertThat(events.getLast().type()).isEqualTo("response.completed");
        assertThat(usage.at("/output_tokens_details/reasoning_tokens").asLong()).isEqualTo(5);
        assertThat(usage.at("/input_tokens_details/cached_tokens").asLong()).isEqualTo(4);
        assertThat(events.getLast().json().at("/response/output/0/summary/0/text").asString())
                .isEqualTo("Let me think.");
    }

    @Test
    void functionCallRoundTripWithEchoedItemsUnderStoreFalse() throws Exception {
        FakeAnthropic anthropic = fake(FakeAnthropic.start("sk-fake-claude"));
        start(TestGateway.channel("claude", anthropic, "{chat: claude-sonnet-4-5}", ""));
        anthropic.then(toolCalls(call("exec_command", "{\"cmd\":\"echo hi\"}")), text("It printed hi."));

        List<Event> first = events(gateway.post(URL, ask("\"run echo hi\"", true)).body());
        JsonNode call = first.stream().filter(e -> e.type().equals("response.output_item.done")).findFirst()
                .orElseThrow().json().path("item");
        assertThat(call.path("type").asString()).isEqualTo("function_call");
        assertThat(call.path("name").asString()).isEqualTo("exec_command");
        assertThat(JSON.readTree(call.path("arguments").asString()).path("cmd").asString()).isEqualTo("echo hi");
        assertThat(first.stream().map(Event::type)).contains("response.function_call_arguments.delta",
                "response.function_call_arguments.done");
        assertThat(first.getLast().json().at("/response/output/0/call_id").asString())
                .isEqualTo(call.path("call_id").asString());

        ArrayNode input = JSON.createArrayNode();
        input.addObject().put("type", "message").put("id", "msg_u").put("role", "user").put("content", "run echo hi");
        input.add(call); // echoed as Codex does: id, call_id, status
        input.addObject().put("type", "function_call_output").put("id", "fco_1")
                .put("call_id", call.path("call_id").asString()).put("output", "hi\n");
        HttpResponse<String> second = gateway.post(URL, ask(input.toString(), false));

        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(second.body());
        assertThat(answer.path("object").asString()).isEqualTo("response");
        assertThat(answer.at("/output/0/content/0/text").asString()).isEqualTo("It printed hi.");
        JsonNode messages = anthropic.last().body().path("messages");
        assertThat(messages.get(1).at("/content/0/type").asString()).isEqualTo("tool_use");
        assertThat(messages.get(2).at("/content/0/type").asString()).isEqualTo("tool_result");
        assertThat(messages.get(2).at("/content/0/tool_use_id").asString())
                .isEqualTo(messages.get(1).at("/content/0/id").asString());
        assertThat(gateway.get(URL + "/" + answer.path("id").asString(), TestGateway.KEY).statusCode())
                .as("store: false keeps nothing").isEqualTo(404);
    }

    @Test
    void continuesFromAStoredResponseAndAnswers404ForAnUnknownOne() throws Exception {
        FakeGemini gemini = fake(FakeGemini.start("sk-fake-gemini"));
        start(TestGateway.channel("gemini", gemini, "{chat: gemini-2.5-flash}", ""));
        gemini.then(text("My name is Gem."), text("You asked my name."));

        JsonNode first = JSON.readTree(gateway.post(URL, """
                {"model":"chat","instructions":"Be nice.","input":"What is your name?"}""").body());
        String id = first.path("id").asString();
        HttpResponse<String> stored = gateway.get(URL + "/" + id, TestGateway.KEY);
        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(stored.body()).at("/output/0/content/0/text").asString()).isEqualTo("My name is Gem.");

        HttpResponse<String> second = gateway.post(URL, """
                {"model":"chat","previous_response_id":"%s","input":"What did I ask?"}""".formatted(id));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        JsonNode contents = gemini.last().body().path("contents");
        assertThat(contents).hasSize(3);
        assertThat(contents.get(0).toString()).contains("What is your name?");
        assertThat(contents.get(1).toString()).contains("My name is Gem.");
        assertThat(contents.get(2).toString()).contains("What did I ask?");

        HttpResponse<String> unknown = gateway.post(URL, """
                {"model":"chat","previous_response_id":"resp_nope","input":"hi"}""");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).at("/error/message").asString()).contains("resp_nope");
        assertThat(gemini.requestCount()).isEqualTo(2);
        assertThat(gateway.get(URL + "/resp_nope", TestGateway.KEY).statusCode()).isEqualTo(404);
    }

    @Test
    void aStreamCutAfterContentEndsWithResponseFailedAndNeverCompleted() throws Exception {
        FakeAnthropic anthropic = fake(FakeAnthropic.start("sk-fake-claude"));
        // the channel may not continue its own answer here: nothing can continue
        gateway = TestGateway.start(dir, "failover: { continue_same_channel: 0 }\nchannels:\n"
                + TestGateway.channel("claude", anthropic, "{chat: claude-sonnet-4-5}", ""));
        anthropic.then(new FakeProvider.BrokenStream(2, FakeProvider.Fault.CUT));

        List<Event> events = events(gateway.post(URL, ask("\"hi\"", true)).body());

        assertThat(events.stream().map(Event::type)).contains("response.output_text.delta")
                .doesNotContain("response.completed");
        Event last = events.getLast();
        assertThat(last.type()).isEqualTo("response.failed");
        assertThat(last.json().at("/response/status").asString()).isEqualTo("failed");
        assertThat(last.json().at("/response/error/message").asString()).contains("broke");
        assertThat(last.json().path("sequence_number").asInt()).isEqualTo(events.size() - 1);
    }

    @Test
    void passesThroughToAResponsesChannelWithOnlyTheModelChanged() throws Exception {
        FakeResponses upstream = fake(FakeResponses.start("sk-fake-oai"));
        start(responsesChannel("oai", upstream, "{chat: gpt-5-codex}"));
        upstream.then(new FakeProvider.Thinking("hmm", text("Passed")));
        upstream.tolerating("x_unknown"); // as an OpenAI-compatible server with extensions does

        String body = ask("\"hi\"", true).replace("\"store\":false", "\"store\":false,\"x_unknown\":{\"a\":1}");
        HttpResponse<String> response = gateway.post(URL, body);

        assertThat(response.statusCode()).isEqualTo(200);
        List<Event> events = events(response.body());
        assertThat(events.getLast().type()).isEqualTo("response.completed");
        assertThat(events.getLast().json().at("/response/usage/output_tokens_details/reasoning_tokens").asLong())
                .isEqualTo(3);
        JsonNode sent = upstream.last().body();
        assertThat(sent.path("model").asString()).isEqualTo("gpt-5-codex");
        assertThat(sent.path("x_unknown").path("a").asInt()).isEqualTo(1);
        assertThat(sent.path("tools")).hasSize(2); // web_search too: the upstream runs it
        assertThat(upstream.last().header("authorization")).isEqualTo("Bearer sk-fake-oai");
        assertThat(gateway.usageRows().getFirst()).containsEntry("completion_tokens", 7);
    }

    @Test
    void aPassThroughStreamCutEndsWithResponseFailed() throws Exception {
        FakeResponses upstream = fake(FakeResponses.start("sk-fake-oai"));
        gateway = TestGateway.start(dir, "failover: { continue_same_channel: 0 }\nchannels:\n"
                + responsesChannel("oai", upstream, "{chat: gpt-5-codex}"));
        upstream.then(new FakeProvider.BrokenStream(2, FakeProvider.Fault.CUT));

        List<Event> events = events(gateway.post(URL, ask("\"hi\"", true)).body());

        assertThat(events.stream().map(Event::type)).contains("response.output_text.delta")
                .doesNotContain("response.completed");
        assertThat(events.getLast().type()).isEqualTo("response.failed");
        assertThat(events.getLast().json().path("sequence_number").asInt())
                .isGreaterThan(events.get(events.size() - 2).json().path("sequence_number").asInt());
    }

    @Test
    void previousResponseIdOfAPassThroughAnswerIsExpandedForTheUpstream() throws Exception {
        FakeResponses upstream = fake(FakeResponses.start("sk-fake-oai"));
        start(responsesChannel("oai", upstream, "{chat: gpt-5-codex}"));
        upstream.then(text("first"), text("second"));

        JsonNode first = JSON.readTree(gateway.post(URL, "{\"model\":\"chat\",\"input\":\"one\"}").body());
        HttpResponse<String> second = gateway.post(URL, """
                {"model":"chat","input":"two","previous_response_id":"%s"}""".formatted(first.path("id").asString()));

        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        JsonNode sent = upstream.last().body();
        assertThat(sent.has("previous_response_id")).isFalse();
        assertThat(sent.path("input")).hasSize(3);
        assertThat(sent.at("/input/1/content/0/text").asString()).isEqualTo("first");
    }

    @Test
    void refusesMalformedRequestsInOpenAiShape() throws Exception {
        FakeAnthropic anthropic = fake(FakeAnthropic.start("sk-fake-claude"));
        start(TestGateway.channel("claude", anthropic, "{chat: claude-sonnet-4-5}", ""));

        assertThat(gateway.post(URL, "{\"model\":\"chat\"}").statusCode()).isEqualTo(400);
        assertThat(gateway.post(URL, "{\"input\":\"x\"}").statusCode()).isEqualTo(400);
        assertThat(gateway.post(URL, "{\"model\":\"chat\",\"input\":\"x\"}", "wrong-key").statusCode()).isEqualTo(401);
        HttpResponse<String> unknownItem = gateway.post(URL, """
                {"model":"chat","input":[{"type":"item_reference","id":"x"}]}""");
        assertThat(unknownItem.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknownItem.body()).at("/error/type").asString()).isEqualTo("invalid_request_error");
        assertThat(anthropic.requestCount()).isZero();
    }
}
