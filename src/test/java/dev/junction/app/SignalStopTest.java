package dev.junction.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.Chat;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real process: SIGTERM stops it in order, writes the queued usage rows, and exits with 0;
 * SIGHUP reloads the config file, refusing an invalid one.
 */
class SignalStopTest {

    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    @Test
    void sigtermExitsWithZeroAfterWritingTheQueuedUsage() throws Exception {
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            fake.always(FakeOpenAi.text("hello"));
            Path config = config(fake);
            Path log = dir.resolve("stderr.txt");
            Process process = gateway(config, log);
            try {
                int port = awaitPort(process, log);
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    statuses.add(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/v1/chat/completions")).header("Authorization", "Bearer " + TestGateway.KEY)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(Chat.body("chat", false))).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode());
                }
                assertThat(statuses).containsOnly(200);

                process.destroy(); // SIGTERM on Linux, at once: the rows may still be queued
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process stops").isTrue();
                String output = Files.readString(log, StandardCharsets.UTF_8);
                assertThat(process.exitValue()).as(output).isZero();
                assertThat(output).contains("SIGTERM received");
            } finally {
                process.destroyForcibly();
            }
            assertThat(usageRows()).isEqualTo(3);
        }
    }

    @Test
    void sighupReloadsTheFileAndRefusesAnInvalidOneWhileTrafficContinues() throws Exception {
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            Path config = dir.resolve("junction.yaml");
            String head = "listen: 127.0.0.1:0\ndatabase: sqlite:" + dir.resolve("junction.db") + "\nkeys:\n"
                    + "  - name: test\n    key: " + TestGateway.KEY + "\n";
            String channels = "channels:\n" + TestGateway.channel("f", fake, "[chat]", "");
            Files.writeString(config, head + channels);
            Path log = dir.resolve("stderr.txt");
            Process process = gateway(config, log, "env", "--default-signal=HUP");
            try {
                int port = awaitPort(process, log);
                String second = "sk-added-by-reload-1";
                assertThat(chat(port, second)).isEqualTo(401);

                Files.writeString(config, head + channels.replace("weight: 1", "") + "    weight: 0\n");
                hangUp(process);
                awaitLog(log, "channels[0].weight: ");
                assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("reload (SIGHUP) refused");
                assertThat(process.isAlive()).as("SIGHUP does not stop the gateway").isTrue();
                assertThat(Files.readString(log, StandardCharsets.UTF_8)).containsPattern("junction\\.yaml:\\d+: "
                        + "channels\\[0]\\.weight: ");
                assertThat(chat(port, TestGateway.KEY)).isEqualTo(200);

                Files.writeString(config, head + "  - name: second\n    key: " + second + "\n" + channels);
                hangUp(process);
                awaitLog(log, "config reloaded (SIGHUP)");
                assertThat(chat(port, second)).isEqualTo(200);
                assertThat(chat(port, TestGateway.KEY)).isEqualTo(200);
            } finally {
                process.destroy();
                process.waitFor(60, TimeUnit.SECONDS);
                process.destroyForcibly();
            }
        }
    }

    @Test
    void aHangUpTheMomentTheListeningLineAppearsReloadsAndNeverStopsTheGateway() throws Exception {
        // The line is said once SIGHUP is handled: sent before, the JVM's default would end the process.
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            Path config = config(fake);
            Path log = dir.resolve("stderr.txt");
            Process process = gateway(config, log, "env", "--default-signal=HUP");
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (!Files.readString(log, StandardCharsets.UTF_8).contains("listening on")) {
                    assertThat(process.isAlive() && System.nanoTime() < deadline)
                            .as("the gateway starts: %s", Files.readString(log, StandardCharsets.UTF_8)).isTrue();
                    Thread.onSpinWait();
                }
                hangUp(process);
                awaitLog(log, "config reloaded (SIGHUP)");
                assertThat(process.isAlive()).as("SIGHUP does not stop the gateway").isTrue();
            } finally {
                process.destroy();
                process.waitFor(60, TimeUnit.SECONDS);
                process.destroyForcibly();
            }
        }
    }

    @Test
    void underNohupTheGatewaySaysAtStartThatSighupCannotReload() throws Exception {
        // A process that starts with SIGHUP ignored keeps it ignored: the JVM takes the handler and never runs it.
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            Path config = config(fake);
            Path log = dir.resolve("stderr.txt");
            Process process = gateway(config, log, "nohup");
            try {
                int port = awaitPort(process, log);
                assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("SIGHUP is ignored by this process")
                        .contains("POST /api/reload");
                hangUp(process);
                assertThat(chat(port, TestGateway.KEY)).as("still serving").isEqualTo(200);
            } finally {
                process.destroy();
                process.waitFor(60, TimeUnit.SECONDS);
                process.destroyForcibly();
            }
        }
    }

    /** A config file with one key and one channel on {@code fake}. */
    private Path config(FakeOpenAi fake) throws Exception {
        Path config = dir.resolve("junction.yaml");
        Files.writeString(config, "listen: 127.0.0.1:0\ndatabase: sqlite:" + dir.resolve("junction.db")
                + "\nkeys:\n  - name: test\n    key: " + TestGateway.KEY + "\nchannels:\n"
                + TestGateway.channel("f", fake, "[chat]", ""));
        return config;
    }

    /**
     * The gateway's own process on {@code config}, its log in {@code log}; {@code before} is a
     * command it runs under ({@code nohup}; {@code env --default-signal=HUP}, so that SIGHUP reaches
     * it even when this test runs under a parent that ignores it).
     */
    private static Process gateway(Path config, Path log, String... before) throws Exception {
        List<String> command = new ArrayList<>(List.of(before));
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "serve", "--config", config.toString()));
        return new ProcessBuilder(command).redirectError(log.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static int chat(int port, String key) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Chat.body("chat", false))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static void hangUp(Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private static void awaitLog(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' in the log:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }

    private static int awaitPort(Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            Matcher listening = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (listening.find()) {
                return Integer.parseInt(listening.group(1));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the gateway did not start:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }

    private int usageRows() throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("junction.db"));
                ResultSet rows = db.createStatement().executeQuery("SELECT COUNT(*) FROM usage")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
