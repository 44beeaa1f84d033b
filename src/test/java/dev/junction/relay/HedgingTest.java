package dev.junction.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.relay.FaultMatrixTest.Client;
import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeGemini;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.FakeResponses;
import dev.junction.testing.JsonTree;
import dev.junction.testing.MutableClock;
import dev.junction.testing.Sse;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code failover.hedge_after}: when a stream's first token is late, the next candidate starts in
 * parallel; whichever produces content first serves the stream and the other is cancelled and
 * recorded as {@code hedged-cancelled}, with no usage of its own.
 */
class HedgingTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private final List<AutoCloseable> open = new ArrayList<>();
    private FakeProvider primary;
    private FakeProvider backup;
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T opened(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private static FakeProvider own(Client client, String key) throws Exception {
        return switch (client) {
            case CHAT -> FakeOpenAi.start(key);
            case MESSAGES -> FakeAnthropic.start(key);
            case GEMINI -> FakeGemini.start(key);
            case RESPONSES -> FakeResponses.start(key);
        };
    }

    private static String model(FakeProvider fake) {
        return switch (fake) {
            case FakeAnthropic a -> "claude-sonnet-4-5";
            case FakeGemini g -> "gemini-2.5-flash";
            default -> "gpt-4.1";
        };
    }

    private void start(Client client, String hedge) throws Exception {
        primary = opened(own(client, "sk-fake-primary"));
        backup = opened(FakeAnthropic.start("sk-fake-backup"));
        gateway = opened(TestGateway.start(dir, "failover: { hedge_after: " + hedge + " }\nchannels:\n"
                + TestGateway.channel("primary", primary, "{chat: " + model(primary) + "}", "priority: 10")
                + TestGateway.channel("backup", backup, "{chat: claude-sonnet-4-5}", ""), clock));
    }

    private HttpResponse<String> send(Client client) throws Exception {
        return gateway.postWithHeaders(client.path(true), client.body(true), client.headers());
    }

    private static String text(Client client, HttpResponse<String> response) {
        return Sse.events(response.body()).stream().map(client::text).collect(Collectors.joining());
    }

    private List<String> outcomes() throws Exception {
        Map<String, Object> row = gateway.usageRows(1).getLast();
        List<String> outcomes = new ArrayList<>();
        for (JsonNode attempt : JsonTree.of(row.get("attempts").toString())) {
            outcomes.add(attempt.path("channel").asString() + ": " + attempt.path("outcome").asString());
        }
        return outcomes;
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void aLateFirstTokenStartsTheNextCandidateAndTheFasterServes(Client client) throws Exception {
        start(client, "300ms");
        primary.then(new FakeProvider.SlowStream(List.of("too ", "late"), Duration.ofSeconds(3)));
        backup.always(FakeProvider.text("Hello from the backup."));
        HttpResponse<String> response = send(client);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-junction-channel")).as(response.body() + outcomes() + primary.requestCount())
                .contains("backup");
        assertThat(text(client, response)).isEqualTo("Hello from the backup.");
        assertThat(Sse.events(response.body())).filteredOn(client::cleanEnd).hasSize(1);
        assertThat(outcomes()).containsExactlyInAnyOrder("primary: hedged-cancelled", "backup: ok");
        Map<String, Object> row = gateway.usageRows(1).getLast();
        assertThat(row).containsEntry("channel", "backup").containsEntry("end_reason", "done");
    }

    @Test
    void whenTheFirstCandidateProducesContentFirstItServesAndTheHedgeIsCancelled() throws Exception {
        start(Client.CHAT, "200ms");
        primary.then(new FakeProvider.SlowStream(List.of("first ", "wins"), Duration.ofMillis(800)));
        backup.always(new FakeProvider.Delayed(Duration.ofSeconds(10), FakeProvider.text("too slow")));
        HttpResponse<String> response = send(Client.CHAT);
        assertThat(response.headers().firstValue("x-junction-channel")).contains("primary");
        assertThat(text(Client.CHAT, response)).isEqualTo("first wins");
        assertThat(backup.requestCount()).as("the hedge was started").isEqualTo(1);
        assertThat(outcomes()).containsExactlyInAnyOrder("primary: ok", "backup: hedged-cancelled");
    }

    @Test
    void aFirstTokenInTimeStartsNoHedge() throws Exception {
        start(Client.CHAT, "5s");
        primary.then(FakeProvider.text("quick"));
        backup.always(FakeProvider.text("unused"));
        HttpResponse<String> response = send(Client.CHAT);
        assertThat(text(Client.CHAT, response)).isEqualTo("quick");
        assertThat(backup.requestCount()).isZero();
        assertThat(outcomes()).containsExactly("primary: ok");
    }

    @Test
    void p95HedgesOnlyOnceTheModelHasRecentFirstTokenTimes() {
        FirstTokens times = new FirstTokens();
        assertThat(times.p95("m")).isEmpty();
        for (int i = 1; i <= 19; i++) {
            times.record("m", i * 10L);
        }
        assertThat(times.p95("m")).as("19 samples are not enough").isEmpty();
        times.record("m", 5000);
        assertThat(times.p95("m")).contains(Duration.ofMillis(190));
        for (int i = 0; i < 100; i++) {
            times.record("m", i < 90 ? 100 : 3000);
        }
        assertThat(times.p95("m")).contains(Duration.ofMillis(3000));
        assertThat(times.p95("other")).isEmpty();
    }
}
