package dev.junction.ingress;

import static dev.junction.testing.FakeOpenAi.status;
import static dev.junction.testing.FakeOpenAi.text;
import static dev.junction.testing.TestGateway.channel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.Chat;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.JsonTree;
import dev.junction.testing.TestGateway;
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

/** The OpenAI chat endpoint end to end: real gateway, real HTTP, fake providers. */
class ChatCompletionsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private FakeOpenAi primary;
    private FakeOpenAi backup;
    private TestGateway gateway;

    private TestGateway start(String channels) throws Exception {
        gateway = TestGateway.start(dir, "channels:\n" + channels);
        return gateway;
    }

    /** Two channels for public model "chat": primary (priority 10) then backup. */
    private TestGateway startPair(String primaryTimeouts) throws Exception {
        return startPair(primaryTimeouts, "");
    }

    /**
     * The same, with continuation off: what the client sees after content when no candidate can
     * continue the answer (continuation itself: relay.PassThroughContinuationTest).
     */
    private TestGateway startPairWithoutContinuation() throws Exception {
        return startPair("", "failover: { continue_streams: false }\n");
    }

    private TestGateway startPair(String primaryTimeouts, String failover) throws Exception {
        primary = FakeOpenAi.start("sk-fake-primary");
        backup = FakeOpenAi.start("sk-fake-backup");
        gateway = TestGateway.start(dir, failover + "channels:\n"
                + channel("primary", primary, "{chat: up-model}", "priority: 10\n" + primaryTimeouts)
                + channel("backup", backup, "{chat: backup-model}", "priority: 0"));
        return gateway;
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (FakeOpenAi fake : new FakeOpenAi[] {primary, backup}) {
            if (fake != null) {
                fake.close();
            }
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private static void assertOpenAiError(HttpResponse<String> response, int status, String type, String text) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("x-request-id")).hasValueSatisfying(id -> assertThat(id)
                .startsWith("req_"));
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct)
                .startsWith("application/json"));
        JsonNode error = json(response).get("error");
        assertThat(error.get("type").asString()).isEqualTo(type);
        assertThat(error.get("message").asString()).contains(text);
        assertThat(error.has("code")).isTrue();
    }

    // --- pass-through -------------------------------------------------------------------------

    @Test
    void passesTheBodyThroughWithOnlyModelAndCredentialChanged() throws Exception {
        startPair("");
        primary.tolerating("x_unknown"); // as an OpenAI-compatible server with extensions does
        String body = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"x_unknown\":{\"nested\":[1,2,3]},\"temperature\":0.3}";
        HttpResponse<String> response = gateway.post("/v1/chat/completions", body);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).at("/choices/0/message/content").asString()).isEqualTo("Hello from the fake.");
        assertThat(response.headers().firstValue("x-junction-channel")).contains("primary");
        assertThat(response.headers().firstValue("x-junction-attempts")).contains("1");
        FakeOpenAi.Received received = primary.received().getFirst();
        assertThat(received.path()).isEqualTo("/v1/chat/completions");
        assertThat(received.header("authorization")).isEqualTo("Bearer sk-fake-primary");
        assertThat(received.body().get("model").asString()).isEqualTo("up-model");
        assertThat(JsonTree.of(received.body().get("x_unknown"))).isEqualTo(JsonTree.of("{\"nested\":[1,2,3]}"));
        assertThat(received.body().get("temperature").asDouble()).isEqualTo(0.3);
        assertThat(received.body().has("stream_options")).isFalse();
    }

    @Test
    void streamsEventByEventAndHidesTheUsageChunkTheClientDidNotAskFor() throws Exception {
        startPair("");
        primary.then(new FakeOpenAi.Text("one two three", 3, 5, 3));
        HttpResponse<String> response = gateway.post("/v1/chat/completions", Chat.body("chat", true));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct)
                .startsWith("text/event-stream"));
        List<String> data = dataLines(response.body());
        assertThat(data.getLast()).isEqualTo("[DONE]");
        assertThat(String.join("", data.stream().filter(d -> d.contains("\"content\"")).map(d -> JSON.readTree(d)
                .at("/choices/0/delta/content").asString("")).toList())).isEqualTo("one two three");
        assertThat(data).noneMatch(d -> d.contains("\"prompt_tokens\""));
        assertThat(primary.received().getFirst().body().at("/stream_options/include_usage").asBoolean()).isTrue();
        Map<String, Object> row = gateway.usageRows().getFirst();
        assertThat(row).containsEntry("prompt_tokens", 5).containsEntry("completion_tokens", 3)
                .containsEntry("status", 200).containsEntry("end_reason", "done").containsEntry("channel", "primary")
                .containsEntry("upstream_model", "up-model").containsEntry("public_model", "chat")
                .containsEntry("key_name", "test").containsEntry("stream", 1);
    }

    @Test
    void relaysEachEventAsItArrivesInsteadOfBufferingTheStream() throws Exception {
        startPair("");
        primary.then(new FakeOpenAi.SlowStream(List.of("first ", "second ", "third"), Duration.ofMillis(250)));
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + TestGateway.KEY)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Chat.body("chat", true))).build();
        long[] firstContentAt = {0};
        client.send(request, HttpResponse.BodyHandlers.ofLines()).body().forEach(line -> {
            if (firstContentAt[0] == 0 && line.contains("\"first \"")) {
                firstContentAt[0] = System.nanoTime();
            }
        });
        assertThat(firstContentAt[0]).isPositive();
        assertThat(firstContentAt[0]).as("the first token reached the client before the upstream sent the last")
                .isLessThan(primary.lastSendNanos());
    }

    @Test
    void keepsTheUsageChunkForAClientThatAskedForIt() throws Exception {
        startPair("");
        String body = "{\"model\":\"chat\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        String sse = gateway.post("/v1/chat/completions", body).body();
        assertThat(JsonTree.events(sse)).anyMatch(chunk -> chunk.at("/usage/prompt_tokens").asInt() == 11);
    }

    @Test
    void recordsNonStreamUsage() throws Exception {
        startPair("");
        gateway.post("/v1/chat/completions", Chat.body("chat", false));
        Map<String, Object> row = gateway.usageRows().getFirst();
        assertThat(row).containsEntry("prompt_tokens", 11).containsEntry("completion_tokens", 7)
                .containsEntry("stream", 0);
        assertThat(((Number) row.get("latency_ms")).longValue()).isGreaterThanOrEqualTo(0);
        JsonNode attempt = JsonTree.of((String) row.get("attempts")).get(0);
        assertThat(attempt.path("channel").asString()).isEqualTo("primary");
        assertThat(attempt.path("outcome").asString()).isEqualTo("ok");
    }

    // --- failover (first cut) ------------------------------------------------------------------

    @Test
    void failsOverOnRateLimitServerErrorResetAndGarbage() throws Exception {
        startPair("");
        // The 429 comes last: after it the primary rests for its Retry-After.
        for (FakeOpenAi.Reply fault : List.of(status(500), status(503), new FakeOpenAi.Reset(), new FakeOpenAi.Garbage(),
                status(429, "{\"error\":{\"message\":\"slow down\"}}", Map.of("Retry-After", "1")))) {
            primary.then(fault);
            backup.then(text("from backup"));
            HttpResponse<String> response = gateway.post("/v1/chat/completions", Chat.body("chat", false));
            assertThat(response.statusCode()).as("after %s", fault).isEqualTo(200);
            assertThat(json(response).at("/choices/0/message/content").asString()).isEqualTo("from backup");
            assertThat(response.headers().firstValue("x-junction-attempts")).contains("2");
            assertThat(response.headers().firstValue("x-junction-channel")).contains("backup");
        }
        assertThat(backup.received()).allSatisfy(r -> assertThat(r.body().get("model").asString())
                .isEqualTo("backup-model"));
    }

    @Test
    void failsOverWhenTheUpstreamNeverAnswers() throws Exception {
        startPair("timeout: { first_byte: 300ms }");
        primary.then(new FakeOpenAi.Hang());
        backup.then(text("rescued"));
        long start = System.nanoTime();
        HttpResponse<String> response = gateway.post("/v1/chat/completions", Chat.body("chat", true));
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).endsWith("data: [DONE]\n\n");
        assertThat(JsonTree.events(response.body())).allMatch(c -> c.path("model").asString().equals("backup-model"));
        assertThat(millis).as("bounded by the first-byte timeout, not the hang").isLessThan(10_000);
    }

    @Test
    void failsOverWhenTheConnectionIsRefused() throws Exception {
        backup = FakeOpenAi.start("sk-fake-backup");
        start("""
                  - name: dead
                    type: openai
                    base_url: http://127.0.0.1:1/v1
                    models: [chat]
                    priority: 5
                """ + channel("backup", backup, "[chat]", ""));
        HttpResponse<String> response = gateway.post("/v1/chat/completions", Chat.body("chat", false));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-junction-attempts")).contains("2");
    }

    @Test
    void aStreamThatFailsBeforeContentFailsOverInvisibly() throws Exception {
        startPair("");
        primary.then(new FakeOpenAi.BrokenStream(0, FakeOpenAi.Fault.CUT));
        backup.then(text("clean answer"));
        HttpResponse<String> response = gateway.post("/v1/chat/completions", Chat.body("chat", true));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-junction-channel")).contains("backup");
        List<String> data = dataLines(response.body());
        assertThat(data.stream().filter(d -> d.contains("\"role\"")).count()).as("one role chunk, not two")
                .isEqualTo(1);
        assertThat(data.getLast()).isEqualTo("[DONE]");
    }

    @Test
    void aStreamCutAfterContentEndsWithAnErrorEventAndNoDone() throws Exception {
        startPairWithoutContinuation();
        primary.then(new FakeOpenAi.BrokenStream(2, FakeOpenAi.Fault.CUT));
        HttpResponse<String> response = gateway.post("/v1/chat/completions", Chat.body("chat", true));
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> data = dataLines(response.body());
        assertThat(data).anyMatch(d -> d.contains("part1"));
        assertThat(data).doesNotContain("[DONE]");
        JsonNode last = JSON.readTree(data.getLast());
        assertThat(last.at("/error/message").asString()).contains("broke before the answer was complete");
        assertThat(backup.requestCount()).isZero();
        assertThat(gateway.usageRows().getFirst()).containsEntry("end_reason", "upstream_cut");
    }

    @Test
    void aMalformedChunkAfterContentEndsWithAnErrorEvent() throws Exception {
        startPairWithoutContinuation();
        primary.then(new FakeOpenAi.BrokenStream(1, FakeOpenAi.Fault.MALFORMED));
        List<String> data = dataLines(gateway.post("/v1/chat/completions", Chat.body("chat", true)).body());
        assertThat(data).doesNotContain("[DONE]");
        assertThat(data.getLast()).contains("\"error\"").contains("malformed");
    }

    @Test
    void relaysTheProvidersOwnClientErrorWithoutFailover() throws Exception {
        startPair("");
        primary.then(status(400, "{\"error\":{\"message\":\"temperature must be <= 2\",\"type\":"
                + "\"invalid_request_error\",\"param\":\"temperature\"}}", Map.of()));
        HttpResponse<String> response = gateway.post("/v1/chat/completions", Chat.body("chat", false));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).at("/error/message").asString()).isEqualTo("temperature must be <= 2");
        assertThat(json(response).at("/error/param").asString()).isEqualTo("temperature");
        assertThat(backup.requestCount()).isZero();
    }

    // --- errors ----------------------------------------------------------------------------------

    @Test
    void everyChannelFailingGives503ListingEachAttempt() throws Exception {
        startPair("");
        primary.always(status(500));
        backup.always(status(429, "{\"error\":{\"message\":\"quota\"}}", Map.of()));
        HttpResponse<String> response = gateway.post("/v1/chat/completions", Chat.body("chat", false));
        assertOpenAiError(response, 503, "upstream_error", "2 attempts");
        String message = json(response).at("/error/message").asString();
        assertThat(message).contains("primary: HTTP 500").contains("backup: HTTP 429").contains("quota");
        assertThat(response.headers().firstValue("x-junction-attempts")).contains("2");
        assertThat(gateway.usageRows().getFirst()).containsEntry("status", 503).containsEntry("end_reason", "failed");
    }

    @Test
    void garbageFromEveryChannelGives502() throws Exception {
        startPair("");
        primary.always(new FakeOpenAi.Garbage());
        backup.always(new FakeOpenAi.Garbage());
        assertOpenAiError(gateway.post("/v1/chat/completions", Chat.body("chat", false)), 502, "upstream_error",
                "not JSON");
    }

    @Test
    void everyChannelTimingOutGives504() throws Exception {
        primary = FakeOpenAi.start(null);
        start(channel("slow", primary, "[chat]", "timeout: { first_byte: 200ms }"));
        primary.always(new FakeOpenAi.Hang());
        assertOpenAiError(gateway.post("/v1/chat/completions", Chat.body("chat", false)), 504, "upstream_error",
                "first-byte timeout");
    }

    @Test
    void clientMistakesAreAnsweredWithoutCallingAnUpstream() throws Exception {
        startPair("");
        String url = "/v1/chat/completions";
        assertOpenAiError(gateway.post(url, "{\"model\":\"chat\",", TestGateway.KEY), 400, "invalid_request_error",
                "not valid JSON");
        assertOpenAiError(gateway.post(url, "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), 400,
                "invalid_request_error", "no 'model'");
        assertOpenAiError(gateway.post(url, "{\"model\":\"chat\"}"), 400, "invalid_request_error", "no 'messages'");
        assertOpenAiError(gateway.post(url, Chat.body("chat", false), null), 401, "authentication_error",
                "Missing gateway key");
        assertOpenAiError(gateway.post(url, Chat.body("chat", false), "sk-not-a-real-key"), 401,
                "authentication_error", "not valid");
        assertOpenAiError(gateway.post(url, Chat.body("no-such-model", false)), 404, "invalid_request_error",
                "does not exist");
        assertThat(primary.requestCount() + backup.requestCount()).isZero();
        assertThat(gateway.usageRows(6)).extracting(r -> r.get("status")).containsExactly(400, 400, 400, 401, 401, 404);
    }

    @Test
    void aKeyOnlyReachesItsAllowedModels() throws Exception {
        primary = FakeOpenAi.start(null);
        gateway = TestGateway.start(dir, """
                keys:
                  - name: narrow
                    key: sk-narrow-key-123
                    models: ["gpt-*"]
                channels:
                """ + channel("p", primary, "[gpt-4o, claude-sonnet]", ""));
        assertOpenAiError(gateway.post("/v1/chat/completions", Chat.body("claude-sonnet", false),
                "sk-narrow-key-123"), 403, "permission_error", "may not use model 'claude-sonnet'");
        assertThat(gateway.post("/v1/chat/completions", Chat.body("gpt-4o", false), "sk-narrow-key-123")
                .statusCode()).isEqualTo(200);
        JsonNode models = json(gateway.get("/v1/models", "sk-narrow-key-123"));
        assertThat(models.get("object").asString()).isEqualTo("list");
        assertThat(models.get("data").valueStream().map(m -> m.get("id").asString()).toList())
                .containsExactly("gpt-4o");
        assertThat(primary.requestCount()).isEqualTo(1);
    }

    @Test
    void bodiesOverTheLimitGet413() throws Exception {
        primary = FakeOpenAi.start(null);
        gateway = TestGateway.start(dir, "max_body_size: 1KiB\nchannels:\n" + channel("p", primary, "[chat]", ""));
        String big = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(2000)
                + "\"}]}";
        assertOpenAiError(gateway.post("/v1/chat/completions", big), 413, "invalid_request_error", "1024 bytes");
        assertThat(primary.requestCount()).isZero();
    }

    @Test
    void modelsHealthAndUnknownPaths() throws Exception {
        startPair("");
        JsonNode models = json(gateway.get("/v1/models", TestGateway.KEY));
        assertThat(models.get("data").valueStream().map(m -> m.get("id").asString()).toList()).containsExactly("chat");
        assertOpenAiError(gateway.get("/v1/models", null), 401, "authentication_error", "Missing");
        HttpResponse<String> health = gateway.get("/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).get("status").asString()).isEqualTo("ok");
        assertThat(json(health).has("version")).isTrue();
        assertOpenAiError(gateway.get("/v1/nothing", TestGateway.KEY), 404, "invalid_request_error", "no endpoint");
        assertOpenAiError(gateway.get("/v1/chat/completions", TestGateway.KEY), 405, "invalid_request_error",
                "not allowed");
    }

    static List<String> dataLines(String sse) {
        return sse.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
    }
}
