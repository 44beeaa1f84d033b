package dev.junction.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.PostgresSchema;
import dev.junction.testing.RedisKeys;
import dev.junction.testing.TcpProxy;
import dev.junction.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A key's limits and budget through HTTP with three gateways sharing the machine's PostgreSQL (a
 * schema of the test's own) and Redis (a key prefix of its own, reached by each instance through a
 * proxy the test can cut), requests spread over all three at once (issue 18): a key with rpm 10
 * admits exactly 10, concurrent requests never reserve past a budget, and a channel's rpm of 10 lets
 * exactly 10 through, whichever instance they reach; with Redis cut away from one instance mid-run,
 * no request fails, that instance holds the key to its share of the limit, and once Redis is back
 * what it counted alone is shared.
 */
class SharedLimitsHttpTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    private static final String LIMITED = "k-shared-rpm-0001";
    private static final String BUDGETED = "k-shared-usd-0001";
    private static final String FREE = "k-shared-free-0001";
    private static final String SHARED = "k-shared-rpm-0030";

    @RegisterExtension
    final PostgresSchema postgres = new PostgresSchema("junction_shlim");
    private final String prefix = "junction-shlim-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<TestGateway> gateways = new ArrayList<>();
    private final List<TcpProxy> proxies = new ArrayList<>();
    private final AtomicInteger held = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private FakeOpenAi openai;

    @BeforeEach
    void startThreeInstances() throws Exception {
        openai = FakeOpenAi.start("sk-fake-gpt");
        openai.acceptAlso("sk-fake-capped");
        openai.always(new FakeProvider.Scripted(request -> {
            if (request.body().path("user").asString("").equals("hold")) {
                held.incrementAndGet();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            // 10 input and 1000 output tokens of gpt-4o: $0.000025 + $0.01 = 10025 micro-dollars.
            return new FakeProvider.Text("ok", 1, 10, 1000);
        }));
        open.add(openai);
        String config = """
                keys:
                  - name: limited
                    key: %s
                    limits: { rpm: 10 }
                  - name: budgeted
                    key: %s
                    budget: { usd: 0.105, period: day }
                  - name: free
                    key: %s
                  - name: shared
                    key: %s
                    limits: { rpm: 30 }
                channels:
                """.formatted(LIMITED, BUDGETED, FREE, SHARED) + TestGateway.channel("gpt", openai, "{gpt: gpt-4o}", "")
                + TestGateway.channel("capped", openai, "{capped: gpt-4o}", "limits: { rpm: 10 }\n");
        for (int i = 0; i < 3; i++) {
            TcpProxy proxy = TcpProxy.to("127.0.0.1", 6379);
            proxies.add(proxy);
            open.add(proxy);
            TestGateway gateway = TestGateway.start("redis: \"redis://127.0.0.1:" + proxy.port() + "?prefix=" + prefix
                    + "&timeout_ms=1000\"\n" + config, dev.junction.core.Clock.system(),
                    postgres.url());
            gateways.add(gateway);
            open.add(gateway);
        }
        ScaleOutTest.eventually("all three heartbeat", () -> gateways.stream()
                .allMatch(g -> g.gateway().sharedState().orElseThrow().instances() == 3));
    }

    @AfterEach
    void stopAndCleanUp() throws Exception {
        release.countDown();
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        RedisKeys.deleteAll(prefix);
    }

    private HttpResponse<String> chat(TestGateway gateway, String key, String user) throws Exception {
        return chat(gateway, key, user, "gpt");
    }

    private HttpResponse<String> chat(TestGateway gateway, String key, String user, String model) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"max_tokens\":1000,\"user\":\"" + user
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code perInstance} requests on each of the three gateways, all at once; the answers in order. */
    private List<Future<HttpResponse<String>>> race(ExecutorService pool, int perInstance, String key, String user) {
        return race(pool, perInstance, key, user, "gpt");
    }

    private List<Future<HttpResponse<String>>> race(ExecutorService pool, int perInstance, String key, String user,
            String model) {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 3 * perInstance; i++) {
            TestGateway gateway = gateways.get(i % 3);
            answers.add(pool.submit(() -> {
                go.await();
                return chat(gateway, key, user, model);
            }));
        }
        go.countDown();
        return answers;
    }

    @Test
    void aKeysRpmOfTenAdmitsExactlyTenAcrossThreeInstances() throws Exception {
        // The limit counts calendar minutes: start the race well inside one.
        long second = Instant.now().getEpochSecond() % 60;
        if (second > 40) {
            Thread.sleep((61 - second) * 1000);
        }
        int served = 0;
        int refused = 0;
        List<Integer> servedPerInstance = new ArrayList<>(List.of(0, 0, 0));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> answers = race(pool, 10, LIMITED, "free");
            for (int i = 0; i < answers.size(); i++) {
                HttpResponse<String> answer = answers.get(i).get(90, TimeUnit.SECONDS);
                if (answer.statusCode() == 200) {
                    served++;
                    servedPerInstance.set(i % 3, servedPerInstance.get(i % 3) + 1);
                } else {
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(429);
                    assertThat(answer.body()).contains("key limited: rpm limit 10 reached");
                    assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                    refused++;
                }
            }
        }
        assertThat(served).as("served on instances %s", servedPerInstance).isEqualTo(10);
        assertThat(refused).isEqualTo(20);
        assertThat(openai.requestCount()).isEqualTo(10);
        assertThat(gateways).allMatch(g -> g.gateway().sharedState().orElseThrow().redisUp());
    }

    @Test
    void concurrentRequestsOnEveryInstanceNeverSpendPastABudget() throws Exception {
        // Each request reserves 1000 output + 39 prompt tokens of gpt-4o: 10098 micro-dollars; $0.105
        // fits 10 reservations. The provider holds every request it gets until all 30 have been
        // answered or are held, so the reservations are all in flight together.
        int served = 0;
        int refused = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> answers = race(pool, 10, BUDGETED, "hold");
            AtomicInteger answered = new AtomicInteger();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                answered.set((int) answers.stream().filter(Future::isDone).count());
                if (answered.get() + held.get() >= 30) {
                    break;
                }
                Thread.sleep(5);
            }
            try {
                assertThat(held.get()).as("requests let through to the provider while all 30 raced").isEqualTo(10);
            } finally {
                release.countDown();
            }
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(90, TimeUnit.SECONDS);
                if (response.statusCode() == 200) {
                    served++;
                } else {
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
                    assertThat(response.body()).contains("key budgeted: budget of $0.11 per day reached");
                    refused++;
                }
            }
        }
        assertThat(served).isEqualTo(10);
        assertThat(refused).isEqualTo(20);
        // The real cost (10025 each) replaced the reservations on every instance: 100250 of 105000
        // micro-dollars spent, so an eleventh request (reserving 10098) is refused wherever it goes.
        for (TestGateway gateway : gateways) {
            assertThat(chat(gateway, BUDGETED, "free").statusCode()).isEqualTo(429);
        }
        assertThat(openai.requestCount()).isEqualTo(10);
    }

    @Test
    void aBudgetsSpendIsPutBackWhenRedisLosesItsData() throws Exception {
        // 10 requests at 10025 micro-dollars spend 100250 of 105000: the eleventh is refused.
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> served = chat(gateways.get(i % 3), BUDGETED, "free");
            assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        }
        assertThat(chat(gateways.get(0), BUDGETED, "free").statusCode()).isEqualTo(429);
        RedisKeys.deleteAll(prefix); // what a Redis restarted without persistence (or flushed) holds of it
        // A heartbeat (every second) finds the state gone and puts the spend back, and again 2 s later
        // for the rows that were still on their way to the database (the last requests' just now).
        Thread.sleep(4_000);
        for (TestGateway gateway : gateways) {
            HttpResponse<String> refused = chat(gateway, BUDGETED, "free");
            assertThat(refused.statusCode()).as("the day's spend came back from the usage records: " + refused.body())
                    .isEqualTo(429);
        }
        assertThat(openai.requestCount()).isEqualTo(10);
    }

    @Test
    void aChannelsRpmOfTenLetsExactlyTenThroughAcrossThreeInstances() throws Exception {
        int served = 0;
        int refused = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<HttpResponse<String>> answer : race(pool, 10, FREE, "free", "capped")) {
                HttpResponse<String> response = answer.get(90, TimeUnit.SECONDS);
                if (response.statusCode() == 200) {
                    served++;
                } else {
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
                    assertThat(response.body()).contains("rpm");
                    assertThat(response.headers().firstValue("Retry-After")).isPresent();
                    refused++;
                }
            }
        }
        assertThat(served).isEqualTo(10);
        assertThat(refused).isEqualTo(20);
        assertThat(openai.requestCount()).as("the channel's provider saw only its 10").isEqualTo(10);
    }

    @Test
    void redisCutAwayMidRunFailsNoRequestHoldsTheInstanceToItsShareAndSharesAgainWhenBack() throws Exception {
        // The key's rpm counts calendar minutes: run the whole test inside one.
        long second = Instant.now().getEpochSecond() % 60;
        if (second > 25) {
            Thread.sleep((61 - second) * 1000);
        }
        TestGateway a = gateways.get(0);
        List<Integer> background = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread load = Thread.ofVirtual().start(() -> {
            while (running.get()) {
                try {
                    background.add(chat(a, FREE, "free").statusCode());
                } catch (Exception e) {
                    background.add(-1);
                }
            }
        });
        try {
            ScaleOutTest.eventually("traffic on A before the cut", () -> background.size() >= 3);
            proxies.get(0).cut(); // mid-run: A's requests keep coming
            List<Integer> onA = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                HttpResponse<String> response = chat(a, SHARED, "free");
                onA.add(response.statusCode());
                if (response.statusCode() != 200) {
                    assertThat(response.body()).contains("rpm limit");
                }
            }
            assertThat(a.gateway().sharedState().orElseThrow().redisUp()).isFalse();
            assertThat(onA).as("A alone: its share, 30 / 3 instances, then 429").containsOnly(200, 429)
                    .filteredOn(s -> s == 200).hasSize(10);
            for (int i = 0; i < 10; i++) {
                assertThat(chat(gateways.get(1), SHARED, "free").statusCode()).as("B, on Redis").isEqualTo(200);
            }

            proxies.get(0).restore();
            ScaleOutTest.eventually("A is back on Redis", () -> a.gateway().sharedState().orElseThrow().redisUp());
            int backOnC = 0;
            for (int i = 0; i < 15; i++) {
                int status = chat(gateways.get(2), SHARED, "free").statusCode();
                assertThat(status).isIn(200, 429);
                backOnC += status == 200 ? 1 : 0;
            }
            assertThat(backOnC).as("shared again: 30 − B's 10 − what A counted alone").isEqualTo(10);
        } finally {
            running.set(false);
            load.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(background).as("A's traffic while Redis went and came back").isNotEmpty().containsOnly(200);
    }
}
