package dev.junction.relay;

import static dev.junction.testing.FakeProvider.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.relay.FaultMatrixTest.Client;
import dev.junction.relay.FaultMatrixTest.Route;
import dev.junction.relay.FaultMatrixTest.Upstream;
import dev.junction.routing.Channel;
import dev.junction.state.Circuit;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.JsonTree;
import dev.junction.testing.MutableClock;
import dev.junction.testing.Opened;
import dev.junction.testing.Sse;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The 16 scenarios of the failover crash test (issue 16), end to end through the gateway over real
 * HTTP fakes, on every route a request can take ({@link FaultMatrixTest#routes}: each client API
 * to each channel type it reaches, translated or passed through). Where another class already
 * covers a scenario on every route, it is named here rather than repeated:
 *
 * <ol>
 * <li>429 with Retry-After, 2. 429 without Retry-After: {@link FaultMatrixTest}
 *     {@code aRateLimitRestsThePrimaryForItsRetryAfterOrTheCooldown}; the rest is per upstream model
 *     and {@code retries: 2} retries the same channel after Retry-After: {@link RecoveryTest}</li>
 * <li value="3">500 once, 4. 503: {@link #aServerErrorOnceFailsOverAndTheNextRequestTriesThePrimaryAgain}</li>
 * <li value="5">reset: {@link FaultMatrixTest} {@code CONNECTION_RESET}</li>
 * <li value="6">silence: {@link FaultMatrixTest} {@code HANG_WITHOUT_RESPONSE}, {@code STALL_BEFORE_CONTENT}</li>
 * <li value="7">slow first token: {@link FaultMatrixTest} {@code FIRST_BYTE_TOO_LATE} and
 *     {@link #aFirstTokenLaterThanTheLimitFailsOverInvisibly}; hedging serves from the faster
 *     candidate: {@link HedgingTest}</li>
 * <li value="8">stream cut, 9. stall, 10. malformed chunk (and an error event): continued into one
 *     whole answer, translated ({@link ContinuationTest}) and passed through
 *     ({@link PassThroughContinuationTest}) on every client API, and by a backup of every channel
 *     type ({@link FaultMatrixTest} {@code aStreamCutAfterFortyOfSixtyPiecesIsContinuedByABackupOfTheSameType});
 *     with nothing to continue, the in-band error ({@link FaultMatrixTest}
 *     {@code aFaultAfterContentEndsTheStreamWithAnInBandErrorNeverACleanFinish}); a cut inside a
 *     tool call: {@link ContinuationTest}, {@link PassThroughContinuationTest}</li>
 * <li value="11">no {@code [DONE]}: {@link #aStreamWithoutTheProvidersOwnEndIsAWholeAnswerWithOneFinish};
 *     a cut after the finish: {@link FaultMatrixTest} {@code aCutAfterTheProvidersFinishEndsTheAnswerAsACompleteOne},
 *     {@code aCutAfterTheFinishOfAToolCallDeliversTheWholeCall}; on a Responses channel (no finish before
 *     {@code response.completed}) it is a break: {@code aResponsesStreamCutBeforeResponseCompletedIsABreakEvenWithItsOutputDone}</li>
 * <li value="12">context length: {@link #aContextLengthRefusalFailsOverAndFromTheLastChannelReachesTheClient}</li>
 * <li value="13">content filter: {@link #aContentFilterStopIsTheAnswerNotAFailure}</li>
 * <li value="14">a fallback that rejects prefill: {@link ContinuationTest} and
 *     {@link PassThroughContinuationTest} {@code aFallbackThatRejectsPrefillIsAskedToContinueInWords}</li>
 * <li value="15">a primary down for 60 s then healthy:
 *     {@link #aPrimaryDownForSixtySecondsGetsTrafficAgainWithinTenSecondsOfRecovering} (each channel
 *     type, whose probe is its own request)</li>
 * <li value="16">fail-over accounting: {@link #failOverAccountingRecordsEveryAttemptAndTheServingChannel}</li>
 * </ol>
 */
class FailoverScenariosTest {

    /** The fakes' default reply. */
    private static final String ANSWER = "Hello from the fake.";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    @RegisterExtension
    final Opened open = new Opened();
    private FakeProvider primary;
    private FakeProvider backup;
    private TestGateway gateway;

    /** A primary (priority 10, with {@code primaryExtra}) and a backup of the route's channel type for model "chat". */
    private void start(Route route, String primaryExtra, String failover) throws Exception {
        primary = open.add(route.channel().start("sk-fake-primary"));
        backup = open.add(route.channel().start("sk-fake-backup"));
        String models = "{chat: " + route.channel().model + "}";
        gateway = open.add(TestGateway.start(dir, "failover: { cooldown: 15s" + failover + " }\n" + "channels:\n"
                + TestGateway.channel("primary", primary, models, "priority: 10\n" + primaryExtra)
                + TestGateway.channel("backup", backup, models, ""), clock));
    }

    private HttpResponse<String> send(Route route, boolean stream) throws Exception {
        Client client = route.client();
        return gateway.postWithHeaders(client.path(stream), client.body(stream), client.headers());
    }

    private static String servedBy(HttpResponse<String> response) {
        return response.headers().firstValue("x-junction-channel").orElse("none");
    }

    private static String attempts(HttpResponse<String> response) {
        return response.headers().firstValue("x-junction-attempts").orElse("?");
    }

    /** The answer's text, streamed or whole. */
    private static String text(Route route, HttpResponse<String> response, boolean stream) {
        if (!stream) {
            return route.client().text(JsonTree.of(response.body()));
        }
        return Sse.events(response.body()).stream().filter(e -> e.json() != null)
                .map(route.client()::text).collect(Collectors.joining());
    }

    /** A streamed answer's events, checked to end cleanly once, with no in-band error. */
    private static List<Sse.Event> clean(Route route, HttpResponse<String> response) {
        List<Sse.Event> events = Sse.events(response.body());
        assertThat(events).as(response.body()).filteredOn(route.client()::cleanEnd).hasSize(1);
        assertThat(events).as(response.body()).noneMatch(route.client()::inBandError);
        return events;
    }

    private Channel primaryChannel() {
        return gateway.gateway().router().channels().stream().filter(c -> c.name().equals("primary")).findFirst()
                .orElseThrow();
    }

    static Stream<Route> routes() {
        return FaultMatrixTest.routes();
    }

    static Stream<Arguments> routesAndServerErrors() {
        return routes().flatMap(route -> Stream.of(500, 503).map(code -> Arguments.of(route, code)));
    }

    // --- 3, 4: a 500 once, a 503 -------------------------------------------------------------------

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("routesAndServerErrors")
    void aServerErrorOnceFailsOverAndTheNextRequestTriesThePrimaryAgain(Route route, int code) throws Exception {
        start(route, "", "");
        primary.then(status(code));
        HttpResponse<String> first = send(route, false);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(servedBy(first)).isEqualTo("backup");
        assertThat(attempts(first)).isEqualTo("2");
        assertThat(text(route, first, false)).isEqualTo(ANSWER);
        HttpResponse<String> second = send(route, true);
        assertThat(servedBy(second)).as("one %s does not take the primary away", code).isEqualTo("primary");
        clean(route, second);
        assertThat(text(route, second, true)).isEqualTo(ANSWER);
    }

    // --- 7: a first token later than first_token ------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void aFirstTokenLaterThanTheLimitFailsOverInvisibly(Route route) throws Exception {
        start(route, "timeout: { first_token: 1s }", "");
        // the stream starts at once (lifecycle events), the first text comes after 4 s
        primary.then(new FakeProvider.SlowStream(List.of("too ", "late"), Duration.ofSeconds(4)));
        HttpResponse<String> response = send(route, true);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(servedBy(response)).isEqualTo("backup");
        assertThat(attempts(response)).isEqualTo("2");
        clean(route, response);
        assertThat(text(route, response, true)).as("nothing of the late attempt").isEqualTo(ANSWER);
        Map<String, Object> row = gateway.usageRows(1).getLast();
        assertThat(row).containsEntry("end_reason", "done");
        assertThat(JsonTree.of(row.get("attempts").toString()).get(0).path("outcome").asString())
                .contains("first-token");
    }

    // --- 11: no [DONE] ---------------------------------------------------------------------------------

    /**
     * On every route to a channel whose API finishes before its end (a Responses stream without
     * {@code response.completed} is a break: {@link FaultMatrixTest}
     * {@code aResponsesStreamCutBeforeResponseCompletedIsABreakEvenWithItsOutputDone}).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.junction.relay.FaultMatrixTest#routesWithAFinish")
    void aStreamWithoutTheProvidersOwnEndIsAWholeAnswerWithOneFinish(Route route) throws Exception {
        start(route, "", "");
        String answer = "A whole answer whose stream lacks its last event.";
        primary.then(new FakeProvider.EndBefore(route.channel().end, new FakeProvider.Text(answer, 5, 11, 7)));
        HttpResponse<String> response = send(route, true);
        assertThat(servedBy(response)).isEqualTo("primary");
        clean(route, response);
        assertThat(text(route, response, true)).isEqualTo(answer);
        assertThat(backup.requestCount()).isZero();
        assertThat(gateway.usageRows(1).getLast()).containsEntry("end_reason", "done");
    }

    // --- 12: context length ------------------------------------------------------------------------------

    /** What each provider answers to a prompt over its context window, and words of it the client must see. */
    private static FakeProvider.Reply tooLong(Upstream channel) {
        String body = switch (channel) {
            case OPENAI, RESPONSES -> "{\"error\":{\"message\":\"This model's maximum context length is 128000 tokens. "
                    + "However, your messages resulted in 130000 tokens.\",\"type\":\"invalid_request_error\","
                    + "\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}";
            case ANTHROPIC -> "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                    + "\"message\":\"prompt is too long: 210000 tokens > 200000 maximum\"}}";
            case GEMINI -> "{\"error\":{\"code\":400,\"message\":\"The input token count (1200000) exceeds the "
                    + "maximum number of tokens allowed (1048576).\",\"status\":\"INVALID_ARGUMENT\"}}";
        };
        return status(400, body, Map.of());
    }

    private static String tooLongWords(Upstream channel) {
        return switch (channel) {
            case OPENAI, RESPONSES -> "maximum context length";
            case ANTHROPIC -> "prompt is too long";
            case GEMINI -> "exceeds the maximum number of tokens";
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void aContextLengthRefusalFailsOverAndFromTheLastChannelReachesTheClient(Route route) throws Exception {
        start(route, "", "");
        primary.then(tooLong(route.channel()));
        HttpResponse<String> failedOver = send(route, false);
        assertThat(failedOver.statusCode()).as(failedOver.body()).isEqualTo(200);
        assertThat(servedBy(failedOver)).isEqualTo("backup");
        assertThat(attempts(failedOver)).isEqualTo("2");
        // No channel can serve it: the provider's own 400 and words, in the client's shape (bug 1).
        primary.then(tooLong(route.channel()));
        backup.then(tooLong(route.channel()));
        for (boolean stream : List.of(false, true)) {
            if (stream) {
                primary.then(tooLong(route.channel()));
                backup.then(tooLong(route.channel()));
            }
            HttpResponse<String> refused = send(route, stream);
            assertThat(refused.statusCode()).as("stream %s: %s", stream, refused.body()).isEqualTo(400);
            route.client().assertError(JsonTree.of(refused.body()), 400);
            assertThat(refused.body()).contains(tooLongWords(route.channel()));
        }
        assertThat(primaryChannel().circuit(route.channel().model)).as("not the channel's fault")
                .isEqualTo(Circuit.CLOSED);
    }

    // --- 13: content filter -------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void aContentFilterStopIsTheAnswerNotAFailure(Route route) throws Exception {
        start(route, "", "");
        for (boolean stream : List.of(false, true)) {
            primary.then(new FakeProvider.Blocked());
            HttpResponse<String> response = send(route, stream);
            assertThat(response.statusCode()).as("stream %s: %s", stream, response.body()).isEqualTo(200);
            assertThat(servedBy(response)).as("the provider's verdict reaches the client").isEqualTo("primary");
            assertThat(attempts(response)).isEqualTo("1");
            if (stream) {
                assertThat(Sse.events(response.body())).as(response.body()).noneMatch(route.client()::inBandError);
            }
        }
        assertThat(backup.requestCount()).isZero();
        assertThat(primaryChannel().circuit(route.channel().model)).isEqualTo(Circuit.CLOSED);
    }

    // --- 15: a primary down for 60 s, then healthy ------------------------------------------------------

    /** The pass-through route of each channel type: the recovery is the channel's, its probe its own request. */
    private static Route own(Upstream channel) {
        return new Route(switch (channel) {
            case OPENAI -> Client.CHAT;
            case ANTHROPIC -> Client.MESSAGES;
            case GEMINI -> Client.GEMINI;
            case RESPONSES -> Client.RESPONSES;
        }, channel);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Upstream.class)
    void aPrimaryDownForSixtySecondsGetsTrafficAgainWithinTenSecondsOfRecovering(Upstream channel) throws Exception {
        Route route = own(channel);
        start(route, "", ", breaker: { consecutive_failures: 2, open_for: 5m, probe_every: 1s, probe_max: 2s,"
                + " half_open_requests: 2 }");
        primary.always(status(503));
        assertThat(servedBy(send(route, false))).isEqualTo("backup");
        assertThat(servedBy(send(route, false))).isEqualTo("backup");
        assertThat(primaryChannel().circuit(channel.model)).isEqualTo(Circuit.OPEN);
        int calls = primary.requestCount();
        long probing = System.nanoTime();
        while (primary.requestCount() <= calls && System.nanoTime() - probing < Duration.ofSeconds(20).toNanos()) {
            Thread.sleep(50); // probes every 1 s of real time; a loaded machine may take longer
        }
        assertThat(primary.requestCount()).as("probed while open").isGreaterThan(calls);
        assertThat(servedBy(send(route, false))).as("still down").isEqualTo("backup");
        clock.advance(Duration.ofSeconds(60));
        primary.always(FakeProvider.text("back again"));
        long recovered = System.nanoTime();
        String served = "backup";
        while (!served.equals("primary") && System.nanoTime() - recovered < Duration.ofSeconds(15).toNanos()) {
            Thread.sleep(200);
            served = servedBy(send(route, false));
        }
        assertThat(served).isEqualTo("primary");
        assertThat(Duration.ofNanos(System.nanoTime() - recovered)).as("back within 10 s of recovering")
                .isLessThan(Duration.ofSeconds(10));
        for (int i = 0; i < 4; i++) {
            assertThat(servedBy(send(route, true))).isEqualTo("primary");
        }
        assertThat(primaryChannel().circuit(channel.model)).isEqualTo(Circuit.CLOSED);
    }

    // --- 16: fail-over accounting ------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void failOverAccountingRecordsEveryAttemptAndTheServingChannel(Route route) throws Exception {
        start(route, "", "");
        primary.then(status(500));
        HttpResponse<String> response = send(route, true);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(servedBy(response)).isEqualTo("backup");
        assertThat(attempts(response)).isEqualTo("2");
        clean(route, response);
        Map<String, Object> row = gateway.usageRows(1).getLast();
        assertThat(row).containsEntry("channel", "backup").containsEntry("end_reason", "done")
                .containsEntry("upstream_model", route.channel().model);
        JsonNode tried = JsonTree.of(row.get("attempts").toString());
        assertThat(tried).hasSize(2);
        assertThat(tried.get(0).path("channel").asString()).isEqualTo("primary");
        assertThat(tried.get(0).path("status").asInt()).isEqualTo(500);
        assertThat(tried.get(1).path("channel").asString()).isEqualTo("backup");
        assertThat(tried.get(1).path("status").asInt()).isEqualTo(200);
        assertThat(((Number) row.get("completion_tokens")).longValue()).as("only the serving attempt's tokens")
                .isEqualTo(7);
    }
}
