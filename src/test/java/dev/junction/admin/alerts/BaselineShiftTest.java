package dev.junction.admin.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.MutableClock;
import dev.junction.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The baseline-shift rule after routing-config changes, over real traffic: a change of weight that
 * leaves cost per request as it was raises nothing; a change that doubles the channel's prices
 * fires, with the comparison in its summary. On SQLite and on PostgreSQL (a schema of its own).
 */
class BaselineShiftTest {

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock();
    FakeOpenAi openai;
    TestGateway gateway;
    final dev.junction.testing.PostgresSchema schema = new dev.junction.testing.PostgresSchema();
    String database;

    @BeforeEach
    void start() throws Exception {
        openai = FakeOpenAi.start("sk-fake-gpt");
        openai.always(new FakeProvider.Text("ok", 1, 1000, 1000));
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        openai.close();
        schema.close();
    }

    private String config(int weight, double input, double output) {
        return TestGateway.configText("channels:\n" + TestGateway.channel("gpt", openai, "{gpt: gpt-4o}",
                "weight: " + weight + "\nprices:\n  gpt-4o: { input: " + input + ", output: " + output + " }\n")
                + """
                alerts:
                  every: 1h
                  rules:
                    - { name: cost-shift, kind: baseline_shift, threshold: 0.5, window: 1h, min_requests: 10 }
                """, database);
    }

    private void traffic(int requests, int rowsAfter) throws Exception {
        for (int i = 0; i < requests; i++) {
            assertThat(gateway.post("/v1/chat/completions",
                    "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode())
                    .isEqualTo(200);
        }
        gateway.usageRows(rowsAfter);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aDoubledPriceAfterAConfigChangeFiresAndAWeightChangeDoesNot(String kind) throws Exception {
        database = kind.equals("sqlite") ? "sqlite:" + dir.resolve("junction.db") : schema.url();
        Path file = dir.resolve("junction.yaml");
        Files.writeString(file, config(10, 2.5, 10));
        gateway = TestGateway.fromFile(file, clock);
        AlertService alerts = gateway.gateway().alerts();
        traffic(10, 10);

        Files.writeString(file, config(20, 2.5, 10));
        assertThat(gateway.gateway().reload("test").ok()).isTrue();
        traffic(10, 20);
        assertThat(alerts.baselines().compare(clock.now())).singleElement()
                .satisfies(c -> assertThat(c.relativeChange()).isZero());
        assertThat(alerts.evaluate().fired()).isEmpty();

        // A price change alone records no routing-config version; with the weight it does.
        Files.writeString(file, config(30, 5, 20));
        assertThat(gateway.gateway().reload("test").ok()).isTrue();
        traffic(10, 30);
        AlertService.Evaluation shifted = alerts.evaluate();
        assertThat(shifted.fired()).as(alerts.baselines().compare(clock.now()).toString()).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo("cost-shift");
            assertThat(a.subject()).isEqualTo("model:gpt");
            assertThat(a.value()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
            assertThat(a.summary()).contains("+100 %");
        });
    }
}
