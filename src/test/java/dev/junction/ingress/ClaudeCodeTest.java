package dev.junction.ingress;

import static dev.junction.testing.FakeProvider.call;
import static dev.junction.testing.FakeProvider.text;
import static dev.junction.testing.FakeProvider.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.Cli;
import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeGemini;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real Claude Code CLI through the gateway, completing a task that needs one tool call, served
 * in turn by an Anthropic channel (pass-through), a Gemini and an OpenAI channel (translation). The fake
 * answers with a Bash {@code echo hi} tool use until it sees the tool's result, then with a final
 * text, which Claude Code must print.
 */
class ClaudeCodeTest {

    private static final String FINAL = "The command printed hi.";

    @TempDir
    static Path dir;

    static FakeAnthropic anthropic;
    static FakeGemini gemini;
    static FakeOpenAi openai;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        anthropic = FakeAnthropic.start("sk-fake-claude");
        gemini = FakeGemini.start("sk-fake-gemini");
        openai = FakeOpenAi.start("sk-fake-openai");
        gateway = TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("openai", openai, "{gpt-coder: gpt-5}", "")
                + TestGateway.channel("claude", anthropic, "{claude-sonnet-4-5: claude-sonnet-4-5}", "")
                + TestGateway.channel("gemini", gemini, "{gemini-coder: gemini-2.5-flash}", ""));
        String bash = "{\"command\":\"echo hi\",\"description\":\"Print hi\"}";
        // Anthropic checks that a tool loop replays the signed thinking it issued, so its fake thinks first.
        anthropic.toolRoundTrip(new FakeProvider.Thinking("I will run it.", toolCalls(call("Bash", bash))),
                text(FINAL));
        gemini.toolRoundTrip(toolCalls(call("Bash", bash)), text(FINAL));
        openai.toolRoundTrip(FakeOpenAi.toolCalls(new FakeOpenAi.Call("call_1", "Bash", bash)),
                FakeOpenAi.text(FINAL));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        anthropic.close();
        gemini.close();
        openai.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"claude-sonnet-4-5", "gemini-coder", "gpt-coder"})
    void claudeCodeRunsAToolAndFinishes(String model) throws Exception {
        int before = requests(model).size();
        Path home = Files.createTempDirectory(dir, "home");
        Path work = Files.createTempDirectory(dir, "work");
        Cli.Result result = Cli.run(List.of(Cli.binary("claude").toString(), "-p",
                        "Run echo hi with the Bash tool and tell me what it printed.", "--model", model,
                        "--allowedTools", "Bash(echo hi)"), work, home,
                Map.of("ANTHROPIC_BASE_URL", gateway.baseUrl(), "ANTHROPIC_API_KEY", TestGateway.KEY,
                        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1", "DISABLE_TELEMETRY", "1",
                        "DISABLE_AUTOUPDATER", "1", "DISABLE_ERROR_REPORTING", "1", "DISABLE_BUG_COMMAND", "1"),
                Duration.ofSeconds(120));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).as(result.toString()).contains(FINAL);
        List<Boolean> toolResults = requests(model).subList(before, requests(model).size());
        assertThat(toolResults).as("one request for the tool call, one after its result")
                .hasSizeGreaterThanOrEqualTo(2).startsWith(false).endsWith(true);
    }

    /** Whether each request the model's fake received so far carried a tool result. */
    private static List<Boolean> requests(String model) {
        if (model.startsWith("gpt")) {
            return openai.received().stream().map(FakeOpenAi.Received::carriesToolResult).toList();
        }
        FakeProvider fake = model.startsWith("claude") ? anthropic : gemini;
        return fake.received().stream().map(FakeProvider.Received::carriesToolResult).toList();
    }
}
