package dev.junction.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeGemini;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.FakeResponses;
import dev.junction.testing.MutableClock;
import dev.junction.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Limits and budgets of keys from the config file, over real HTTP on every client API: the 429 is in
 * the client's own shape with {@code Retry-After} and names the limit; rpm admits exactly its number
 * per minute; concurrency and budgets hold under a race; a budget starts again with its period.
 */
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
class LimitsHttpTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String OWNER_PASSWORD = "owner-password-1";

    @TempDir
    static Path dir;

    private final MutableClock CLOCK = new MutableClock();
    private final CountDownLatch RELEASE_RACE = new CountDownLatch(1);
    private final CountDownLatch RELEASE_SLOW = new CountDownLatch(1);
    private final AtomicInteger RACING = new AtomicInteger();
    private final AtomicInteger SLOW = new AtomicInteger();
    private FakeOpenAi openai;
    private FakeResponses responses;
    private FakeAnthropic anthropic;
    private FakeGemini gemini;
    private TestGateway gateway;
    private String session;

    /** The four client APIs, each with its route, how a key is sent and its 429's error type. */
    enum Api {
        CHAT("/v1/chat/completions", "Authorization", "Bearer ", "k-chat-0001",
                "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
        MESSAGES("/v1/messages", "x-api-key", "", "k-messages-01",
                "{\"model\":\"claude\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
        RESPONSES("/v1/responses", "Authorization", "Bearer ", "k-responses-1", "{\"model\":\"resp\",\"input\":\"hi\"}"),
        GEMINI("/v1beta/models/flash:generateContent", "x-goog-api-key", "", "k-gemini-001",
                "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}");

        final String path;
        final String header;
        final String prefix;
        final String key;
        final String body;

        Api(String path, String header, String prefix, String key, String body) {
            this.path = path;
            this.header = header;
            this.prefix = prefix;
            this.key = key;
            this.body = body;
        }

        /** The error type (OpenAI, Anthropic) or status (Gemini) of a rate-limit refusal, and its message. */
        void assertRateLimited(HttpResponse<String> response, String message) {
            assertRateLimited(response, message, 60);
        }

        void assertRateLimited(HttpResponse<String> response, String message, long maxWait) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
            long retryAfter = Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter).isBetween(1L, maxWait);
            JsonNode body = JSON.readTree(response.body());
            switch (this) {
                case CHAT, RESPONSES -> {
                    assertThat(body.at("/error/type").asString()).isEqualTo("rate_limit_error");
                    assertThat(body.at("/error/code").asString()).isEqualTo("rate_limit_exceeded");
                    assertThat(body.at("/error/message").asString()).contains(message);
                }
                case MESSAGES -> {
                    assertThat(body.path("type").asString()).isEqualTo("error");
                    assertThat(body.at("/error/type").asString()).isEqualTo("rate_limit_error");
                    assertThat(body.at("/error/message").asString()).contains(message);
                }
                case GEMINI -> {
                    assertThat(body.at("/error/code").asInt()).isEqualTo(429);
                    assertThat(body.at("/error/status").asString()).isEqualTo("RESOURCE_EXHAUSTED");
                    assertThat(body.at("/error/message").asString()).contains(message);
                }
            }
        }
    }

    /** The database the gateway runs on; {@link LimitsHttpPostgresTest} runs every test on PostgreSQL. */
    String databaseUrl() {
        return "sqlite:" + dir.resolve("junction.db");
    }

    @BeforeAll
    void start() throws Exception {
        openai = FakeOpenAi.start("sk-fake-gpt");
        // The racing key's requests wait at the fake until the race is decided; so do the slow key's.
        openai.always(new FakeProvider.Scripted(request -> {
            String user = request.body().path("user").asString("");
            try {
                if (user.equals("race")) {
                    RACING.incrementAndGet();
                    RELEASE_RACE.await(60, TimeUnit.SECONDS);
                } else if (user.equals("slow")) {
                    SLOW.incrementAndGet();
                    RELEASE_SLOW.await(60, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // 10 input and 1000 output tokens of gpt-4o: $0.000025 + $0.01 = 10025 micro-dollars.
            return new FakeProvider.Text("ok", 1, 10, 1000);
        }));
        responses = FakeResponses.start("sk-fake-resp");
        anthropic = FakeAnthropic.start("sk-fake-claude");
        gemini = FakeGemini.start("sk-fake-gemini");
        // The tests move the clock by days; the owner session must outlive them.
        StringBuilder keys = new StringBuilder("admin:\n  session_ttl: 720h\n  allow_private_base_urls: true\nkeys:\n");
        for (Api api : Api.values()) {
            keys.append("""
                      - name: %s
                        key: %s
                        limits: { rpm: 5 }
                    """.formatted(api.name().toLowerCase(), api.key));
        }
        keys.append("""
                  - name: racer
                    key: k-racer-0001
                    budget: { usd: 0.105, period: day }
                  - name: daily
                    key: k-daily-0001
                    budget: { usd: 0.015, period: day }
                  - name: narrow
                    key: k-narrow-001
                    limits: { concurrent: 3 }
                  - name: tokens
                    key: k-tokens-001
                    limits: { tpm: 3000 }
                """);
        gateway = TestGateway.start(keys + "channels:\n"
                + TestGateway.channel("gpt", openai, "{gpt: gpt-4o}", "")
                + ResponsesHttpTest.responsesChannel("resp", responses, "{resp: gpt-5}")
                + TestGateway.channel("claude", anthropic, "{claude: claude-sonnet-4-5}", "")
                + TestGateway.channel("gemini", gemini, "{flash: gemini-2.5-flash}", ""), CLOCK, databaseUrl());
        HttpResponse<String> setup = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/setup"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"root\",\"password\":\"" + OWNER_PASSWORD
                        + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(setup.statusCode()).as(setup.body()).isEqualTo(201);
        session = setup.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    }

    @AfterAll
    void stop() throws Exception {
        RELEASE_RACE.countDown();
        RELEASE_SLOW.countDown();
        for (AutoCloseable c : new AutoCloseable[] {gateway, openai, responses, anthropic, gemini}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private HttpResponse<String> send(Api api, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + api.path))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header(api.header, api.prefix + key);
        if (api == Api.MESSAGES) {
            request.header("anthropic-version", "2023-06-01");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> chat(String key, String user) throws Exception {
        return send(Api.CHAT, key, "{\"model\":\"gpt\",\"max_tokens\":1000,\"user\":\"" + user
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    /** The limits view of a key of the config file, read through the admin API. */
    private JsonNode limitsOf(String keyName) throws Exception {
        HttpResponse<String> list = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/limits"))
                .header("Cookie", session).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        for (JsonNode item : JSON.readTree(list.body()).path("data")) {
            if (item.path("subject").asString().equals("key") && item.path("name").asString().equals(keyName)) {
                return item;
            }
        }
        throw new AssertionError("no limits for key " + keyName + " in " + list.body());
    }

    /**
     * The limits view of a key once none of its requests is in flight: a request settles as its
     * thread ends it, just after the client has the whole answer.
     */
    private JsonNode settled(String keyName) throws Exception {
        JsonNode view = limitsOf(keyName);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (view.at("/usage/in_flight").asLong() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
            view = limitsOf(keyName);
        }
        return view;
    }

    /** Moves the clock to one second into the next minute, so a test's requests share one minute. */
    private void startOfAMinute() {
        Instant now = CLOCK.now();
        Instant next = now.truncatedTo(ChronoUnit.MINUTES).plusSeconds(61);
        CLOCK.advance(Duration.between(now, next));
    }

    @Test
    void anRpmOfFiveAdmitsExactlyFivePerMinuteOnEveryClientApiAndRefusesInItsShape() throws Exception {
        startOfAMinute();
        for (Api api : Api.values()) {
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> ok = send(api, api.key, api.body);
                assertThat(ok.statusCode()).as(api + " request " + (i + 1) + ": " + ok.body()).isEqualTo(200);
            }
            HttpResponse<String> refused = send(api, api.key, api.body);
            api.assertRateLimited(refused, "key " + api.name().toLowerCase() + ": rpm limit 5 reached; retry in ");
        }
        CLOCK.advance(Duration.ofMinutes(1));
        for (Api api : Api.values()) {
            for (int i = 0; i < 5; i++) {
                assertThat(send(api, api.key, api.body).statusCode()).as(api + " in the next minute").isEqualTo(200);
            }
            assertThat(send(api, api.key, api.body).statusCode()).isEqualTo(429);
        }
    }

    @Test
    void fiftyConcurrentRequestsRacingABudgetThatFitsTenServeExactlyTenAndNeverSpendPastIt() throws Exception {
        // Each request reserves 1000 output + 39 prompt tokens of gpt-4o: 10098 micro-dollars; $0.105 fits 10.
        int racers = 50;
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        AtomicInteger refusedSoFar = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < racers; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    HttpResponse<String> answer = chat("k-racer-0001", "race");
                    if (answer.statusCode() == 429) {
                        refusedSoFar.incrementAndGet();
                    }
                    return answer;
                }));
            }
            go.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (refusedSoFar.get() + RACING.get() < racers && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            try {
                assertThat(RACING.get()).as("requests let through to the provider while all 50 raced").isEqualTo(10);
                JsonNode during = limitsOf("racer");
                assertThat(new java.math.BigDecimal(during.at("/usage/spend_usd").asString()))
                        .isLessThanOrEqualTo(new java.math.BigDecimal("0.105"));
            } finally {
                RELEASE_RACE.countDown();
            }
            int served = 0;
            int refused = 0;
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
                if (response.statusCode() == 200) {
                    served++;
                } else {
                    Api.CHAT.assertRateLimited(response, "key racer: budget of", 86_400);
                    assertThat(response.body()).contains("key racer: budget of $0.11 per day reached");
                    refused++;
                }
            }
            assertThat(served).isEqualTo(10);
            assertThat(refused).isEqualTo(40);
        }
        // The real cost (10025 each) replaced the reservations: 100250 of 105000 micro-dollars. A request
        // settles as its thread ends it, just after the client has the whole answer: wait for the last.
        JsonNode after = settled("racer");
        assertThat(after.at("/usage/spend_usd").asString()).isEqualTo("0.10025");
        assertThat(after.at("/near_limit").toString()).contains("budget");
        assertThat(after.at("/usage/in_flight").asLong()).isZero();
        HttpResponse<String> metrics = gateway.get("/metrics", null);
        assertThat(metrics.body()).as("the 80 % crossing is counted for alerts")
                .contains("junction_quota_soft_threshold_total{level=\"key\",limit=\"budget\"} 1.0");
    }

    @Test
    void aBudgetStartsAgainWithItsPeriodAndTheRefusalSaysWhen() throws Exception {
        CLOCK.advance(Duration.between(CLOCK.now(), CLOCK.now().atZone(ZoneOffset.UTC).toLocalDate().plusDays(1)
                .atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600)));
        assertThat(chat("k-daily-0001", "day").statusCode()).isEqualTo(200);
        HttpResponse<String> refused = chat("k-daily-0001", "day");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(23 * 3600L - 5, 23 * 3600L);
        assertThat(JSON.readTree(refused.body()).at("/error/message").asString())
                .startsWith("key daily: budget of $0.02 per day reached ($0.01 spent or reserved;")
                .endsWith("retry in 23 h");
        assertThat(settled("daily").at("/usage/spend_usd").asString()).isEqualTo("0.010025");

        CLOCK.advance(Duration.ofDays(1));
        assertThat(chat("k-daily-0001", "day").statusCode()).as("a new day, a new budget").isEqualTo(200);
        assertThat(chat("k-daily-0001", "day").statusCode()).isEqualTo(429);
    }

    @Test
    void aConcurrencyLimitAdmitsThatManyInFlightAndFreesASlotWhenOneEnds() throws Exception {
        List<Future<HttpResponse<String>>> slow = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 3; i++) {
                slow.add(pool.submit(() -> chat("k-narrow-001", "slow")));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (SLOW.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(SLOW.get()).isEqualTo(3);
            try {
                HttpResponse<String> fourth = chat("k-narrow-001", "quick");
                Api.CHAT.assertRateLimited(fourth, "key narrow: concurrent limit 3 reached; retry in 1 s");
                assertThat(limitsOf("narrow").at("/usage/in_flight").asLong()).isEqualTo(3);
            } finally {
                RELEASE_SLOW.countDown();
            }
            for (Future<HttpResponse<String>> answer : slow) {
                assertThat(answer.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
        }
        assertThat(settled("narrow").at("/usage/in_flight").asLong()).isZero();
        assertThat(chat("k-narrow-001", "quick").statusCode()).as("the slots are free again").isEqualTo(200);
        assertThat(settled("narrow").at("/usage/in_flight").asLong()).isZero();
    }

    @Test
    void aTpmLimitReservesTheUpperBoundAndCountsTheRealTokens() throws Exception {
        startOfAMinute();
        // Reserves 1022 tokens, counts 1010 when done: two fit in 3000, a third reservation does not.
        assertThat(chat("k-tokens-001", "t").statusCode()).isEqualTo(200);
        assertThat(chat("k-tokens-001", "t").statusCode()).isEqualTo(200);
        // A hold settles as its request's exchange closes, just after the client has read the answer.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (limitsOf("tokens").at("/usage/tokens").asLong() != 2020 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        HttpResponse<String> third = chat("k-tokens-001", "t");
        Api.CHAT.assertRateLimited(third, "key tokens: tpm limit 3000 reached (2020 tokens used or reserved");
        assertThat(limitsOf("tokens").at("/usage/tokens").asLong()).isEqualTo(2020);
        HttpResponse<String> huge = send(Api.CHAT, "k-tokens-001",
                "{\"model\":\"gpt\",\"max_tokens\":5000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        Api.CHAT.assertRateLimited(huge, "above its tpm limit 3000");
    }
}
