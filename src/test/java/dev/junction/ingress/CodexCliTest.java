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
import dev.junction.testing.FakeResponses;
import dev.junction.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Codex CLI (0.169, {@code wire_api = "responses"}) through the gateway to each channel
 * type (anthropic, gemini, openai chat completions, openai Responses pass-through): one turn that calls {@code exec_command}, runs {@code echo hi}, sends the output back and
 * gets the final answer.
 */
class CodexCliTest {

    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final String FINAL = "The command printed hi.";

    @TempDir
    Path dir;

    private FakeProvider fake;
    private FakeOpenAi openAi;
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (fake != null) {
            fake.close();
        }
        if (openAi != null) {
            openAi.close();
        }
    }

    /** The function call until the command's output comes back (in the provider's own words), then the answer. */
    private static FakeProvider.Reply script(String outputMarker) {
        return new FakeProvider.When(r -> r.body().toString().contains(outputMarker), text(FINAL),
                toolCalls(call("exec_command", "{\"cmd\":\"echo hi\"}")));
    }

    @Test
    void codexRunsAToolThroughAnAnthropicChannel() throws Exception {
        FakeAnthropic anthropic = FakeAnthropic.start("sk-fake-claude");
        fake = anthropic;
        anthropic.always(script("tool_result"));
        gateway = TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("claude", anthropic, "{gpt-5-codex: claude-sonnet-4-5}", ""));
        runCodexToolTurn();
        assertThat(anthropic.last().body().toString()).contains("tool_result").contains("hi");
    }

    @Test
    void codexRunsAToolThroughAGeminiChannel() throws Exception {
        FakeGemini gemini = FakeGemini.start("sk-fake-gemini");
        fake = gemini;
        gemini.always(script("functionResponse"));
        gateway = TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("gemini", gemini, "{gpt-5-codex: gemini-2.5-flash}", ""));
        runCodexToolTurn();
        assertThat(gemini.last().body().toString()).contains("functionResponse");
    }

    @Test
    void codexRunsAToolThroughAResponsesPassThroughChannel() throws Exception {
        FakeResponses responses = FakeResponses.start("sk-fake-oai");
        fake = responses;
        responses.always(script("function_call_output"));
        gateway = TestGateway.start(dir, "channels:\n"
                + ResponsesHttpTest.responsesChannel("oai", responses, "{gpt-5-codex: gpt-5.1-codex}"));
        runCodexToolTurn();
        assertThat(responses.last().body().path("model").asString()).isEqualTo("gpt-5.1-codex");
        assertThat(responses.last().body().toString()).contains("function_call_output");
    }

    @Test
    void codexRunsAToolThroughAnOpenAiChatChannel() throws Exception {
        FakeOpenAi chat = FakeOpenAi.start("sk-fake-chat");
        openAi = chat;
        chat.always(new FakeOpenAi.When(FakeOpenAi.Received::carriesToolResult, FakeOpenAi.text(FINAL),
                FakeOpenAi.toolCalls(new FakeOpenAi.Call("call_1", "exec_command", "{\"cmd\":\"echo hi\"}"))));
        gateway = TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("chat", chat, "{gpt-5-codex: glm-4.6}", ""));
        runCodexToolTurn(chat::requestCount);
        assertThat(chat.received().getLast().path()).endsWith("/chat/completions");
        assertThat(chat.received().getLast().body().toString()).contains("\"role\":\"tool\"");
    }

    private void runCodexToolTurn() throws Exception {
        runCodexToolTurn(fake::requestCount);
    }

    private void runCodexToolTurn(java.util.function.IntSupplier requests) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path work = Files.createDirectories(dir.resolve("work"));
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
        Cli.Result result = Cli.run(List.of(Cli.binary("codex").toString(), "exec", "--skip-git-repo-check", "--json",
                "Run the command 'echo hi' with exec_command, then tell me what it printed."), work, home,
                Map.of("JUNCTION_API_KEY", TestGateway.KEY), LIMIT);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).as(result.toString()).contains(FINAL).contains("echo hi");
        assertThat(requests.getAsInt()).as(result.toString()).isEqualTo(2);
    }
}
