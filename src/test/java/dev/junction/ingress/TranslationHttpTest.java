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
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Translated channels over raw HTTP, where the exact wire matters: stream framing, the commit rule
 * and failover across channel types, error shapes, usage records, and the thinking-signature round
 * trip that the SDK does not expose.
 */
class TranslationHttpTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String URL = "/v1/chat/completions";

    @TempDir
    Path dir;

    private FakeAnthropic anthropic;
    private FakeGemini gemini;
    private TestGateway gateway;

    /** Public model "chat": the anthropic channel first (priority 10), then the gemini channel. */
    private void start(String anthropicExtra) throws Exception {
        anthropic = FakeAnthropic.start("sk-fake-claude");
        gemini = FakeGemini.start("sk-fake-gemini");
        gateway = TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("claude", anthropic, "{chat: claude-sonnet-4-5}", "priority: 10\n"
                        + anthropicExtra)
                + TestGateway.channel("gemini", gemini, "{chat: gemini-2.5-flash}", ""));
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (anthropic != null) {
            anthropic.close();
        }
        if (gemini != null) {
            gemini.close();
        }
    }

    private static String body(boolean stream, String extra) {
        return "{\"model\":\"chat\",\"stream\":" + stream + extra
                + ",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Say hi\"}]}";
    }

    private static List<String> data(HttpResponse<String> response) {
        return response.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
    }

    private static List<JsonNode> chunks(HttpResponse<String> response) {
        return data(response).stream().filter(d -> !d.equals("[DONE]")).map(JSON::readTree).toList();
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    // --- stream framing -------------------------------------------------------------------------------

    @Test
    void aStreamWithoutIncludeUsageHasNoUsageChunkButTheUsageIsRecorded() throws Exception {
        start("");
        anthropic.then(new FakeProvider.Text("one two three", 3, 12, 5));
        HttpResponse<String> response = gateway.post(URL, body(true, ""));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct)
                .startsWith("text/event-stream"));
        assertThat(response.headers().firstValue("x-junction-channel")).contains("claude");
        assertThat(data(response).getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = chunks(response);
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.get("object").asString()).isEqualTo("chat.completion.chunk");
            assertThat(c.has("usage")).isFalse();
            assertThat(c.get("choices")).hasSize(1);
        });
        assertThat(chunks.stream().filter(c -> c.at("/choices/0/delta").has("role"))).hasSize(1);
        assertThat(chunks.getFirst().at("/choices/0/delta/role").asString()).isEqualTo("assistant");
        assertThat(chunks.stream().filter(c -> !c.at("/choices/0/finish_reason").isNull())).hasSize(1);
        assertThat(chunks.getLast().at("/choices/0/finish_reason").asString()).isEqualTo("stop");
        assertThat(chunks.stream().map(c -> c.at("/choices/0/delta/content").asString(""))
                .reduce("", String::concat)).isEqualTo("one two three");
        assertThat(chunks).extracting(c -> c.get("id").asString()).containsOnly(chunks.getFirst().get("id").asString());
        assertThat(anthropic.last().body().get("system").asString()).isEqualTo("Be brief.");
        Map<String, Object> row = gateway.usageRows().getFirst();
        assertThat(row).containsEntry("prompt_tokens", 12).containsEntry("completion_tokens", 5)
                .containsEntry("end_reason", "done").containsEntry("channel", "claude")
                .containsEntry("upstream_model", "claude-sonnet-4-5").containsEntry("stream", 1);
    }

    @Test
    void aStreamCutAfterContentEndsWithAnErrorEventAndNoDone() throws Exception {
        start("");
        anthropic.then(new FakeProvider.BrokenStream(2, FakeProvider.Fault.CUT));
        // the other channel cannot continue the answer either (ContinuationTest covers when it can)
        gemini.always(FakeProvider.status(503));
        HttpResponse<String> response = gateway.post(URL, body(true, ""));
        List<String> data = data(response);
        assertThat(data).anyMatch(d -> d.contains("part1")).doesNotContain("[DONE]");
        assertThat(JSON.readTree(data.getLast()).at("/error/message").asString())
                .contains("broke before the answer was complete");
        assertThat(gemini.requestCount()).as("asked to continue").isEqualTo(1);
        assertThat(gateway.usageRows().getFirst()).containsEntry("end_reason", "upstream_cut");
    }

    @Test
    void aProviderErrorEventAfterContentEndsTheStreamWithAnErrorEvent() throws Exception {
        start("");
        gemini.then(new FakeProvider.BrokenStream(1, FakeProvider.Fault.ERROR_EVENT));
        anthropic.then(new FakeProvider.Status(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                + "\"message\":\"Overloaded\"}}", Map.of()));
        List<String> data = data(gateway.post(URL, body(true, "")));
        assertThat(data).doesNotContain("[DONE]");
        assertThat(data.getLast()).contains("\"error\"").contains("overloaded");
    }

    @Test
    void aMalformedEventAfterContentEndsWithAnErrorEvent() throws Exception {
        start("");
        anthropic.then(new FakeProvider.BrokenStream(1, FakeProvider.Fault.MALFORMED));
        gemini.always(FakeProvider.status(503));
        List<String> data = data(gateway.post(URL, body(true, "")));
        assertThat(data).doesNotContain("[DONE]");
        assertThat(data.getLast()).contains("malformed");
    }

    // --- failover across channel types ------------------------------------------------------------

    @Test
    void failsOverFromAnAnthropicChannelToAGeminiChannel() throws Exception {
        start("");
        // Rate limits last: they rest the key, and the channel would not be tried again at once.
        for (FakeProvider.Reply fault : List.of(new FakeProvider.Status(529, "{\"type\":\"error\",\"error\":"
                + "{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}", Map.of()), new FakeProvider.Reset(),
                new FakeProvider.Garbage(), new FakeProvider.Status(429, "{\"type\":\"error\",\"error\":{\"type\":"
                        + "\"rate_limit_error\",\"message\":\"slow down\"}}", Map.of("retry-after", "3")))) {
            anthropic.then(fault);
            gemini.then(text("from gemini"));
            HttpResponse<String> response = gateway.post(URL, body(false, ""));
            assertThat(response.statusCode()).as("after %s", fault).isEqualTo(200);
            assertThat(json(response).at("/choices/0/message/content").asString()).isEqualTo("from gemini");
            assertThat(response.headers().firstValue("x-junction-channel")).contains("gemini");
            assertThat(response.headers().firstValue("x-junction-attempts")).contains("2");
        }
        assertThat(gemini.last().body().at("/systemInstruction/parts/0/text").asString()).isEqualTo("Be brief.");
    }

    @Test
    void aStreamThatFailsBeforeContentFailsOverInvisiblyAcrossTypes() throws Exception {
        start("");
        anthropic.then(new FakeProvider.BrokenStream(0, FakeProvider.Fault.ERROR_EVENT));
        gemini.then(text("clean answer"));
        HttpResponse<String> response = gateway.post(URL, body(true, ""));
        assertThat(response.headers().firstValue("x-junction-channel")).contains("gemini");
        List<JsonNode> chunks = chunks(response);
        assertThat(chunks.stream().filter(c -> c.at("/choices/0/delta").has("role"))).hasSize(1);
        assertThat(chunks.stream().map(c -> c.at("/choices/0/delta/content").asString(""))
                .reduce("", String::concat)).isEqualTo("clean answer");
        assertThat(data(response).getLast()).isEqualTo("[DONE]");
        assertThat((String) gateway.usageRows().getFirst().get("attempts")).contains("overloaded_error");
    }

    @Test
    void aMalformedGeminiFunctionCallFailsOver() throws Exception {
        gemini = FakeGemini.start(null);
        anthropic = FakeAnthropic.start(null);
        gateway = TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("gemini", gemini, "{chat: gemini-2.5-flash}", "priority: 10")
                + TestGateway.channel("claude", anthropic, "{chat: claude-sonnet-4-5}", ""));
        gemini.then(new FakeProvider.Status(200, "{\"candidates\":[{\"finishReason\":\"MALFORMED_FUNCTION_CALL\","
                + "\"index\":0}],\"modelVersion\":\"gemini-2.5-flash\"}", Map.of()));
        HttpResponse<String> response = gateway.post(URL, body(false, ""));
        assertThat(response.headers().firstValue("x-junction-channel")).contains("claude");
    }

    // --- errors ------------------------------------------------------------------------------------

    @Test
    void providerErrorsAreRelayedInOpenAisShapeWithTheProvidersMessage() throws Exception {
        start("");
        anthropic.then(new FakeProvider.Status(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"message\":\"messages.1.content.0.image.source.base64.data: The image was specified using the "
                + "image/png media type, but the image appears to be a image/gif image\"}}", Map.of()));
        HttpResponse<String> response = gateway.post(URL, body(false, ""));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JsonTree.of(json(response).get("error")))
                .isEqualTo(JsonTree.of("{\"message\":\"messages.1.content.0.image.source."
                + "base64.data: The image was specified using the image/png media type, but the image appears to be a "
                + "image/gif image\",\"type\":\"invalid_request_error\",\"param\":null,"
                + "\"code\":\"invalid_request_error\"}"));
        assertThat(gemini.requestCount()).isZero();
        assertThat(gateway.usageRows().getFirst()).containsEntry("end_reason", "upstream_rejected");
    }

    @Test
    void everyTranslatedChannelFailingGives503ListingTheProvidersMessages() throws Exception {
        start("");
        anthropic.always(new FakeProvider.Status(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                + "\"message\":\"Overloaded\"}}", Map.of()));
        gemini.always(new FakeProvider.Status(503, "{\"error\":{\"code\":503,\"message\":\"The model is overloaded.\","
                + "\"status\":\"UNAVAILABLE\"}}", Map.of()));
        HttpResponse<String> response = gateway.post(URL, body(false, ""));
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).at("/error/message").asString())
                .contains("claude: HTTP 529 (overloaded_error: Overloaded)")
                .contains("gemini: HTTP 503 (UNAVAILABLE: The model is overloaded.)");
    }

    @Test
    void aRequestTheProviderCannotExpressIsRefusedWithoutCallingIt() throws Exception {
        start("");
        HttpResponse<String> response = gateway.post(URL, body(false, ",\"n\":2"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).at("/error/message").asString()).contains("'n' greater than 1");
        assertThat(anthropic.requestCount() + gemini.requestCount()).isZero();
    }

    // --- reasoning round trip -------------------------------------------------------------------------

    /** A tool loop with thinking on: the signed thinking block must come back, first, in the assistant turn. */
    @Test
    void thinkingBlocksRoundTripThroughAToolLoop() throws Exception {
        start("");
        anthropic.then(new FakeProvider.Thinking("I need the weather.", toolCalls(call("get_weather",
                "{\"city\":\"Paris\"}"))), new FakeProvider.Thinking("Done.", text("21 degrees in Paris.")));
        String tools = ",\"reasoning_effort\":\"medium\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":"
                + "\"get_weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":"
                + "{\"type\":\"string\"}}}}}]";
        JsonNode first = json(gateway.post(URL, body(false, tools)));
        JsonNode message = first.at("/choices/0/message");
        assertThat(message.get("reasoning_content").asString()).isEqualTo("I need the weather.");
        assertThat(message.at("/thinking_blocks/0/signature").asString()).isNotEmpty();
        assertThat(first.at("/choices/0/finish_reason").asString()).isEqualTo("tool_calls");
        ObjectNode next = (ObjectNode) JSON.readTree(body(false, tools));
        ArrayNode messages = (ArrayNode) next.get("messages");
        messages.add(message);
        messages.addObject().put("role", "tool").put("tool_call_id", message.at("/tool_calls/0/id").asString())
                .put("content", "21 degrees");
        HttpResponse<String> second = gateway.post(URL, next.toString());
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(json(second).at("/choices/0/message/content").asString()).isEqualTo("21 degrees in Paris.");
        JsonNode replayed = anthropic.last().body().at("/messages/1/content");
        assertThat(replayed.get(0).get("type").asString()).isEqualTo("thinking");
        assertThat(replayed.get(1).get("type").asString()).isEqualTo("tool_use");
        assertThat(anthropic.last().body().has("thinking")).isTrue();

        // A client that drops thinking_blocks still gets an answer: thinking is left off for that turn.
        anthropic.then(text("Still 21."));
        ((ObjectNode) messages.get(2)).remove("thinking_blocks");
        HttpResponse<String> third = gateway.post(URL, next.toString());
        assertThat(third.statusCode()).as(third.body()).isEqualTo(200);
        assertThat(anthropic.last().body().has("thinking")).isFalse();
    }

    @Test
    void streamedThinkingCarriesItsSignature() throws Exception {
        start("");
        anthropic.then(new FakeProvider.Thinking("Hmm.", text("Hi.")));
        List<JsonNode> chunks = chunks(gateway.post(URL, body(true, ",\"reasoning_effort\":\"low\"")));
        assertThat(chunks.stream().map(c -> c.at("/choices/0/delta/reasoning_content").asString(""))
                .reduce("", String::concat)).isEqualTo("Hmm.");
        assertThat(chunks).anyMatch(c -> c.at("/choices/0/delta/thinking_blocks/0/signature").asString("")
                .startsWith("sig_"));
    }

    // --- structured output and prompt blocks ------------------------------------------------------------

    @Test
    void aJsonSchemaAnswerComesFromAForcedToolOnAnthropicAndAResponseSchemaOnGemini() throws Exception {
        start("");
        String format = ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"weather\","
                + "\"strict\":true,\"schema\":{\"type\":\"object\",\"properties\":{\"temp\":{\"type\":\"integer\"}},"
                + "\"required\":[\"temp\"],\"additionalProperties\":false}}}";
        anthropic.then(toolCalls(call("json_response", "{\"temp\":21}")), toolCalls(call("json_response",
                "{\"temp\":22}")));
        JsonNode whole = json(gateway.post(URL, body(false, format)));
        assertThat(JsonTree.of(whole.at("/choices/0/message/content").asString()))
                .isEqualTo(JsonTree.of("{\"temp\":21}"));
        assertThat(whole.at("/choices/0/message").has("tool_calls")).isFalse();
        assertThat(whole.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
        assertThat(JsonTree.of(anthropic.last().body().get("tool_choice")))
                .isEqualTo(JsonTree.of("{\"type\":\"tool\",\"name\":\"json_response\"}"));
        List<JsonNode> chunks = chunks(gateway.post(URL, body(true, format)));
        assertThat(JsonTree.of(chunks.stream().map(c -> c.at("/choices/0/delta/content").asString(""))
                .reduce("", String::concat))).isEqualTo(JsonTree.of("{\"temp\":22}"));
        assertThat(chunks.getLast().at("/choices/0/finish_reason").asString()).isEqualTo("stop");

        anthropic.then(new FakeProvider.Status(529, "{}", Map.of()));
        gemini.then(text("{\"temp\":23}"));
        assertThat(json(gateway.post(URL, body(false, format))).at("/choices/0/message/content").asString())
                .isEqualTo("{\"temp\":23}");
        JsonNode config = gemini.last().body().get("generationConfig");
        assertThat(config.get("responseMimeType").asString()).isEqualTo("application/json");
        assertThat(JsonTree.of(config.get("responseSchema")))
                .isEqualTo(JsonTree.of("{\"type\":\"object\",\"properties\":"
                + "{\"temp\":{\"type\":\"integer\"}},\"required\":[\"temp\"]}"));
    }

    @Test
    void aGeminiPromptBlockIsAContentFilterFinish() throws Exception {
        gemini = FakeGemini.start(null);
        gateway = TestGateway.start(dir, "channels:\n" + TestGateway.channel("gemini", gemini, "[chat]", ""));
        gemini.then(new FakeProvider.Status(200, "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},"
                + "\"usageMetadata\":{\"promptTokenCount\":8,\"totalTokenCount\":8},\"modelVersion\":\"chat\"}",
                Map.of()));
        JsonNode answer = json(gateway.post(URL, body(false, "")));
        assertThat(answer.at("/choices/0/finish_reason").asString()).isEqualTo("content_filter");
        assertThat(answer.at("/choices/0/message/refusal").asString()).contains("blockReason: SAFETY");
        assertThat(answer.at("/usage/prompt_tokens").asInt()).isEqualTo(8);
    }

    // --- channel quirks on translated channels ------------------------------------------------------

    @Test
    void dropParamsAndDefaultsApplyToTranslatedChannelsToo() throws Exception {
        start("drop_params: [temperature]\ndefaults: {max_tokens: 1000, top_k: 5}");
        gateway.post(URL, body(false, ",\"temperature\":0.2"));
        JsonNode sent = anthropic.last().body();
        assertThat(sent.has("temperature")).isFalse();
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(1000);
        assertThat(sent.get("top_k").asInt()).isEqualTo(5);
        gateway.post(URL, body(false, ",\"max_completion_tokens\":77"));
        assertThat(anthropic.last().body().get("max_tokens").asInt()).isEqualTo(77);
    }
}
