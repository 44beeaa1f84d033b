package dev.junction.relay;

import static dev.junction.testing.FakeOpenAi.status;
import static dev.junction.testing.FakeOpenAi.text;
import static dev.junction.testing.TestGateway.channel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.routing.Channel;
import dev.junction.state.Circuit;
import dev.junction.testing.Chat;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.MutableClock;
import dev.junction.testing.TestGateway;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery within seconds (out-of-band probes of an open circuit), the scope of rests and circuits
 * (per key and upstream model; connection failures per channel) and same-channel {@code retries:},
 * through the gateway over real HTTP.
 */
class RecoveryTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private final List<AutoCloseable> open = new ArrayList<>();
    private FakeOpenAi primary;
    private FakeOpenAi backup;
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private FakeOpenAi fake(String key) throws Exception {
        FakeOpenAi fake = FakeOpenAi.start(key);
        open.add(fake);
        return fake;
    }

    /** primary (priority 10) and backup for public models "a" (upstream up-a) and "b" (upstream up-b). */
    private void pair(String primaryExtra, String failover) throws Exception {
        primary = fake("sk-fake-primary");
        backup = fake("sk-fake-backup");
        String models = "{a: up-a, b: up-b}";
        gateway = TestGateway.start(dir, failover + "channels:\n"
                + channel("primary", primary, models, "priority: 10\n" + primaryExtra)
                + channel("backup", backup, models, ""), clock);
        open.add(gateway);
    }

    private HttpResponse<String> chat(String model) throws Exception {
        return gateway.post("/v1/chat/completions", Chat.body(model, false));
    }

    private static String servedBy(HttpResponse<String> response) {
        return response.headers().firstValue("x-junction-channel").orElse("none");
    }

    private static String attempts(HttpResponse<String> response) {
        return response.headers().firstValue("x-junction-attempts").orElse("?");
    }

    private Channel primaryChannel() {
        return gateway.gateway().router().channels().getFirst();
    }

    private static FakeProvider.Reply byModel(String model, FakeProvider.Reply then, FakeProvider.Reply otherwise) {
        return new FakeProvider.When(r -> r.body().path("model").asString("").equals(model), then, otherwise);
    }

    // --- recovery within seconds ------------------------------------------------------------------

    @Test
    void aPrimaryDownForSixtySecondsGetsTrafficAgainWithinTenSecondsOfRecovering() throws Exception {
        pair("", "failover: { breaker: { consecutive_failures: 2, open_for: 5m, probe_every: 1s, probe_max: 2s,"
                + " half_open_requests: 2 } }\n");
        primary.always(status(503));
        assertThat(servedBy(chat("a"))).isEqualTo("backup");
        assertThat(servedBy(chat("a"))).isEqualTo("backup");
        assertThat(primaryChannel().circuit("up-a")).isEqualTo(Circuit.OPEN);
        // Down: the out-of-band probes (one token) fail, the circuit stays open, traffic stays away.
        int calls = primary.requestCount();
        long probing = System.nanoTime();
        while (primary.requestCount() <= calls && System.nanoTime() - probing < Duration.ofSeconds(20).toNanos()) {
            Thread.sleep(50); // probes every 1 s of real time; a loaded machine may take longer
        }
        assertThat(primary.requestCount()).as("probed while open").isGreaterThan(calls);
        assertThat(primary.received().getLast().body().path("max_tokens").asInt()).isEqualTo(1);
        assertThat(primaryChannel().circuit("up-a")).isEqualTo(Circuit.OPEN);
        assertThat(servedBy(chat("a"))).isEqualTo("backup");
        // The rest of the 60 s outage passes; the probes would have kept failing at the capped interval.
        clock.advance(Duration.ofSeconds(60));
        primary.always(text("back again"));
        long recovered = System.nanoTime();
        String served = "backup";
        while (!served.equals("primary") && System.nanoTime() - recovered < Duration.ofSeconds(15).toNanos()) {
            Thread.sleep(200);
            served = servedBy(chat("a"));
        }
        Duration back = Duration.ofNanos(System.nanoTime() - recovered);
        assertThat(served).isEqualTo("primary");
        assertThat(back).as("back within 10 s of recovering").isLessThan(Duration.ofSeconds(10));
        // Half-open for two real requests, then full traffic.
        for (int i = 0; i < 4; i++) {
            assertThat(servedBy(chat("a"))).isEqualTo("primary");
        }
        assertThat(primaryChannel().circuit("up-a")).isEqualTo(Circuit.CLOSED);
    }

    // --- scope of rests and circuits --------------------------------------------------------------

    @Test
    void aRateLimitOnOneModelDoesNotRestTheKeysOtherModels() throws Exception {
        pair("", "");
        primary.always(byModel("up-a", status(429, Map.of("Retry-After", "30")), text("fine")));
        assertThat(servedBy(chat("a"))).isEqualTo("backup");
        int calls = primary.requestCount();
        assertThat(servedBy(chat("b"))).as("the key still serves model b").isEqualTo("primary");
        HttpResponse<String> again = chat("a");
        assertThat(servedBy(again)).as("model a still rests").isEqualTo("backup");
        assertThat(attempts(again)).isEqualTo("1");
        assertThat(primary.requestCount()).isEqualTo(calls + 1);
    }

    @Test
    void aServerErrorStormOnOneModelDoesNotOpenTheOtherModelsCircuit() throws Exception {
        pair("", "failover: { breaker: { consecutive_failures: 3 } }\n");
        primary.always(byModel("up-a", status(500), text("fine")));
        for (int i = 0; i < 5; i++) {
            assertThat(servedBy(chat("a"))).isEqualTo("backup");
        }
        assertThat(primaryChannel().circuit("up-a")).isEqualTo(Circuit.OPEN);
        assertThat(primaryChannel().circuit()).as("the channel itself answers").isEqualTo(Circuit.CLOSED);
        assertThat(primaryChannel().circuit("up-b")).isEqualTo(Circuit.CLOSED);
        assertThat(servedBy(chat("b"))).isEqualTo("primary");
    }

    @Test
    void connectionRefusedOpensTheWholeChannelsCircuit() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        backup = fake("sk-fake-backup");
        gateway = TestGateway.start(dir, "failover: { breaker: { consecutive_failures: 2 } }\nchannels:\n"
                + """
                  - name: dead
                    type: openai
                    base_url: http://127.0.0.1:%d/v1
                    api_key: sk-fake-dead
                    models: {a: up-a, b: up-b}
                    priority: 10
                """.formatted(port) + channel("backup", backup, "{a: up-a, b: up-b}", ""), clock);
        open.add(gateway);
        assertThat(servedBy(chat("a"))).isEqualTo("backup");
        assertThat(servedBy(chat("a"))).isEqualTo("backup");
        Channel dead = gateway.gateway().router().channels().getFirst();
        assertThat(dead.circuit()).isEqualTo(Circuit.OPEN);
        HttpResponse<String> other = chat("b");
        assertThat(servedBy(other)).isEqualTo("backup");
        assertThat(attempts(other)).as("model b skips the dead channel without a try").isEqualTo("1");
    }

    // --- same-channel retries ---------------------------------------------------------------------

    @Test
    void retriesTwoRetriesTheSameChannelAfterRetryAfter() throws Exception {
        pair("retries: 2", "");
        primary.then(status(429, Map.of("Retry-After", "1")), status(429, Map.of("Retry-After", "1")),
                text("third time"));
        long start = System.nanoTime();
        HttpResponse<String> response = chat("a");
        assertThat(servedBy(response)).isEqualTo("primary");
        assertThat(response.body()).contains("third time");
        assertThat(attempts(response)).isEqualTo("3");
        assertThat(primary.requestCount()).isEqualTo(3);
        assertThat(backup.requestCount()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waited the Retry-After twice")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void aRetryAfterLongerThanMaxRetryWaitMovesOnAtOnce() throws Exception {
        pair("retries: 2", "failover: { max_retry_wait: 500ms }\n");
        primary.then(status(429, Map.of("Retry-After", "1")), text("too late"));
        HttpResponse<String> response = chat("a");
        assertThat(servedBy(response)).isEqualTo("backup");
        assertThat(attempts(response)).isEqualTo("2");
        assertThat(primary.requestCount()).isEqualTo(1);
    }

    @Test
    void withoutRetriesTheNextChannelIsTriedAtOnce() throws Exception {
        pair("", "");
        primary.then(status(500), text("not asked"));
        HttpResponse<String> response = chat("a");
        assertThat(servedBy(response)).isEqualTo("backup");
        assertThat(primary.requestCount()).isEqualTo(1);
    }

    @Test
    void aServerErrorIsRetriedOnTheSameChannelWithBackoff() throws Exception {
        pair("retries: 1", "");
        primary.then(status(503), text("second try"));
        HttpResponse<String> response = chat("a");
        assertThat(servedBy(response)).isEqualTo("primary");
        assertThat(attempts(response)).isEqualTo("2");
        assertThat(backup.requestCount()).isZero();
    }
}
