package dev.junction.routing;

import static dev.junction.testing.FakeOpenAi.status;
import static dev.junction.testing.FakeOpenAi.text;
import static dev.junction.testing.TestGateway.channel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.config.ChannelConfig;
import dev.junction.config.ConfigLoader;
import dev.junction.testing.Chat;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.MutableClock;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Swapping the routing tables of a running gateway over real HTTP: requests in flight finish on
 * what they started with, the next request sees the change, and what routing learned about a
 * channel that stays (open circuit, disabled key) is not forgotten.
 */
class ReloadTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private final List<AutoCloseable> open = new ArrayList<>();
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private FakeOpenAi fake(String... keys) throws Exception {
        FakeOpenAi fake = FakeOpenAi.start(keys);
        open.add(fake);
        return fake;
    }

    private void start(String yaml) throws Exception {
        gateway = TestGateway.start(dir, yaml, clock);
        open.add(gateway);
    }

    private RoutingSnapshot reload(String channelsYaml) {
        List<ChannelConfig> channels = ConfigLoader.withEnvironment(Map.<String, String>of()::get)
                .parse("reload.yaml", "channels:\n" + channelsYaml).channels();
        return gateway.gateway().replaceChannels(channels);
    }

    private HttpResponse<String> chat() throws Exception {
        return gateway.post("/v1/chat/completions", Chat.body("chat", false));
    }

    private static String servedBy(HttpResponse<String> response) {
        return response.headers().firstValue("x-junction-channel").orElse("none");
    }

    @Test
    void aRequestInFlightFinishesOnItsSnapshotWhileTheNextRequestSeesTheNewOne() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FakeOpenAi old = fake("sk-fake-old").always(new FakeOpenAi.Scripted(body -> {
            arrived.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return text("from the old channel");
        }));
        FakeOpenAi fresh = fake("sk-fake-new").always(text("from the new channel"));
        start("channels:\n" + channel("old", old, "[chat]", ""));
        long before = gateway.gateway().router().current().version();

        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return chat();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(arrived.await(20, TimeUnit.SECONDS)).isTrue();
        RoutingSnapshot swapped = reload(channel("new", fresh, "[chat]", ""));
        assertThat(swapped.version()).isEqualTo(before + 1);
        assertThat(gateway.gateway().router().current().channelNamed("old")).isEmpty();

        HttpResponse<String> next = chat();
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(servedBy(next)).isEqualTo("new");
        assertThat(next.body()).contains("from the new channel");
        assertThat(inFlight).isNotDone();

        release.countDown();
        HttpResponse<String> finished = inFlight.get(20, TimeUnit.SECONDS);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(servedBy(finished)).isEqualTo("old");
        assertThat(finished.body()).contains("from the old channel");
        assertThat(old.requestCount()).isEqualTo(1);
    }

    @Test
    void aChannelThatStaysKeepsItsOpenCircuitAcrossAReload() throws Exception {
        FakeOpenAi primary = fake("sk-fake-primary").always(status(500));
        FakeOpenAi backup = fake("sk-fake-backup");
        String channels = channel("primary", primary, "[chat]", "priority: 10") + channel("backup", backup, "[chat]", "");
        start("failover: { breaker: { consecutive_failures: 2, open_for: 60s } }\nchannels:\n" + channels);
        long primaryId = gateway.gateway().router().current().channelNamed("primary").orElseThrow().id();
        chat();
        chat();
        assertThat(primary.requestCount()).isEqualTo(2);

        // The same file read again, with the backup re-weighted: the primary keeps its id and its open circuit.
        reload(channel("primary", primary, "[chat]", "priority: 10") + channel("backup", backup, "[chat]", "weight: 5"));
        assertThat(gateway.gateway().router().current().channelNamed("primary").orElseThrow().id()).isEqualTo(primaryId);
        HttpResponse<String> response = chat();
        assertThat(servedBy(response)).isEqualTo("backup");
        assertThat(response.headers().firstValue("x-junction-attempts")).contains("1");
        assertThat(primary.requestCount()).as("skipped without a call").isEqualTo(2);
    }

    @Test
    void aDisabledKeyStaysDisabledAcrossAReloadWhereverItSitsInTheList() throws Exception {
        FakeOpenAi provider = fake("sk-good-key-2222");
        start("channels:\n" + """
                  - name: multi
                    type: openai
                    base_url: %s
                    api_keys: [sk-bad-key-1111, sk-good-key-2222]
                    models: [chat]
                """.formatted(provider.baseUrl()));
        assertThat(chat().statusCode()).isEqualTo(200);
        assertThat(provider.received()).filteredOn(r -> r.header("authorization").endsWith("1111")).hasSize(1);

        reload("""
                  - name: multi
                    type: openai
                    base_url: %s
                    api_keys: [sk-good-key-2222, sk-bad-key-1111]
                    models: [chat]
                """.formatted(provider.baseUrl()));
        KeyState bad = gateway.gateway().router().current().channelNamed("multi").orElseThrow().keys().get(1);
        assertThat(bad.suffix()).isEqualTo("…1111");
        assertThat(bad.disabled()).isTrue();
        for (int i = 0; i < 4; i++) {
            assertThat(chat().statusCode()).isEqualTo(200);
        }
        assertThat(provider.received()).filteredOn(r -> r.header("authorization").endsWith("1111")).hasSize(1);
    }
}
