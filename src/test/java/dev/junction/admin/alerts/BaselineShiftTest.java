package dev.junction.admin.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.junction.store.AlertStore.AlertRow;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.MutableClock;
import dev.junction.testing.PostgresSchema;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The baseline-shift rule after routing-config changes, over real traffic whose token counts vary
 * from request to request (so cost per request has a spread), judged by the interval-based
 * baselines the dashboard shows: a weight change that leaves the distribution as it was is noise
 * within the interval and raises nothing; a doubling of the prices raises nothing while the new
 * version has fewer than the minimum sample (30 requests), then fires at the tier the table gives
 * the reach of its traffic (two keys: warning). On SQLite and on PostgreSQL (a schema of its own).
 */
class BaselineShiftTest {

    static final String SECOND_KEY = "sk-test-gateway-key-2";

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock();
    FakeOpenAi openai;
    TestGateway gateway;
    Path file;
    String database;
    @RegisterExtension
    final PostgresSchema schema = new PostgresSchema("junction_shift");

    @BeforeEach
    void start() throws Exception {
        openai = FakeOpenAi.start("sk-fake-gpt");
        // Answers with the token counts the request's text names: "tokens 120 45".
        openai.always(new FakeProvider.Scripted(request -> {
            String[] words = request.body().path("messages").get(0).path("content").asString().split(" ");
            return new FakeProvider.Text("ok", 1, Long.parseLong(words[1]), Long.parseLong(words[2]));
        }));
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        openai.close();
    }

    private String config(int weight, double input, double output) {
        return TestGateway.configText("keys:\n  - name: first\n    key: " + TestGateway.KEY + "\n"
                + "  - name: second\n    key: " + SECOND_KEY + "\n"
                + "channels:\n" + TestGateway.channel("gpt", openai, "{gpt: gpt-4o}",
                "weight: " + weight + "\nprices:\n  gpt-4o: { input: " + input + ", output: " + output + " }\n")
                + """
                alerts:
                  every: 1h
                  rules:
                    - { name: cost-shift, kind: baseline_shift, threshold: 0.5, window: 1h, min_requests: 10 }
                """, database);
    }

    /** {@code n} requests, alternating between the two keys, prompt 50–150 and completion 20–80 tokens. */
    private void traffic(int n, SplittableRandom random, int rowsAfter) throws Exception {
        for (int i = 0; i < n; i++) {
            String content = "tokens " + random.nextInt(50, 151) + " " + random.nextInt(20, 81);
            HttpResponse<String> reply = gateway.post("/v1/chat/completions",
                    "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}",
                    i % 2 == 0 ? TestGateway.KEY : SECOND_KEY);
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        }
        gateway.usageRows(rowsAfter);
    }

    private void change(int weight, double input, double output) throws Exception {
        clock.advance(Duration.ofMinutes(10));
        Files.writeString(file, config(weight, input, output));
        assertThat(gateway.gateway().reload("test").ok()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void noiseWithinTheIntervalAndTooFewRequestsStayQuietAndADoubledPriceFiresAtTheTablesTier(String kind)
            throws Exception {
        database = kind.equals("sqlite") ? "sqlite:" + dir.resolve("junction.db") : schema.url();
        file = dir.resolve("junction.yaml");
        Files.writeString(file, config(10, 2.5, 10));
        gateway = TestGateway.fromFile(file, clock);
        AlertService alerts = gateway.gateway().alerts();
        assertThat(alerts.baselines()).isInstanceOf(IntervalBaselines.class);
        traffic(40, new SplittableRandom(1), 40);

        // A weight change: a new version, the same distribution of cost per request.
        change(20, 2.5, 10);
        traffic(40, new SplittableRandom(2), 80);
        Baselines.Comparison noise = alerts.baselines().compare(clock.now()).getFirst();
        assertThat(noise.relativeChange()).as(noise.describe()).isNotZero();
        assertThat(Math.abs(noise.relativeChange())).as("inside its interval").isLessThanOrEqualTo(noise.margin());
        assertThat(noise.significant()).isFalse();
        assertThat(alerts.evaluate().fired()).as(noise.describe()).isEmpty();

        // Prices doubled (with the weight, so the reload records a version), replaying the previous
        // version's requests: twice the cost per request (to the micro-dollar each is rounded to). 10 requests are too few.
        change(30, 5, 20);
        SplittableRandom replay = new SplittableRandom(2);
        traffic(10, replay, 90);
        Baselines.Comparison early = alerts.baselines().compare(clock.now()).getFirst();
        assertThat(early.relativeChange()).as(early.describe()).isGreaterThan(0.5);
        assertThat(early.significant()).isFalse();
        assertThat(early.text()).contains("too few requests");
        assertThat(alerts.evaluate().fired()).isEmpty();

        traffic(30, replay, 120);
        AlertService.Evaluation shifted = alerts.evaluate();
        String why = alerts.baselines().compare(clock.now()).toString();
        assertThat(shifted.fired()).as(why).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo("cost-shift");
            assertThat(a.subject()).isEqualTo("model:gpt");
            assertThat(a.value()).isCloseTo(1.0, within(0.01));
            assertThat(a.summary()).startsWith("cost per request +").contains(" ± ").contains("(40 → 40 requests)");
            assertThat(a.reachKeys()).isEqualTo(2);
            assertThat(a.tier()).isEqualTo(TierTable.STANDARD.tierOf(reach(a)).wire()).isEqualTo("warning");
        });
        assertThat(alerts.evaluate().fired()).as("deduplicated").isEmpty();
    }

    private static Reach reach(AlertRow a) {
        return new Reach(a.reachKeys(), a.reachUsers(), a.reachTeams(), a.reachMicros());
    }
}
