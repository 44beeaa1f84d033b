package dev.junction.ingress;

import static dev.junction.testing.FakeProvider.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.Cli;
import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeGemini;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The @google/genai JS SDK inside Gemini CLI ({@code e2e/clients}), run by node through Junction:
 * it recognises a stream error only when it is not an SSE {@code data:} line (issue 16, bug 0), so a
 * stream cut after content must make it throw rather than end as if the answer were complete.
 */
class GoogleGenAiJsSdkTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private FakeGemini gemini;
    private FakeAnthropic anthropic;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        gemini = FakeGemini.start("sk-fake-gemini");
        anthropic = FakeAnthropic.start("sk-fake-claude");
        gateway = TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("gemini", gemini, "{flash: gemini-2.5-flash}", "")
                + TestGateway.channel("claude", anthropic, "{claude: claude-sonnet-4-5}", ""));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        gemini.close();
        anthropic.close();
    }

    /** Runs the SDK once; its one line of JSON output. */
    private JsonNode sdk(String apiVersion, String model, String mode) throws Exception {
        Path bundle = Cli.binary("gemini").toRealPath().getParent();
        Path script = Path.of("src/test/resources/genai-js/stream.mjs").toAbsolutePath();
        Path home = Files.createDirectories(dir.resolve("home"));
        Cli.Result run = Cli.run(List.of("node", script.toString(), bundle.toString(), home.toString(),
                gateway.baseUrl(), TestGateway.KEY, apiVersion, model, mode), dir, home, Map.of(),
                Duration.ofSeconds(60));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> lines = run.stdout().lines().filter(l -> l.startsWith("{")).toList();
        assertThat(lines).as(run.toString()).isNotEmpty();
        return JSON.readTree(lines.getLast());
    }

    @Test
    void aStreamCutAfterContentMakesTheSdkThrowOnEveryChannelType() throws Exception {
        gemini.then(new FakeProvider.BrokenStream(2, FakeProvider.Fault.CUT));
        anthropic.then(new FakeProvider.BrokenStream(2, FakeProvider.Fault.CUT));
        for (String model : List.of("flash", "claude")) {
            JsonNode result = sdk("v1beta", model, "stream");
            assertThat(result.path("outcome").asString()).as(model + ": " + result).isEqualTo("threw");
            // The SDK's own two ways of failing a stream, both of which Gemini CLI retries.
            assertThat(result.path("status").asInt(0) == 500
                    || result.path("message").asString().equals("Incomplete JSON segment at the end"))
                    .as(result.toString()).isTrue();
            assertThat(result.path("text").asString()).as(model).isEqualTo("part0 part1 ");
        }
    }

    @Test
    void aCompleteStreamStillFinishesCleanly() throws Exception {
        gemini.then(text("Streamed from Gemini."));
        JsonNode result = sdk("v1beta", "flash", "stream");
        assertThat(result.path("outcome").asString()).as(result.toString()).isEqualTo("finished");
        assertThat(result.path("text").asString()).isEqualTo("Streamed from Gemini.");
    }
}
