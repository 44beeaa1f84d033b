package dev.junction.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.PostgresSchema;
import dev.junction.testing.RedisKeys;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real gateway processes ({@code junction serve}, each its own JVM) on the machine's
 * PostgreSQL (a schema of the test's own) and Redis (a key prefix of its own), as the issue's
 * deployment runs them: they count one another by heartbeats, a key with rpm 10 admits exactly 10
 * of 30 requests raced over the three, and after SIGTERM (exit 0) the one table holds exactly the
 * 10 served requests' usage rows. The in-process {@link ScaleOutTest} and {@link SharedLimitsHttpTest}
 * cover the rest of the contract on the same parts.
 */
class ScaleOutProcessesTest {

    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final String LIMITED = "k-process-rpm-0001";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();

    @TempDir
    Path dir;

    private final String prefix = "junction-proc-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private final PostgresSchema schema = new PostgresSchema();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        processes.forEach(Process::destroyForcibly);
        for (Process p : processes) {
            p.waitFor(30, TimeUnit.SECONDS);
        }
        schema.close();
        RedisKeys.deleteAll(prefix);
    }

    @Test
    void threeProcessesShareOneRpmLimitAndOneUsageTable() throws Exception {
        try (FakeOpenAi openai = FakeOpenAi.start("sk-fake-gpt")) {
            openai.always(new FakeProvider.Text("ok", 1, 10, 20));
            Path config = dir.resolve("junction.yaml");
            Files.writeString(config, """
                    listen: 127.0.0.1:0
                    database: %s
                    redis: "redis://127.0.0.1:6379?prefix=%s&timeout_ms=1000"
                    keys:
                      - name: limited
                        key: %s
                        limits: { rpm: 10 }
                    channels:
                    """.formatted(schema.url(), prefix, LIMITED) + TestGateway.channel("gpt", openai, "{gpt: gpt-4o}", ""));
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Path log = dir.resolve("stderr-" + i + ".txt");
                ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
                        "--config", config.toString())
                        .directory(Files.createDirectories(dir.resolve("instance-" + i)).toFile())
                        .redirectError(log.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
                builder.environment().put("JUNCTION_MASTER_KEY", TestGateway.MASTER);
                processes.add(builder.start());
                ports.add(awaitPort(processes.getLast(), log));
            }
            for (int port : ports) {
                ScaleOutTest.eventually("instance on " + port + " counts three", () -> health(port)
                        .contains("\"instances\":3"));
            }
            // The limit counts calendar minutes: start the race well inside one.
            long second = Instant.now().getEpochSecond() % 60;
            if (second > 40) {
                Thread.sleep((61 - second) * 1000);
            }
            List<Integer> statuses = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    int port = ports.get(i % 3);
                    answers.add(pool.submit(() -> {
                        go.await();
                        return chat(port);
                    }));
                }
                go.countDown();
                for (Future<HttpResponse<String>> answer : answers) {
                    HttpResponse<String> response = answer.get(90, TimeUnit.SECONDS);
                    statuses.add(response.statusCode());
                    if (response.statusCode() != 200) {
                        assertThat(response.body()).contains("rpm limit 10 reached");
                    }
                }
            }
            assertThat(statuses).containsOnly(200, 429).filteredOn(s -> s == 200).hasSize(10);
            assertThat(openai.requestCount()).isEqualTo(10);

            for (Process p : processes) {
                p.destroy(); // SIGTERM: each flushes its usage queue
            }
            for (int i = 0; i < 3; i++) {
                assertThat(processes.get(i).waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(processes.get(i).exitValue()).as(Files.readString(dir.resolve("stderr-" + i + ".txt"),
                        StandardCharsets.UTF_8)).isZero();
            }
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?currentSchema="
                    + schema.url().substring(schema.url().indexOf('=') + 1), "root", "");
                    ResultSet rows = c.createStatement().executeQuery(
                            "SELECT COUNT(*), COUNT(DISTINCT request_id) FROM usage WHERE status = 200")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(10);
                assertThat(rows.getInt(2)).isEqualTo(10);
            }
        }
    }

    private static HttpResponse<String> chat(int port) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + LIMITED)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String health(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
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
}
