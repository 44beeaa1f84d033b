package dev.junction.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.Cli;
import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeGemini;
import dev.junction.testing.FakeOpenAi;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real coding agents (Claude Code, Codex, Gemini CLI) through two channels of one type whose
 * primary cuts every stream mid-answer — inside the text, or inside the tool call after it — and
 * whose backup continues what it is asked to: every client × channel-type cell completes its tool
 * turn and prints the final answer, because each cut answer is continued into one whole stream:
 * all 9 cells.
 */
class ContinuationCliTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration LIMIT = Duration.ofSeconds(150);
    private static final String LEAD = "I will run the command now. ";
    private static final String FINAL = "All done: the command printed hi, as expected.";

    @TempDir
    Path dir;

    enum Agent {
        CLAUDE_CODE("Bash", "{\"command\":\"echo hi\",\"description\":\"Print hi\"}"),
        CODEX("exec_command", "{\"cmd\":\"echo hi\"}"),
        GEMINI_CLI("run_shell_command", "{\"command\":\"echo hi\"}");

        final String tool;
        final String arguments;

        Agent(String tool, String arguments) {
            this.tool = tool;
            this.arguments = arguments;
        }
    }

    enum Type {
        ANTHROPIC("claude-sonnet-4-5", 8, 7),
        GEMINI("gemini-2.5-flash", 1, 4),
        OPENAI("gpt-4.1", 3, 5);

        final String model;
        /** Events after which the primary cuts a tool turn (inside the call, after its text) and a text turn. */
        final int toolCut;
        final int textCut;

        Type(String model, int toolCut, int textCut) {
            this.model = model;
            this.toolCut = toolCut;
            this.textCut = textCut;
        }

        FakeProvider start(String key) throws Exception {
            return switch (this) {
                case ANTHROPIC -> FakeAnthropic.start(key);
                case GEMINI -> FakeGemini.start(key);
                case OPENAI -> FakeOpenAi.start(key);
            };
        }
    }

    /**
     * Every cell. On an Anthropic channel Claude Code and Gemini CLI turn thinking on, and the
     * primary answers as Claude does (a signed thinking block first, which a tool loop must send
     * back first in its assistant turn); the continuation's own thinking is not shown, so the turn
     * the client sends back keeps the primary's signed block before the text and the call.
     */
    static Stream<Arguments> cells() {
        return Stream.of(Agent.values()).flatMap(agent -> Stream.of(Type.values())
                .map(type -> Arguments.of(agent, type)));
    }

    @ParameterizedTest(name = "{0} via {1}")
    @MethodSource("cells")
    void everyCellCompletesWhenThePrimaryCutsEveryStreamMidAnswer(Agent agent, Type type) throws Exception {
        try (FakeProvider primary = type.start("sk-fake-primary"); FakeProvider backup = type.start("sk-fake-backup")) {
            primary.always(new FakeProvider.Scripted(request -> cut(type, request, thinks(type, request,
                    whole(agent, request)))));
            backup.always(new FakeProvider.Scripted(request -> thinks(type, request, continuation(agent, request))));
            String models = models(agent, type);
            try (TestGateway gateway = TestGateway.start(dir, "failover: { breaker: { consecutive_failures: 1000 } }\n"
                    + "channels:\n" + TestGateway.channel("primary", primary, models, "priority: 10")
                    + TestGateway.channel("backup", backup, models, ""))) {
                Cli.Result result = run(agent, gateway);
                assertThat(result.exitCode()).as(result.toString()).isZero();
                assertFinalAnswer(agent, result);
                assertThat(backup.received()).as("continued at least once: %s", result)
                        .anyMatch(ContinuationCliTest::continuing);
                assertThat(primary.received()).as("the tool's output reached the model").anyMatch(r ->
                        r.carriesToolResult() && r.body().toString().contains("hi"));
            }
        }
    }

    private static String models(Agent agent, Type type) {
        return switch (agent) {
            case CLAUDE_CODE -> "{claude-sonnet-4-5: " + type.model + ", claude-haiku-4-5: " + type.model
                    + ", claude-3-5-haiku-20241022: " + type.model + "}";
            case CODEX -> "{gpt-5-codex: " + type.model + "}";
            case GEMINI_CLI -> "{gemini-2.5-flash: " + type.model + ", gemini-3.5-flash-lite: " + type.model
                    + ", gemini-3.8-flash: " + type.model + ", gemini-3.1-pro-preview: " + type.model + "}";
        };
    }

    // --- what the model answers ---------------------------------------------------------------------

    /** A request for schema-bound JSON (Gemini CLI's classifier and next-speaker checks), any wire format. */
    private static String jsonSchema(Received request) {
        JsonNode body = request.body();
        JsonNode config = body.path("generationConfig");
        if (config.has("responseJsonSchema") || config.has("responseSchema")) {
            return config.toString();
        }
        if (body.has("response_format")) {
            return body.path("response_format").toString();
        }
        for (JsonNode tool : body.path("tools")) {
            if (tool.path("name").asString("").equals("json_response")) {
                return tool.toString();
            }
        }
        return null;
    }

    /** The whole answer to a request: JSON when a schema is asked for, else the tool call, then the final text. */
    private static Reply whole(Agent agent, Received request) {
        String schema = jsonSchema(request);
        if (schema != null) {
            String json = GeminiCliTest.jsonFor(schema);
            return request.body().path("tools").toString().contains("json_response")
                    ? FakeProvider.toolCalls(FakeProvider.call("json_response", json)) : FakeProvider.text(json);
        }
        if (request.carriesToolResult()) {
            return new FakeProvider.Text(FINAL, 8, 11, 7);
        }
        return new FakeProvider.ToolCalls(LEAD, List.of(new FakeProvider.Call("call_hi_1", agent.tool, agent.arguments)));
    }

    /**
     * On an Anthropic channel a request with {@code thinking} on is answered as Claude does: a signed
     * thinking block first (which a tool loop must send back), then the answer.
     */
    private static Reply thinks(Type type, Received request, Reply answer) {
        return type == Type.ANTHROPIC && request.body().has("thinking")
                && (answer instanceof FakeProvider.Text || answer instanceof FakeProvider.ToolCalls)
                ? new FakeProvider.Thinking("The user wants the output of a command.", answer) : answer;
    }

    private static boolean streams(Received request) {
        return request.path().contains("stream") || request.body().path("stream").asBoolean(false);
    }

    /** The primary: every streamed answer (but schema-bound JSON) cut mid-answer. */
    private static Reply cut(Type type, Received request, Reply answer) {
        if (!streams(request) || jsonSchema(request) != null || continuing(request)) {
            return answer;
        }
        // A thinking block is 5 events (start, 2 deltas, signature, stop) before the answer's own.
        Reply then = answer instanceof FakeProvider.Thinking thinking ? thinking.then() : answer;
        int before = answer instanceof FakeProvider.Thinking ? 5 : 0;
        return new FakeProvider.CutAfter(before + (then instanceof FakeProvider.Text ? type.textCut : type.toolCut),
                answer);
    }

    private static JsonNode turns(Received request) {
        JsonNode body = request.body();
        return body.has("messages") ? body.get("messages") : body.has("contents") ? body.get("contents")
                : body.path("input");
    }

    private static String text(JsonNode turn) {
        JsonNode content = turn.has("parts") ? turn.get("parts") : turn.path("content");
        if (content.isString()) {
            return content.asString();
        }
        StringBuilder text = new StringBuilder();
        content.forEach(part -> text.append(part.path("text").asString("")));
        return text.toString();
    }

    private static boolean assistant(JsonNode turn) {
        String role = turn.path("role").asString("");
        return role.equals("assistant") || role.equals("model");
    }

    /** Whether this request asks to continue a cut answer (prefilled, or asked in words). */
    static boolean continuing(Received request) {
        JsonNode turns = turns(request);
        if (!turns.isArray() || turns.isEmpty()) {
            return false;
        }
        JsonNode last = turns.get(turns.size() - 1);
        return assistant(last) || text(last).contains("was cut off");
    }

    /** The answer so far that a continuation request carries. */
    private static String partial(Received request) {
        JsonNode turns = turns(request);
        JsonNode last = turns.get(turns.size() - 1);
        return text(assistant(last) ? last : turns.get(turns.size() - 2));
    }

    /** The backup: the rest of the whole answer after what the client already has, or the whole answer. */
    private static Reply continuation(Agent agent, Received request) {
        Reply answer = whole(agent, request);
        if (!continuing(request)) {
            return answer;
        }
        String partial = partial(request);
        return switch (answer) {
            case FakeProvider.Text text -> new FakeProvider.Text(text.content().startsWith(partial)
                    ? text.content().substring(partial.length()) : text.content(), 4, 13, 5);
            case FakeProvider.ToolCalls calls -> new FakeProvider.ToolCalls(calls.leadingText().startsWith(partial)
                    ? calls.leadingText().substring(partial.length()) : "", calls.calls());
            default -> answer;
        };
    }

    // --- the agents ---------------------------------------------------------------------------------

    private Cli.Result run(Agent agent, TestGateway gateway) throws Exception {
        Path home = Files.createTempDirectory(dir, "home");
        Path work = Files.createTempDirectory(dir, "work");
        return switch (agent) {
            case CLAUDE_CODE -> Cli.run(List.of(Cli.binary("claude").toString(), "-p",
                    "Run echo hi with the Bash tool and tell me what it printed.", "--model", "claude-sonnet-4-5",
                    "--allowedTools", "Bash(echo hi)"), work, home,
                    Map.of("ANTHROPIC_BASE_URL", gateway.baseUrl(), "ANTHROPIC_API_KEY", TestGateway.KEY,
                            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1", "DISABLE_TELEMETRY", "1",
                            "DISABLE_AUTOUPDATER", "1", "DISABLE_ERROR_REPORTING", "1", "DISABLE_BUG_COMMAND", "1"),
                    LIMIT);
            case CODEX -> {
                Files.createDirectories(home.resolve(".codex"));
                Files.writeString(home.resolve(".codex/config.toml"), """
                        model = "gpt-5-codex"
                        model_provider = "gateway"
                        check_for_update_on_startup = false
                        [analytics]
                        enabled = false
                        [features]
                        plugins = false
                        remote_plugin = false
                        apps = false
                        [model_providers.gateway]
                        name = "Junction"
                        base_url = "%s/v1"
                        env_key = "JUNCTION_API_KEY"
                        wire_api = "responses"
                        """.formatted(gateway.baseUrl()));
                yield Cli.run(List.of(Cli.binary("codex").toString(), "exec", "--skip-git-repo-check", "--json",
                        "Run the command 'echo hi' with exec_command, then tell me what it printed."), work, home,
                        Map.of("JUNCTION_API_KEY", TestGateway.KEY), LIMIT);
            }
            case GEMINI_CLI -> {
                Files.createDirectories(home.resolve(".gemini"));
                Files.writeString(home.resolve(".gemini/settings.json"), """
                        { "security": { "auth": { "selectedType": "gemini-api-key" } },
                          "privacy": { "usageStatisticsEnabled": false },
                          "telemetry": { "enabled": false },
                          "general": { "disableAutoUpdate": true, "disableUpdateNag": true } }
                        """);
                yield Cli.run(new ArrayList<>(List.of(Cli.binary("gemini").toString(), "-p",
                        "Run the shell command 'echo hi' and tell me what it printed.", "-o", "stream-json", "--yolo",
                        "-m", "gemini-2.5-flash")), work, home, Map.of("GEMINI_API_KEY", TestGateway.KEY,
                        "GOOGLE_GEMINI_BASE_URL", gateway.baseUrl(), "GEMINI_CLI_TRUST_WORKSPACE", "true"), LIMIT);
            }
        };
    }

    private static void assertFinalAnswer(Agent agent, Cli.Result result) {
        if (agent != Agent.GEMINI_CLI) {
            assertThat(result.stdout()).as(result.toString()).contains(FINAL);
            return;
        }
        List<JsonNode> events = result.stdout().lines().filter(l -> l.startsWith("{")).map(JSON::readTree).toList();
        assertThat(events).as(result.toString()).anyMatch(e -> e.path("type").asString("").equals("tool_result")
                && e.path("output").asString("").equals("hi"));
        String said = events.stream().filter(e -> e.path("type").asString("").equals("message")
                && e.path("role").asString("").equals("assistant")).map(e -> e.path("content").asString(""))
                .reduce("", String::concat);
        assertThat(said).as(result.toString()).endsWith(FINAL);
        assertThat(events.getLast().path("status").asString("")).as(result.toString()).isEqualTo("success");
    }
}
