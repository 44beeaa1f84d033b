package dev.junction.relay;

import static dev.junction.testing.FakeOpenAi.status;
import static dev.junction.testing.FakeOpenAi.text;
import static dev.junction.testing.TestGateway.channel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.Chat;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.JsonTree;
import dev.junction.testing.MutableClock;
import dev.junction.testing.TestGateway;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every row of the failover table against fault-injecting fakes, streaming and not. Time-based
 * state (cooldowns, circuits, probes) runs on a clock the test moves by hand.
 */
class FailoverTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

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

    private FakeOpenAi fake(String... keys) throws Exception {
        FakeOpenAi fake = FakeOpenAi.start(keys);
        open.add(fake);
        return fake;
    }

    private void start(String yaml) throws Exception {
        gateway = TestGateway.start(dir, yaml, clock);
        open.add(gateway);
    }

    /** primary (priority 10, with extra YAML) and backup (priority 0) for public model "chat". */
    private void pair(String primaryExtra, String failover) throws Exception {
        primary = fake("sk-fake-primary");
        backup = fake("sk-fake-backup");
        start(failover + "channels:\n" + channel("primary", primary, "[chat]", "priority: 10\n" + primaryExtra)
                + channel("backup", backup, "[chat]", ""));
    }

    private HttpResponse<String> chat(boolean stream) throws Exception {
        return gateway.post("/v1/chat/completions", Chat.body("chat", stream));
    }

    /** The attempts a usage row records, as JSON. */
    private static JsonNode attemptsOf(Map<String, Object> row) {
        return JsonTree.of(row.get("attempts").toString());
    }

    private static String servedBy(HttpResponse<String> response) {
        return response.headers().firstValue("x-junction-channel").orElse("none");
    }

    private static String attempts(HttpResponse<String> response) {
        return response.headers().firstValue("x-junction-attempts").orElse("?");
    }

    // --- 429 and Retry-After ----------------------------------------------------------------------

    @Test
    void rateLimitWithRetryAfterSecondsRestsTheChannelForThatLong() throws Exception {
        assertRateLimitRests(Map.of("Retry-After", "20"), Duration.ofSeconds(20));
    }

    @Test
    void rateLimitWithRetryAfterHttpDateRestsTheChannelUntilThen() throws Exception {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(40));
        // An HTTP date has whole seconds and is read a moment after it was written: the rest is 30–40 s.
        assertRateLimitRests(Map.of("Retry-After", date), Duration.ofSeconds(30), Duration.ofSeconds(40));
    }

    @Test
    void rateLimitWithRetryAfterMsIsHonoured() throws Exception {
        assertRateLimitRests(Map.of("retry-after-ms", "7500", "Retry-After", "999"), Duration.ofMillis(7500));
    }

    @Test
    void rateLimitWithoutRetryAfterRestsForTheConfiguredCooldown() throws Exception {
        pair("", "failover: { cooldown: 15s }\n");
        primary.then(status(429));
        assertThat(servedBy(chat(false))).isEqualTo("backup");
        clock.advance(Duration.ofSeconds(14));
        assertThat(servedBy(chat(false))).isEqualTo("backup");
        clock.advance(Duration.ofSeconds(2));
        assertThat(servedBy(chat(false))).isEqualTo("primary");
    }

    private void assertRateLimitRests(Map<String, String> headers, Duration rest) throws Exception {
        assertRateLimitRests(headers, rest, rest);
    }

    /** The rest lasts at least {@code shortest} and at most {@code longest}. */
    private void assertRateLimitRests(Map<String, String> headers, Duration shortest, Duration longest)
            throws Exception {
        pair("", "");
        primary.then(status(429, "{\"error\":{\"message\":\"rate limited\"}}", headers));
        HttpResponse<String> first = chat(true);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(servedBy(first)).isEqualTo("backup");
        assertThat(attempts(first)).isEqualTo("2");
        // While the key rests, the primary is not even asked.
        clock.advance(shortest.minusSeconds(2));
        HttpResponse<String> during = chat(false);
        assertThat(servedBy(during)).isEqualTo("backup");
        assertThat(attempts(during)).isEqualTo("1");
        assertThat(primary.requestCount()).isEqualTo(1);
        // Once it has rested, traffic returns to it.
        clock.advance(longest.minus(shortest).plusSeconds(3));
        assertThat(servedBy(chat(false))).isEqualTo("primary");
        JsonNode limited = attemptsOf(gateway.usageRows(3).getFirst()).get(0);
        assertThat(limited.path("channel").asString()).isEqualTo("primary");
        assertThat(limited.path("status").asInt()).isEqualTo(429);
        assertThat(limited.path("key").asString()).isEqualTo("…mary");
    }

    @Test
    void whenEveryChannelRestsTheSoonestFreeIsTriedRatherThanFailingAtOnce() throws Exception {
        primary = fake();
        start("channels:\n" + channel("only", primary, "[chat]", ""));
        primary.then(status(429, "{}", Map.of("Retry-After", "60")));
        HttpResponse<String> limited = chat(false);
        assertThat(limited.statusCode()).isEqualTo(503);
        assertThat(limited.headers().firstValue("Retry-After")).contains("60");
        // Still resting, but the only candidate: it is tried, and it answers.
        HttpResponse<String> next = chat(false);
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(primary.requestCount()).isEqualTo(2);
    }

    // --- server errors and transport faults, streaming and not --------------------------------------

    @Test
    void serverErrorsAndResetsFailOverForStreamsToo() throws Exception {
        pair("", "failover: { breaker: { consecutive_failures: 100 } }\n");
        for (FakeOpenAi.Reply fault : List.of(status(500), status(503), status(529), new FakeOpenAi.Reset(),
                new FakeOpenAi.Garbage())) {
            primary.then(fault);
            HttpResponse<String> response = chat(true);
            assertThat(servedBy(response)).as("%s", fault).isEqualTo("backup");
            assertThat(response.body()).endsWith("data: [DONE]\n\n");
        }
    }

    @Test
    void noResponseIsBoundedByTheFirstByteTimeoutNonStreamed() throws Exception {
        pair("timeout: { first_byte: 250ms }", "");
        primary.then(new FakeOpenAi.Hang());
        long start = System.nanoTime();
        HttpResponse<String> response = chat(false);
        assertThat(servedBy(response)).isEqualTo("backup");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(gateway.usageRows().getFirst().get("attempts").toString()).contains("first-byte timeout");
    }

    @Test
    void aSlowFirstByteWithinTheLimitIsWaitedFor() throws Exception {
        pair("timeout: { first_byte: 5s }", "");
        primary.then(new FakeOpenAi.Delayed(Duration.ofMillis(300), text("worth the wait")));
        HttpResponse<String> response = chat(true);
        assertThat(servedBy(response)).isEqualTo("primary");
        assertThat(attempts(response)).isEqualTo("1");
    }

    @Test
    void aSlowFirstByteBeyondTheLimitFailsOver() throws Exception {
        pair("timeout: { first_byte: 150ms }", "");
        primary.then(new FakeOpenAi.Delayed(Duration.ofSeconds(3), text("too late")));
        assertThat(servedBy(chat(true))).isEqualTo("backup");
    }

    @Test
    void aStallAfterContentEndsTheStreamWithAnErrorAfterTheIdleTimeout() throws Exception {
        // without continuation (else the backup continues the answer: PassThroughContinuationTest)
        pair("timeout: { idle: 300ms }", "failover: { continue_streams: false }\n");
        primary.then(new FakeOpenAi.BrokenStream(2, FakeOpenAi.Fault.STALL));
        HttpResponse<String> response = chat(true);
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> data = response.body().lines().filter(l -> l.startsWith("data: ")).toList();
        assertThat(data).anyMatch(d -> d.contains("part1"));
        assertThat(data).noneMatch(d -> d.equals("data: [DONE]"));
        assertThat(JSON.readTree(data.getLast().substring(6)).at("/error/message").asString()).contains("silent");
        assertThat(gateway.usageRows().getFirst()).containsEntry("end_reason", "idle_timeout");
    }

    @Test
    void anErrorEventBeforeContentFailsOverAndAfterContentIsReported() throws Exception {
        pair("", "failover: { continue_streams: false }\n");
        primary.then(new FakeOpenAi.BrokenStream(0, FakeOpenAi.Fault.ERROR_EVENT));
        assertThat(servedBy(chat(true))).isEqualTo("backup");
        primary.then(new FakeOpenAi.BrokenStream(1, FakeOpenAi.Fault.ERROR_EVENT));
        HttpResponse<String> late = chat(true);
        assertThat(servedBy(late)).isEqualTo("primary");
        assertThat(late.body()).doesNotContain("[DONE]");
        assertThat(JsonTree.events(late.body()).getLast().at("/error/message").asString()).isNotEmpty();
    }

    // --- 400s -----------------------------------------------------------------------------------------

    @Test
    void aContextLengthErrorFailsOverToAChannelThatCanServeIt() throws Exception {
        pair("", "");
        primary.then(status(400, "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens\","
                + "\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}", Map.of()));
        HttpResponse<String> response = chat(false);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(servedBy(response)).isEqualTo("backup");
    }

    // --- keys -------------------------------------------------------------------------------------------

    @Test
    void aRejectedKeyOfAMultiKeyChannelIsDisabledAndTheNextKeyServes() throws Exception {
        primary = fake("sk-good-key-2222");
        start("failover: { key_probe_every: 5m }\nchannels:\n" + """
                  - name: multi
                    type: openai
                    base_url: %s
                    api_keys: [sk-bad-key-1111, sk-good-key-2222]
                    models: [chat]
                """.formatted(primary.baseUrl()));
        HttpResponse<String> first = chat(false);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(servedBy(first)).isEqualTo("multi");
        assertThat(attempts(first)).isEqualTo("2");
        Map<String, Object> row = gateway.usageRows().getFirst();
        assertThat(attemptsOf(row)).extracting(a -> a.path("key").asString() + " " + a.path("status").asInt())
                .containsExactly("…1111 401", "…2222 200");
        assertThat(row.get("attempts").toString()).doesNotContain("sk-bad");
        for (int i = 0; i < 4; i++) {
            assertThat(attempts(chat(false))).as("the bad key is skipped now").isEqualTo("1");
        }
        assertThat(primary.received()).filteredOn(r -> r.header("authorization").endsWith("1111")).hasSize(1);

    }

    @Test
    void aDisabledKeyIsReEnabledByTheProbeOnceItWorks() throws Exception {
        primary = fake("sk-good-key-2222");
        start("failover: { key_probe_every: 2m }\nchannels:\n" + """
                  - name: multi
                    type: openai
                    base_url: %s
                    api_keys: [sk-bad-key-1111, sk-good-key-2222]
                    models: [chat]
                """.formatted(primary.baseUrl()));
        chat(false);
        var badKey = gateway.gateway().router().channels().getFirst().keys().getFirst();
        assertThat(badKey.disabled()).isTrue();
        clock.advance(Duration.ofMinutes(3));
        gateway.gateway().runHealthChecks();
        assertThat(badKey.disabled()).as("still refused by the provider").isTrue();
        primary.acceptAlso("sk-bad-key-1111");
        clock.advance(Duration.ofMinutes(3));
        gateway.gateway().runHealthChecks();
        assertThat(badKey.disabled()).isFalse();
        for (int i = 0; i < 4; i++) {
            chat(false);
        }
        assertThat(primary.received()).filteredOn(r -> r.header("authorization").endsWith("1111")
                && r.body().path("max_tokens").isMissingNode()).hasSizeGreaterThan(1);
    }

    // --- circuit breaker and health checks --------------------------------------------------------------

    @Test
    void aFlappingPrimaryLosesTrafficThenGetsItBackAfterRecovery() throws Exception {
        pair("", "failover: { breaker: { consecutive_failures: 3, open_for: 30s } }\n");
        primary.always(status(500));
        for (int i = 0; i < 3; i++) {
            assertThat(servedBy(chat(false))).isEqualTo("backup");
        }
        int primaryCalls = primary.requestCount();
        assertThat(primaryCalls).isEqualTo(3);
        // Open circuit: the primary is skipped without a call.
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = chat(false);
            assertThat(servedBy(response)).isEqualTo("backup");
            assertThat(attempts(response)).isEqualTo("1");
        }
        assertThat(primary.requestCount()).isEqualTo(primaryCalls);
        // It recovers; after open_for one probe request goes to it, succeeds, and traffic returns.
        primary.always(text("back again"));
        clock.advance(Duration.ofSeconds(31));
        for (int i = 0; i < 5; i++) {
            assertThat(servedBy(chat(i % 2 == 0))).isEqualTo("primary");
        }
    }

    @Test
    void aFailingProbeDuringHalfOpenReopensTheCircuit() throws Exception {
        pair("", "failover: { breaker: { consecutive_failures: 2, open_for: 10s } }\n");
        primary.always(status(502));
        chat(false);
        chat(false);
        clock.advance(Duration.ofSeconds(11));
        int before = primary.requestCount();
        assertThat(servedBy(chat(false))).isEqualTo("backup");
        assertThat(primary.requestCount()).as("one half-open probe").isEqualTo(before + 1);
        assertThat(servedBy(chat(false))).isEqualTo("backup");
        assertThat(primary.requestCount()).as("open again: skipped").isEqualTo(before + 1);
    }

    @Test
    void aFailingHealthCheckTakesTheChannelOutAndAPassingOneBringsItBack() throws Exception {
        pair("health_check: { model: chat, every: 30s }", "");
        primary.always(status(503));
        gateway.gateway().runHealthChecks();
        assertThat(gateway.gateway().router().channels().getFirst().healthy()).isFalse();
        int calls = primary.requestCount();
        assertThat(servedBy(chat(false))).isEqualTo("backup");
        assertThat(primary.requestCount()).isEqualTo(calls);
        JsonNode probe = primary.received().getFirst().body();
        assertThat(probe.get("max_tokens").asInt()).isEqualTo(1);
        primary.always(text("ok"));
        clock.advance(Duration.ofSeconds(31));
        gateway.gateway().runHealthChecks();
        assertThat(gateway.gateway().router().channels().getFirst().healthy()).isTrue();
        assertThat(servedBy(chat(false))).isEqualTo("primary");
    }

    // --- limits -------------------------------------------------------------------------------------

    @Test
    void theRequestDeadlineBoundsAllAttempts() throws Exception {
        pair("timeout: { first_byte: 30s }", "failover: { request_timeout: 400ms }\n");
        primary.then(new FakeOpenAi.Hang());
        long start = System.nanoTime();
        HttpResponse<String> response = chat(false);
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(JSON.readTree(response.body()).at("/error/message").asString()).contains("deadline");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(backup.requestCount()).isZero();
    }

    @Test
    void maxAttemptsLimitsHowManyChannelsAreTried() throws Exception {
        FakeOpenAi a = fake();
        FakeOpenAi b = fake();
        FakeOpenAi c = fake();
        for (FakeOpenAi f : List.of(a, b, c)) {
            f.always(status(500));
        }
        start("failover: { max_attempts: 2 }\nchannels:\n" + channel("a", a, "[chat]", "priority: 3")
                + channel("b", b, "[chat]", "priority: 2") + channel("c", c, "[chat]", "priority: 1"));
        HttpResponse<String> response = chat(false);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(attempts(response)).isEqualTo("2");
        assertThat(c.requestCount()).isZero();
    }

    // --- client disconnect ----------------------------------------------------------------------------

    @Test
    void aClientThatLeavesCancelsTheUpstreamCallAtOnce() throws Exception {
        pair("", "");
        primary.then(new FakeOpenAi.PingForever());
        String body = Chat.body("chat", true);
        try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(gateway.baseUrl().replaceAll(".*:", "")))) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestGateway.KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            long wait = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (primary.requestCount() == 0 && System.nanoTime() < wait) {
                Thread.sleep(10);
            }
        }
        long wait = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (primary.aborted() == 0 && System.nanoTime() < wait) {
            Thread.sleep(10);
        }
        assertThat(primary.aborted()).as("the upstream call was cancelled").isEqualTo(1);
        assertThat(gateway.usageRows().getFirst()).containsEntry("end_reason", "client_gone")
                .containsEntry("status", 499);
        assertThat(backup.requestCount()).isZero();
    }
}
