package dev.junction.app;

import static dev.junction.testing.FakeProvider.status;
import static dev.junction.testing.FakeProvider.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.state.Counters;
import dev.junction.state.SharedState;
import dev.junction.state.StateKey;
import dev.junction.state.Window;
import dev.junction.testing.Chat;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.TcpProxy;
import dev.junction.testing.PostgresSchema;
import dev.junction.testing.RedisKeys;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three gateways that share only the machine's PostgreSQL (a schema of the test's own) and Redis
 * (a key prefix of its own), each reaching Redis through a proxy the test can cut: what one
 * instance learns the others honour, counters are exact across them, and an outage of Redis fails
 * no request and shares again when it ends.
 */
class ScaleOutTest {

    @RegisterExtension
    final PostgresSchema postgres = new PostgresSchema("junction_scale");
    private final String prefix = "junction-scale-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<TcpProxy> proxies = new ArrayList<>();
    private final List<TestGateway> gateways = new ArrayList<>();
    private FakeOpenAi chat;
    private FakeOpenAi flaky;
    private FakeOpenAi backup;

    /**
     * Redis is reached with a 1 s timeout instead of 100 ms: the test machine is loaded, and an
     * operation that times out is counted locally (correct, but not the exact count asserted here).
     */
    @BeforeEach
    void startThreeInstances() throws Exception {
        chat = FakeOpenAi.start("sk-fake-key-one-1111", "sk-fake-key-two-2222");
        chat.always(new FakeProvider.When(r -> r.header("authorization").endsWith("1111"),
                status(429, "{\"error\":{\"message\":\"rate limited\"}}", Map.of("Retry-After", "60")),
                text("hello")));
        flaky = FakeOpenAi.start("sk-fake-flaky");
        flaky.always(status(500));
        backup = FakeOpenAi.start("sk-fake-backup");
        open.addAll(List.of(chat, flaky, backup));
        String channels = """
                failover: { breaker: { consecutive_failures: 2, open_for: 60s } }
                channels:
                  - name: multi
                    type: openai
                    base_url: %s
                    api_keys: [sk-fake-key-one-1111, sk-fake-key-two-2222]
                    models: [chat]
                  - name: flaky
                    type: openai
                    base_url: %s
                    api_key: sk-fake-flaky
                    models: [b]
                    priority: 10
                  - name: backup
                    type: openai
                    base_url: %s
                    api_key: sk-fake-backup
                    models: [b]
                """.formatted(chat.baseUrl(), flaky.baseUrl(), backup.baseUrl());
        for (int i = 0; i < 3; i++) {
            TcpProxy proxy = TcpProxy.to("127.0.0.1", 6379);
            proxies.add(proxy);
            open.add(proxy);
            TestGateway gateway = TestGateway.start("redis: \"redis://127.0.0.1:" + proxy.port() + "?prefix=" + prefix
                    + "&timeout_ms=1000\"\n" + channels, dev.junction.core.Clock.system(),
                    postgres.url());
            gateways.add(gateway);
            open.add(gateway);
        }
        eventually("all three heartbeat", () -> gateways.stream().allMatch(g -> shared(g).instances() == 3));
    }

    @AfterEach
    void stopAndCleanUp() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        RedisKeys.deleteAll(prefix);
    }

    private static SharedState shared(TestGateway gateway) {
        return gateway.gateway().sharedState().orElseThrow();
    }

    private TestGateway a() {
        return gateways.get(0);
    }

    private TestGateway b() {
        return gateways.get(1);
    }

    private TestGateway c() {
        return gateways.get(2);
    }

    private static HttpResponse<String> ask(TestGateway gateway, String model) throws Exception {
        return gateway.post("/v1/chat/completions", Chat.body(model, false));
    }

    private static String attempts(HttpResponse<String> response) {
        return response.headers().firstValue("x-junction-attempts").orElse("?");
    }

    private static String servedBy(HttpResponse<String> response) {
        return response.headers().firstValue("x-junction-channel").orElse("none");
    }

    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void aRateLimitLearnedOnOneInstanceIsHonouredByTheOthers() throws Exception {
        HttpResponse<String> first = ask(a(), "chat");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(attempts(first)).as("key one answered 429, key two served").isEqualTo("2");
        for (TestGateway other : List.of(b(), c(), b(), c())) {
            HttpResponse<String> next = ask(other, "chat");
            assertThat(next.statusCode()).isEqualTo(200);
            assertThat(attempts(next)).as("the resting key is not tried").isEqualTo("1");
        }
        assertThat(chat.received()).filteredOn(r -> r.header("authorization").endsWith("1111")).hasSize(1);
    }

    @Test
    void aCircuitOpenedOnOneInstanceIsOpenOnTheOthers() throws Exception {
        assertThat(servedBy(ask(a(), "b"))).isEqualTo("backup");
        assertThat(servedBy(ask(a(), "b"))).isEqualTo("backup");
        assertThat(flaky.requestCount()).as("two failures open the circuit").isEqualTo(2);
        for (TestGateway other : List.of(b(), c(), a())) {
            HttpResponse<String> next = ask(other, "b");
            assertThat(servedBy(next)).isEqualTo("backup");
            assertThat(attempts(next)).as("the open channel is skipped").isEqualTo("1");
        }
        assertThat(flaky.requestCount()).isEqualTo(2);
    }

    @Test
    void countersAreExactAcrossInstances() throws Exception {
        List<Counters> counters = gateways.stream().map(g -> shared(g).state().counters()).toList();
        StateKey subject = StateKey.key(0, "gateway-key-1");
        // A day's window: a minute's could end mid-test, and counts are shared only while their window lasts.
        Window day = Window.fixed(Duration.ofDays(1), java.time.Instant.now());
        List<Boolean> admitted = race(90, i -> counters.get(i % 3).tryAdd(subject, "requests", day, 1, 30)
                .admitted());
        assertThat(admitted).filteredOn(x -> x).hasSize(30);
        for (Counters each : counters) {
            assertThat(each.count(subject, "requests", day)).isEqualTo(30);
        }
    }

    @Test
    void redisGoingAwayFailsNoRequestAndSharingResumesWhenItIsBack() throws Exception {
        assertThat(a().get("/health", null).body()).contains("\"status\":\"ok\"", "\"redis\":\"up\"",
                "\"instances\":3");
        proxies.get(0).cut();
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        List<Boolean> admitted = new CopyOnWriteArrayList<>();
        StateKey subject = StateKey.key(0, "gateway-key-2");
        // A day's window: a minute's could end mid-test, and counts are shared only while their window lasts.
        Window day = Window.fixed(Duration.ofDays(1), java.time.Instant.now());
        Counters countersA = shared(a()).state().counters();
        for (int i = 0; i < 12; i++) {
            statuses.add(ask(a(), i % 2 == 0 ? "chat" : "b").statusCode());
            admitted.add(countersA.tryAdd(subject, "requests", day, 1, 30).admitted());
        }
        assertThat(statuses).as("no request fails because Redis is away").containsOnly(200);
        assertThat(shared(a()).redisUp()).isFalse();
        assertThat(admitted).as("A's share of 30 among 3 instances").filteredOn(x -> x).hasSize(10);
        HttpResponse<String> health = a().get("/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"degraded\"", "\"redis\":\"down\"");
        assertThat(a().get("/metrics", null).body()).contains("junction_redis_up 0.0");
        assertThat(b().get("/health", null).body()).contains("\"redis\":\"up\"");
        assertThat(b().get("/metrics", null).body()).contains("junction_redis_up 1.0");

        proxies.get(0).restore();
        eventually("A is back on Redis", () -> shared(a()).redisUp());
        assertThat(a().get("/health", null).body()).contains("\"status\":\"ok\"");
        Counters countersB = shared(b()).state().counters();
        assertThat(countersB.count(subject, "requests", day)).as("what A counted meanwhile is shared")
                .isEqualTo(10);
        assertThat(countersB.tryAdd(subject, "requests", day, 20, 30).admitted()).isTrue();
        assertThat(countersA.tryAdd(subject, "requests", day, 1, 30).admitted()).as("exact again").isFalse();
        HttpResponse<String> after = ask(b(), "chat");
        assertThat(after.statusCode()).isEqualTo(200);
    }

    @Test
    void aConfigChangeAnnouncedOnOneInstanceReachesTheOthers() throws Exception {
        List<Long> heardByB = new CopyOnWriteArrayList<>();
        List<Long> heardByC = new CopyOnWriteArrayList<>();
        b().gateway().configChanges().subscribe(heardByB::add);
        c().gateway().configChanges().subscribe(heardByC::add);
        long sent = System.nanoTime();
        a().gateway().configChanges().announce(7);
        eventually("B and C hear version 7", () -> heardByB.contains(7L) && heardByC.contains(7L));
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(1));
    }

    private interface Indexed<T> {
        T call(int index) throws Exception;
    }

    private static <T> List<T> race(int callers, Indexed<T> call) throws Exception {
        CyclicBarrier start = new CyclicBarrier(callers);
        try (var threads = Executors.newFixedThreadPool(callers)) {
            List<Future<T>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                int index = i;
                Callable<T> task = () -> {
                    start.await();
                    return call.call(index);
                };
                results.add(threads.submit(task));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : results) {
                out.add(f.get());
            }
            return out;
        }
    }
}
