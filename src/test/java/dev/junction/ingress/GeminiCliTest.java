package dev.junction.ingress;

import static dev.junction.testing.FakeProvider.call;
import static dev.junction.testing.FakeProvider.text;
import static dev.junction.testing.FakeProvider.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.Cli;
import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeGemini;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.FakeProvider.Received;
import dev.junction.testing.FakeProvider.Reply;
import dev.junction.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real Gemini CLI ({@code e2e/clients}) through Junction, one tool round trip per run: the
 * fake answers {@code run_shell_command {"command":"echo hi"}}, the CLI runs it and sends the
 * output back as a functionResponse, and the fake's final text must reach the CLI's output. With
 * the default "auto" model the CLI first asks a routing classifier for schema-valid JSON, which
 * must be honoured on every channel type.
 */
class GeminiCliTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String FINAL = "All done: the command printed hi.";
    private static final String SETTINGS = """
            { "security": { "auth": { "selectedType": "gemini-api-key" } },
              "privacy": { "usageStatisticsEnabled": false },
              "telemetry": { "enabled": false },
              "general": { "disableAutoUpdate": true, "disableUpdateNag": true } }
            """;
    /** The CLI's model ids: pinned, and the three the "auto" router asks for. */
    private static final List<String> CLI_MODELS = List.of("gemini-2.5-flash", "gemini-3.5-flash-lite",
            "gemini-3.8-flash", "gemini-3.1-pro-preview");

    @TempDir
    Path dir;

    @Test
    void aGeminiChannelServesTheCliByPassThroughWithTheAutoRouter() throws Exception {
        try (FakeGemini gemini = FakeGemini.start("sk-fake-gemini")) {
            gemini.always(new FakeProvider.Scripted(GeminiCliTest::geminiScript));
            run(TestGateway.channel("gemini", gemini, models(""), ""), null, gemini);
            assertThat(gemini.received()).anyMatch(r -> r.path().endsWith(":generateContent")
                    && r.body().at("/generationConfig/responseJsonSchema").isObject());
            assertThat(gemini.received()).anyMatch(r -> r.body().toString().contains("\"functionResponse\""));
        }
    }

    @Test
    void anAnthropicChannelServesTheCliWithAPinnedModel() throws Exception {
        try (FakeAnthropic anthropic = FakeAnthropic.start("sk-fake-claude")) {
            anthropic.always(new FakeProvider.Scripted(GeminiCliTest::anthropicScript));
            run(TestGateway.channel("claude", anthropic, models("claude-sonnet-4-5"), ""), "gemini-2.5-flash",
                    anthropic);
            assertThat(anthropic.received()).anyMatch(r -> r.body().toString().contains("\"tool_result\""));
        }
    }

    @Test
    void anAnthropicChannelAnswersTheAutoRoutersClassifierWithSchemaValidJson() throws Exception {
        try (FakeAnthropic anthropic = FakeAnthropic.start("sk-fake-claude")) {
            anthropic.always(new FakeProvider.Scripted(GeminiCliTest::anthropicScript));
            run(TestGateway.channel("claude", anthropic, models("claude-sonnet-4-5"), ""), null, anthropic);
            assertThat(anthropic.received()).anyMatch(r -> r.body().path("tool_choice").path("name").asString("")
                    .equals("json_response"));
        }
    }

    @Test
    void anOpenAiChannelServesTheCliByTranslationWithTheAutoRouter() throws Exception {
        try (FakeOpenAi openAi = FakeOpenAi.start("sk-fake-glm")) {
            openAi.always(new FakeOpenAi.Scripted(GeminiCliTest::openAiScript));
            run(TestGateway.channel("glm", openAi, models("glm-4.6"), ""), null,
                    () -> openAi.received().stream().map(r -> r.body().toString()).toList());
            assertThat(openAi.received()).anyMatch(r -> r.body().toString().contains("\"role\":\"tool\""));
        }
    }

    /** {@code {cli-model: upstream}} for every model the CLI may ask for (upstream = the same when empty). */
    private static String models(String upstream) {
        List<String> pairs = new ArrayList<>();
        CLI_MODELS.forEach(m -> pairs.add(m + ": " + (upstream.isEmpty() ? m : upstream)));
        return "{" + String.join(", ", pairs) + "}";
    }

    private void run(String channel, String model, FakeProvider fake) throws Exception {
        run(channel, model, () -> fake.received().stream().map(r -> r.body().toString()).toList());
    }

    /** Runs the CLI against a gateway with {@code channel}; {@code bodies} lists what the fake received. */
    private void run(String channel, String model, java.util.function.Supplier<List<String>> bodies)
            throws Exception {
        try (TestGateway gateway = TestGateway.start(dir, "channels:\n" + channel)) {
            Path home = Files.createDirectories(dir.resolve("home"));
            Files.createDirectories(home.resolve(".gemini"));
            Files.writeString(home.resolve(".gemini/settings.json"), SETTINGS);
            Path work = Files.createDirectories(dir.resolve("work"));
            List<String> command = new ArrayList<>(List.of(Cli.binary("gemini").toString(), "-p",
                    "Run the shell command 'echo hi' and tell me what it printed.", "-o", "stream-json", "--yolo"));
            if (model != null) {
                command.addAll(List.of("-m", model));
            }
            Cli.Result result = Cli.run(command, work, home, Map.of("GEMINI_API_KEY", TestGateway.KEY,
                    "GOOGLE_GEMINI_BASE_URL", gateway.baseUrl(), "GEMINI_CLI_TRUST_WORKSPACE", "true"),
                    Duration.ofSeconds(120));
            assertThat(result.exitCode()).as(result.toString()).isZero();
            List<JsonNode> events = result.stdout().lines().filter(l -> l.startsWith("{")).map(JSON::readTree)
                    .toList();
            assertThat(events).as(result.toString()).anyMatch(e -> e.path("type").asString("").equals("tool_result")
                    && e.path("output").asString("").equals("hi"));
            assertThat(events.stream().filter(e -> e.path("type").asString("").equals("message")
                    && e.path("role").asString("").equals("assistant")).map(e -> e.path("content").asString(""))
                    .reduce("", String::concat)).as(result.toString()).isEqualTo(FINAL);
            assertThat(events.getLast().path("status").asString("")).as(result.toString()).isEqualTo("success");
            assertThat(bodies.get()).as(result.toString()).anyMatch(body -> body.contains("hi"));
            // Every request the CLI made was served: no retries after a bad answer.
            assertThat(gateway.usageRows(bodies.get().size())).allMatch(row -> ((Number) row.get("status"))
                    .intValue() == 200, result.toString());
        }
    }

    // --- what the fakes answer ------------------------------------------------------------------

    /** A JSON answer matching the schema the CLI sent (its router classifier, or a next-speaker check). */
    static String jsonFor(String schema) {
        if (schema.contains("complexity_score")) {
            return "{\"complexity_reasoning\":\"A single simple command.\",\"complexity_score\":1}";
        }
        if (schema.contains("next_speaker")) {
            return "{\"reasoning\":\"The answer is complete.\",\"next_speaker\":\"user\"}";
        }
        return "{}";
    }

    private static Reply geminiScript(Received request) {
        JsonNode config = request.body().path("generationConfig");
        if (config.has("responseJsonSchema") || config.has("responseSchema")) {
            return text(jsonFor(config.toString()));
        }
        if (request.body().path("contents").toString().contains("\"functionResponse\"")) {
            return text(FINAL);
        }
        return toolCalls(call("run_shell_command", "{\"command\":\"echo hi\"}"));
    }

    private static FakeOpenAi.Reply openAiScript(FakeOpenAi.Received request) {
        JsonNode body = request.body();
        if (body.has("response_format")) {
            return FakeOpenAi.text(jsonFor(body.path("response_format").toString()));
        }
        if (body.path("messages").toString().contains("\"role\":\"tool\"")) {
            return FakeOpenAi.text(FINAL);
        }
        return FakeOpenAi.toolCalls(new FakeOpenAi.Call("call_1", "run_shell_command", "{\"command\":\"echo hi\"}"));
    }

    private static Reply anthropicScript(Received request) {
        JsonNode body = request.body();
        for (JsonNode tool : body.path("tools")) {
            if (tool.path("name").asString("").equals("json_response")) {
                return toolCalls(call("json_response", jsonFor(tool.toString())));
            }
        }
        if (body.path("messages").toString().contains("\"tool_result\"")) {
            return text(FINAL);
        }
        return toolCalls(call("run_shell_command", "{\"command\":\"echo hi\"}"));
    }
}
