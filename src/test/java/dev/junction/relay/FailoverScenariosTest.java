package dev.junction.relay;

import static dev.junction.testing.FakeOpenAi.status;
import static dev.junction.testing.FakeOpenAi.text;
import static dev.junction.testing.TestGateway.channel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.Chat;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.JsonTree;
import dev.junction.testing.MutableClock;
import dev.junction.testing.Sse;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The 16 scenarios of the failover crash test (issue 16), end to end through the gateway. Where
 * another class already covers a scenario on every client API and channel type, it is named here
 * rather than repeated:
 *
 * <ol>
 * <li>429 with Retry-After, 2. 429 without Retry-After: {@link FaultMatrixTest}
 *     {@code aRateLimitRestsThePrimaryForItsRetryAfterOrTheCooldown} (and {@link FailoverTest});
 *     same-channel retries after Retry-After: {@link RecoveryTest}</li>
 * <li value="3">500 once: {@link FaultMatrixTest} {@code SERVER_ERROR_500}</li>
 * <li value="4">503: {@link #a503FailsOverAndTheNextRequestTriesThePrimaryAgain} (here)</li>
 * <li value="5">reset: {@link FaultMatrixTest} {@code CONNECTION_RESET}</li>
 * <li value="6">silence: {@link FaultMatrixTest} {@code HANG_WITHOUT_RESPONSE}</li>
 * <li value="7">slow first token: {@link FaultMatrixTest} {@code FIRST_BYTE_TOO_LATE}; a first token
 *     later than {@code first_token}: {@link ContinuationTest} {@code aFirstTokenLaterThanTheLimitFailsOverInvisibly};
 *     hedging serves from the faster candidate on every client API: {@link HedgingTest}</li>
 * <li value="8">stream cut, 9. stall, 10. malformed chunk (and an error event): continued into one whole
 *     answer on every client API, translated ({@link ContinuationTest}) and passed through
 *     ({@link PassThroughContinuationTest}), by a backup of every channel type
 *     ({@link FaultMatrixTest} {@code aStreamCutAfterFortyOfSixtyPiecesIsContinuedByABackupOfTheSameType});
 *     with nothing to continue, the in-band error ({@link FaultMatrixTest}
 *     {@code aFaultAfterContentEndsTheStreamWithAnInBandErrorNeverACleanFinish}); a cut inside a tool
 *     call: {@link ContinuationTest}, {@link PassThroughContinuationTest}</li>
 * <li value="11">no {@code [DONE]}: {@link #aStreamThatEndsWithoutDoneStillGivesTheWholeAnswerAndOneFinish}
 *     (here)</li>
 * <li value="12">context length: {@link CannotServeTest}, and
 *     {@link #aContextLengthRefusalFailsOverToAChannelThatCanServe} (here)</li>
 * <li value="13">content filter: {@link #aContentFilterStopIsTheAnswerNotAFailure} (here)</li>
 * <li value="14">a fallback that rejects prefill: {@link ContinuationTest} and
 *     {@link PassThroughContinuationTest} {@code aFallbackThatRejectsPrefillIsAskedToContinueInWords}</li>
 * <li value="15">a primary down for 60 s then healthy: {@link RecoveryTest}
 *     {@code aPrimaryDownForSixtySecondsGetsTrafficAgainWithinTenSecondsOfRecovering}</li>
 * <li value="16">fail-over accounting: {@link #failOverAccountingRecordsEveryAttemptAndTheServingChannel}
 *     (here)</li>
 * </ol>
 */
class FailoverScenariosTest {

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

    private void pair() throws Exception {
        primary = fake("sk-fake-primary");
        backup = fake("sk-fake-backup");
        gateway = TestGateway.start(dir, "channels:\n" + channel("primary", primary, "[chat]", "priority: 10\n")
                + channel("backup", backup, "[chat]", ""), clock);
        open.add(gateway);
    }

    private HttpResponse<String> chat(boolean stream) throws Exception {
        return gateway.post("/v1/chat/completions", Chat.body("chat", stream));
    }

    private static String servedBy(HttpResponse<String> response) {
        return response.headers().firstValue("x-junction-channel").orElse("none");
    }

    private static String attempts(HttpResponse<String> response) {
        return response.headers().firstValue("x-junction-attempts").orElse("?");
    }

    private static String streamedText(String body) {
        StringBuilder text = new StringBuilder();
        for (Sse.Event event : Sse.events(body)) {
            JsonNode json = event.json();
            if (json != null) {
                text.append(json.at("/choices/0/delta/content").asString(""));
            }
        }
        return text.toString();
    }

    @Test
    void a503FailsOverAndTheNextRequestTriesThePrimaryAgain() throws Exception {
        pair();
        primary.then(status(503), text("primary again"));
        HttpResponse<String> first = chat(false);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(servedBy(first)).isEqualTo("backup");
        assertThat(attempts(first)).isEqualTo("2");
        HttpResponse<String> second = chat(false);
        assertThat(servedBy(second)).as("one 503 does not take the primary away").isEqualTo("primary");
    }

    @Test
    void aStreamThatEndsWithoutDoneNeverReachesTheClientAsATruncatedCleanAnswer() throws Exception {
        pair();
        // An answer that ends without [DONE] (and here without an event-stream type): the client gets
        // one whole answer with exactly one finish, never a cut-short stream that looks complete.
        String chunk = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"chat\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"finish_reason\":%s}]}";
        String body = "data: " + chunk.formatted("Hello ", "null") + "\n\n" + "data: " + chunk.formatted("world", "null")
                + "\n\n";
        primary.then(new FakeProvider.Status(200, body, Map.of("Content-Type", "text/event-stream")));
        HttpResponse<String> response = chat(true);
        assertThat(response.statusCode()).isEqualTo(200);
        String text = streamedText(response.body());
        List<Sse.Event> events = Sse.events(response.body());
        long finishes = events.stream().filter(e -> e.json() != null
                && e.json().at("/choices/0/finish_reason").isString()).count();
        boolean inBandError = events.stream().anyMatch(e -> e.json() != null && e.json().has("error"));
        assertThat(finishes == 1 && (text.equals("Hello world") || text.equals("Hello from the fake."))
                || inBandError).as(response.body()).isTrue();
    }

    @Test
    void aContextLengthRefusalFailsOverToAChannelThatCanServe() throws Exception {
        pair();
        primary.then(status(400, "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens\","
                + "\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}", Map.of()));
        HttpResponse<String> response = chat(false);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(servedBy(response)).isEqualTo("backup");
        assertThat(attempts(response)).isEqualTo("2");
    }

    @Test
    void aContentFilterStopIsTheAnswerNotAFailure() throws Exception {
        pair();
        primary.then(new FakeProvider.Blocked());
        HttpResponse<String> response = chat(false);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(servedBy(response)).as("the provider's verdict reaches the client").isEqualTo("primary");
        assertThat(JsonTree.of(response.body()).at("/choices/0/finish_reason").asString()).isEqualTo("content_filter");
        assertThat(backup.requestCount()).isZero();
        assertThat(gateway.gateway().router().channels().getFirst().circuit().label()).isEqualTo("closed");
    }

    // A fallback that rejects prefill: ContinuationTest covers it on every client API.

    @Test
    void failOverAccountingRecordsEveryAttemptAndTheServingChannel() throws Exception {
        pair();
        primary.then(status(500));
        HttpResponse<String> response = chat(true);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(servedBy(response)).isEqualTo("backup");
        assertThat(attempts(response)).isEqualTo("2");
        Map<String, Object> row = gateway.usageRows(1).getLast();
        assertThat(row).containsEntry("channel", "backup");
        JsonNode tried = JsonTree.of(row.get("attempts").toString());
        assertThat(tried).hasSize(2);
        assertThat(tried.get(0).path("channel").asString()).isEqualTo("primary");
        assertThat(tried.get(0).path("status").asInt()).isEqualTo(500);
        assertThat(tried.get(1).path("channel").asString()).isEqualTo("backup");
        assertThat(tried.get(1).path("status").asInt()).isEqualTo(200);
        assertThat(row).containsEntry("end_reason", "done");
        assertThat(((Number) row.get("completion_tokens")).longValue()).isPositive();
    }
}
