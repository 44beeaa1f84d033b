package dev.junction.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: a bad config stops start-up with one line per problem and exit code 2. */
class MainTest {

    @TempDir
    Path dir;

    private record Run(int code, String err) {
    }

    private static Run run(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Run(Main.run(args), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void aBadConfigPrintsOneLinePerProblemAndExitsWithTwo() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, """
                listen: 127.0.0.1:0
                channels:
                  - name: a
                    type: openai
                    base_url: not a url
                    models: [m]
                    timeout: { idle: forever }
                  - name: a
                    type: openai
                    base_url: http://x.example/v1
                    models: [m]
                    colour: blue
                """);
        Run run = run("serve", "--config", config.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err().lines().toList()).containsExactly(
                config + ":5: channels[0].base_url: 'not a url' is not a valid URL: Illegal character in path",
                config + ":7: channels[0].timeout.idle: 'forever' is not a duration; write e.g. 500ms, 30s, 2m or 1h",
                config + ":12: channels[1].colour: unknown field; expected one of [api_key, api_keys, base_url, "
                        + "capabilities, defaults, drop_params, health_check, key_selection, limits, models, name, preset, prices, "
                        + "priority, responses, retries, stream_options, timeout, type, weight]",
                config + ":8: channels[1].name: duplicate channel name 'a'",
                "junction: the config has 4 problems; not starting.");
    }

    @Test
    void aMissingFileAndBadFlagsAreUsageErrors() {
        assertThat(run("serve", "--config", dir.resolve("nope.yaml").toString()).code()).isEqualTo(2);
        assertThat(run("serve", "--listen", "nowhere").code()).isEqualTo(2);
        assertThat(run("serve", "--bogus", "x").code()).isEqualTo(2);
        assertThat(run("launch").code()).isEqualTo(2);
        assertThat(run("--version").code()).isZero();
    }
}
