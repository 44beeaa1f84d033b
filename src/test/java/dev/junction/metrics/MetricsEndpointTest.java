package dev.junction.metrics;

import static dev.junction.testing.TestGateway.channel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.Chat;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.TestGateway;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} on a real gateway that served traffic. */
class MetricsEndpointTest {

    @TempDir
    Path dir;

    @Test
    void aGatewayThatServedTrafficServesItsMetricsWithoutAKey() throws Exception {
        try (FakeOpenAi broken = FakeOpenAi.start(); FakeOpenAi fake = FakeOpenAi.start()) {
            try (TestGateway gateway = withTraffic(broken, fake)) {
                HttpResponse<String> scrape = gateway.get("/metrics", null);

                assertThat(scrape.statusCode()).isEqualTo(200);
                assertThat(scrape.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(
                        type.replace(" ", "").toLowerCase()).isEqualTo("text/plain;version=0.0.4;charset=utf-8"));
                Samples s = Samples.parse(scrape.body());
                assertThat(s.sum("junction_requests_total", "api", "openai", "model", "chat", "status_class", "2xx",
                        "end_reason", "done")).isEqualTo(2);
                assertThat(s.sum("junction_requests_total", "status_class", "4xx")).isEqualTo(2);
                assertThat(s.sum("junction_errors_total", "kind", "authentication")).isEqualTo(1);
                assertThat(s.sum("junction_errors_total", "kind", "not_found")).isEqualTo(1);
                assertThat(s.find("junction_requests_total", "model", "no-such-model"))
                        .as("an unknown model is not a label value").isEmpty();
                assertThat(s.sum("junction_failovers_total", "channel", "broken")).isGreaterThanOrEqualTo(1);
                assertThat(s.sum("junction_upstream_duration_seconds_count", "channel", "f", "result", "ok"))
                        .isEqualTo(2);
                assertThat(s.sum("junction_tokens_total", "model", "chat", "channel", "f", "type", "input"))
                        .isEqualTo(22);
                assertThat(s.sum("junction_time_to_first_token_seconds_count", "channel", "f")).isEqualTo(1);
                assertThat(s.sum("junction_gateway_overhead_seconds_count", "api", "openai")).isEqualTo(2);
                assertThat(s.sum("junction_channel_healthy", "channel", "f")).isEqualTo(1);
                assertThat(s.sum("junction_channel_keys", "channel", "f", "state", "usable")).isEqualTo(1);
                assertThat(s.has("junction_usage_queue_depth")).isTrue();
                assertThat(s.has("junction_usage_dropped_total")).isTrue();
                assertThat(s.has("jvm_memory_used_bytes")).isTrue();
                assertThat(s.has("jvm_gc_pause_seconds_count") || s.has("jvm_gc_memory_allocated_bytes_total"))
                        .isTrue();
                assertThat(scrape.body()).doesNotContain(TestGateway.KEY).doesNotContain("sk-fake");
            }
        }
    }

    @Test
    void promtoolAcceptsAScrapeOfAGatewayThatServedTraffic() throws Exception {
        Optional<Path> promtool = onPath("promtool");
        Assumptions.assumeTrue(promtool.isPresent(), "promtool is not installed here (Debian package "
                + "'prometheus'; .ci/run installs it), so the scrape is not checked by Prometheus' own linter");
        try (FakeOpenAi broken = FakeOpenAi.start(); FakeOpenAi fake = FakeOpenAi.start()) {
            String scrape;
            try (TestGateway gateway = withTraffic(broken, fake)) {
                scrape = gateway.get("/metrics", null).body();
            }
            Path file = dir.resolve("scrape.txt");
            Files.writeString(file, scrape);
            Path output = dir.resolve("promtool.txt");
            Process check = new ProcessBuilder(promtool.get().toString(), "check", "metrics")
                    .redirectInput(file.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String report = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(check.exitValue()).as("promtool check metrics:\n%s", report).isZero();
            assertThat(report).isBlank();
        }
    }

    @Test
    void metricsCanBeSwitchedOff() throws Exception {
        try (FakeOpenAi fake = FakeOpenAi.start();
                TestGateway gateway = TestGateway.start(dir, "metrics:\n  enabled: false\nchannels:\n"
                        + channel("f", fake, "[chat]", ""))) {
            assertThat(gateway.get("/metrics", null).statusCode()).isEqualTo(404);
            assertThat(gateway.post("/v1/chat/completions", Chat.body("chat", false)).statusCode()).isEqualTo(200);
        }
    }

    /**
     * A gateway with channel {@code broken} (tried first, answers 503) and {@code f} for model
     * {@code chat}, after a non-streamed and a streamed answer (each failing over from broken), a
     * request without a key and one for an unknown model; returned once the metrics have seen all four.
     */
    private TestGateway withTraffic(FakeOpenAi broken, FakeOpenAi fake) throws Exception {
        broken.always(FakeProvider.status(503));
        fake.always(FakeOpenAi.text("hello"));
        TestGateway gateway = TestGateway.start(dir, "channels:\n"
                + channel("broken", broken, "{chat: up-broken}", "priority: 10")
                + channel("f", fake, "{chat: up-chat}", "priority: 0"));
        assertThat(gateway.post("/v1/chat/completions", Chat.body("chat", false)).statusCode()).isEqualTo(200);
        assertThat(gateway.post("/v1/chat/completions", Chat.body("chat", true)).statusCode()).isEqualTo(200);
        assertThat(gateway.post("/v1/chat/completions", Chat.body("chat", false), null).statusCode())
                .isEqualTo(401);
        assertThat(gateway.post("/v1/chat/completions", Chat.body("no-such-model", false)).statusCode())
                .isEqualTo(404);
        // A response reaches the client a moment before its request is observed.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Samples.parse(gateway.get("/metrics", null).body()).sum("junction_requests_total") < 4
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return gateway;
    }

    static Optional<Path> onPath(String program) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(d -> Path.of(d, program)).filter(Files::isExecutable).findFirst();
    }
}
