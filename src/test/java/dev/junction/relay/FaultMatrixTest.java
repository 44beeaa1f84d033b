package dev.junction.relay;

import static dev.junction.testing.FakeProvider.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.Chat;
import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeGemini;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.FakeProvider.BrokenStream;
import dev.junction.testing.FakeProvider.Fault;
import dev.junction.testing.FakeResponses;
import dev.junction.testing.MutableClock;
import dev.junction.testing.Sse;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every fault of the failover table on every route a request can take: each client API (OpenAI
 * chat, Anthropic Messages, Gemini, Responses) to each channel type it can reach, translated or
 * passed through. Before content, a fault (5xx, reset, garbage, hang, late first byte, a stream
 * that is cut, stalls, or sends a malformed or error event) fails over to the backup channel and the
 * client sees a clean answer; after content, the stream ends with an in-band error in the client's
 * format, never with a clean finish; a 429 rests the channel for its Retry-After or the configured
 * cooldown; and when every channel fails the client gets an error in its own shape.
 */
class FaultMatrixTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** What the backup (and a recovered primary) answers: the fakes' default reply. */
    private static final String ANSWER = "Hello from the fake.";
    /**
     * Short limits for the faults that only a timeout ends, on the primary only. With them, {@link
     * #start} sends one request through the primary first, so that a cold gateway's first call
     * cannot outlast them.
     */
    private static final String TIMEOUTS = "timeout: { first_byte: 300ms, idle: 300ms }";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private final List<AutoCloseable> open = new ArrayList<>();
    private FakeProvider primary;
    private FakeProvider backup;
    private TestGateway gateway;
    /** More of the {@code failover:} section. */
    private String failoverExtra = "";

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    // --- the routes ---------------------------------------------------------------------------------

    /** A client API, as its clients speak it: request, answer text, clean end, in-band error, error shape. */
    enum Client {
        CHAT {
            @Override
            String path(boolean stream) {
                return "/v1/chat/completions";
            }

            @Override
            String body(boolean stream) {
                return Chat.body("chat", stream);
            }

            @Override
            String text(JsonNode answer) {
                return answer.at("/choices/0/message/content").asString();
            }

            @Override
            String text(Sse.Event event) {
                return "[DONE]".equals(event.data()) ? "" : event.json().at("/choices/0/delta/content").asString("");
            }

            @Override
            boolean cleanEnd(Sse.Event event) {
                return event.data().equals("[DONE]");
            }

            @Override
            boolean inBandError(Sse.Event event) {
                return json(event).at("/error/message").isString();
            }

            @Override
            void assertError(JsonNode body, int status) {
                assertThat(body.at("/error/message").asString()).isNotEmpty();
                assertThat(body.at("/error/type").asString()).isNotEmpty();
            }
        },
        MESSAGES {
            @Override
            String path(boolean stream) {
                return "/v1/messages";
            }

            @Override
            String body(boolean stream) {
                return "{\"model\":\"chat\",\"max_tokens\":1024,\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}]}";
            }

            @Override
            Map<String, String> headers() {
                return Map.of("anthropic-version", "2023-06-01");
            }

            @Override
            String text(JsonNode answer) {
                return joined(answer.path("content").valueStream().filter(b -> b.path("type").asString("")
                        .equals("text")).map(b -> b.path("text").asString()));
            }

            @Override
            String text(Sse.Event event) {
                return "content_block_delta".equals(event.name()) ? event.json().at("/delta/text").asString("") : "";
            }

            @Override
            boolean cleanEnd(Sse.Event event) {
                return "message_stop".equals(event.name());
            }

            @Override
            boolean inBandError(Sse.Event event) {
                return "error".equals(event.name()) && json(event).at("/error/message").isString();
            }

            @Override
            void assertError(JsonNode body, int status) {
                assertThat(body.path("type").asString()).isEqualTo("error");
                assertThat(body.at("/error/type").asString()).isNotEmpty();
                assertThat(body.at("/error/message").asString()).isNotEmpty();
            }
        },
        GEMINI {
            @Override
            String path(boolean stream) {
                return stream ? "/v1beta/models/chat:streamGenerateContent?alt=sse"
                        : "/v1beta/models/chat:generateContent";
            }

            @Override
            String body(boolean stream) {
                return "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Say hi\"}]}]}";
            }

            @Override
            String text(JsonNode answer) {
                return joined(answer.at("/candidates/0/content/parts").valueStream()
                        .filter(p -> !p.path("thought").asBoolean(false)).map(p -> p.path("text").asString("")));
            }

            @Override
            String text(Sse.Event event) {
                return text(event.json());
            }

            @Override
            boolean cleanEnd(Sse.Event event) {
                return json(event).at("/candidates/0/finishReason").isString();
            }

            @Override
            boolean inBandError(Sse.Event event) {
                return json(event).at("/error/message").isString();
            }

            @Override
            void assertError(JsonNode body, int status) {
                assertThat(body.at("/error/code").asInt()).isEqualTo(status);
                assertThat(body.at("/error/status").asString()).isNotEmpty();
                assertThat(body.at("/error/message").asString()).isNotEmpty();
            }
        },
        RESPONSES {
            @Override
            String path(boolean stream) {
                return "/v1/responses";
            }

            @Override
            String body(boolean stream) {
                return "{\"model\":\"chat\",\"input\":\"Say hi\",\"store\":false,\"stream\":" + stream + "}";
            }

            @Override
            String text(JsonNode answer) {
                return joined(answer.path("output").valueStream().flatMap(item -> item.path("content").valueStream())
                        .filter(c -> c.path("type").asString("").equals("output_text"))
                        .map(c -> c.path("text").asString()));
            }

            @Override
            String text(Sse.Event event) {
                return "response.output_text.delta".equals(event.name()) ? event.json().path("delta").asString() : "";
            }

            @Override
            boolean cleanEnd(Sse.Event event) {
                return "response.completed".equals(event.name());
            }

            @Override
            boolean inBandError(Sse.Event event) {
                return "response.failed".equals(event.name()) || "error".equals(event.name());
            }

            @Override
            void assertError(JsonNode body, int status) {
                assertThat(body.at("/error/message").asString()).isNotEmpty();
            }
        };

        abstract String path(boolean stream);

        abstract String body(boolean stream);

        Map<String, String> headers() {
            return Map.of();
        }

        /** The answer's text, from a whole answer. */
        abstract String text(JsonNode answer);

        /** The text one stream event adds. */
        abstract String text(Sse.Event event);

        /** Whether this event is the one that ends a complete answer. */
        abstract boolean cleanEnd(Sse.Event event);

        /** Whether this event tells the client that the answer broke. */
        abstract boolean inBandError(Sse.Event event);

        /** Checks a gateway error body against the API's error shape. */
        abstract void assertError(JsonNode body, int status);

        private static JsonNode json(Sse.Event event) {
            JsonNode json = event.json();
            return json != null ? json : JSON.missingNode();
        }

        private static String joined(Stream<String> texts) {
            return String.join("", texts.toList());
        }
    }

    /** A channel type, as a fake provider and the upstream model a channel maps "chat" to. */
    enum Upstream {
        OPENAI("gpt-4.1", "\"choices\":[]", "estimated"), // cut before the usage chunk and [DONE]
        ANTHROPIC("claude-sonnet-4-5", "message_stop", "provider"),
        GEMINI("gemini-2.5-flash", null, "provider"),
        RESPONSES("gpt-5", "response.completed", null);

        final String model;
        /**
         * The provider's own end after its finish, which a cut after the finish loses (null: the
         * end of the body), and where the usage of such a stream then comes from. The Responses API
         * has no finish before its end, {@code response.completed}: there is no tail to lose.
         */
        final String end;
        final String tailUsage;

        Upstream(String model, String end, String tailUsage) {
            this.model = model;
            this.end = end;
            this.tailUsage = tailUsage;
        }

        FakeProvider start(String key) throws Exception {
            return switch (this) {
                case OPENAI -> FakeOpenAi.start(key);
                case ANTHROPIC -> FakeAnthropic.start(key);
                case GEMINI -> FakeGemini.start(key);
                case RESPONSES -> FakeResponses.start(key);
            };
        }
    }

    record Route(Client client, Upstream channel) {
        @Override
        public String toString() {
            return client.name().toLowerCase() + " → " + channel.name().toLowerCase();
        }
    }

    /**
     * Every client API to every channel type it reaches: translated, and passed through where they
     * speak the same API. A Responses channel ({@code responses: true}) serves Responses clients only.
     */
    static Stream<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (Client client : Client.values()) {
            for (Upstream channel : Upstream.values()) {
                if (channel != Upstream.RESPONSES || client == Client.RESPONSES) {
                    routes.add(new Route(client, channel));
                }
            }
        }
        return routes.stream();
    }

    // --- the faults ---------------------------------------------------------------------------------

    /**
     * A fault before any content, with whether it exists only for streamed requests and whether the
     * primary needs short timeouts for it to end.
     */
    enum Early {
        SERVER_ERROR_500(status(500), false, false),
        OVERLOADED_529(status(529), false, false),
        CONNECTION_RESET(new FakeProvider.Reset(), false, false),
        GARBAGE_BODY(new FakeProvider.Garbage(), false, false),
        HANG_WITHOUT_RESPONSE(new FakeProvider.Hang(), false, true),
        FIRST_BYTE_TOO_LATE(new FakeProvider.Delayed(Duration.ofSeconds(5), FakeProvider.text("too late")), false,
                true),
        CUT_BEFORE_CONTENT(new BrokenStream(0, Fault.CUT), true, false),
        STALL_BEFORE_CONTENT(new BrokenStream(0, Fault.STALL), true, true),
        MALFORMED_FIRST_EVENT(new BrokenStream(0, Fault.MALFORMED), true, false),
        ERROR_EVENT_BEFORE_CONTENT(new BrokenStream(0, Fault.ERROR_EVENT), true, false);

        final FakeProvider.Reply reply;
        final boolean streamOnly;
        final boolean timesOut;

        Early(FakeProvider.Reply reply, boolean streamOnly, boolean timesOut) {
            this.reply = reply;
            this.streamOnly = streamOnly;
            this.timesOut = timesOut;
        }
    }

    /** A fault after content has reached the client, with the end reason usage records for it. */
    enum Late {
        CUT(Fault.CUT, "upstream_cut"),
        STALL(Fault.STALL, "idle_timeout"),
        MALFORMED_EVENT(Fault.MALFORMED, "upstream_error"),
        ERROR_EVENT(Fault.ERROR_EVENT, "upstream_error");

        final Fault fault;
        final String endReason;

        Late(Fault fault, String endReason) {
            this.fault = fault;
            this.endReason = endReason;
        }
    }

    static Stream<Arguments> earlyFaults() {
        return routes().flatMap(route -> Stream.of(Early.values()).map(fault -> Arguments.of(route, fault)));
    }

    static Stream<Arguments> lateFaults() {
        return routes().flatMap(route -> Stream.of(Late.values()).map(fault -> Arguments.of(route, fault)));
    }

    // --- the tests ----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("earlyFaults")
    void aFaultBeforeContentFailsOverAndTheClientGetsACleanAnswer(Route route, Early fault) throws Exception {
        start(route, fault.timesOut ? TIMEOUTS : "");
        for (boolean stream : fault.streamOnly ? List.of(true) : List.of(false, true)) {
            int before = primary.requestCount();
            primary.then(fault.reply);
            HttpResponse<String> response = send(route, stream);
            assertThat(response.statusCode()).as("stream %s: %s", stream, response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("x-junction-channel")).as("stream %s", stream).contains("backup");
            assertThat(response.headers().firstValue("x-junction-attempts")).as("stream %s", stream).contains("2");
            assertThat(primary.requestCount()).as("the primary was tried").isEqualTo(before + 1);
            String text = stream ? streamedText(route, response, true)
                    : route.client().text(JSON.readTree(response.body()));
            assertThat(text).as("stream %s", stream).isEqualTo(ANSWER);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("lateFaults")
    void aFaultAfterContentEndsTheStreamWithAnInBandErrorNeverACleanFinish(Route route, Late fault) throws Exception {
        // Continuation off: this is what the client sees when no candidate can continue the answer.
        failoverExtra = ", continue_streams: false";
        start(route, fault == Late.STALL ? TIMEOUTS : "");
        primary.then(new BrokenStream(2, fault.fault));
        HttpResponse<String> response = send(route, true);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-junction-channel")).contains("primary");
        List<Sse.Event> events = Sse.events(response.body());
        assertThat(events).as(response.body()).isNotEmpty();
        assertThat(streamedText(route, response, false)).isEqualTo("part0 part1 ");
        assertThat(events).as("never a clean finish: %s", response.body()).noneMatch(route.client()::cleanEnd);
        assertThat(route.client().inBandError(events.getLast())).as("ends with an in-band error: %s", response.body())
                .isTrue();
        assertThat(backup.requestCount()).as("content was sent: no failover").isZero();
        assertThat(gateway.usageRows(primary.requestCount()).getLast()).containsEntry("end_reason", fault.endReason);
    }

    /**
     * Continuation on every route (pass-through and translated, every channel type continuing in
     * its own wire format): a stream cut after 40 of 60 pieces reaches the client whole, once.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void aStreamCutAfterFortyOfSixtyPiecesIsContinuedByABackupOfTheSameType(Route route) throws Exception {
        start(route, "");
        primary.then(new BrokenStream(40, Fault.CUT));
        backup.always(new FakeProvider.Scripted(FaultMatrixTest::continuation));
        HttpResponse<String> response = send(route, true);
        assertThat(response.statusCode()).isEqualTo(200);
        List<Sse.Event> events = Sse.events(response.body());
        String text = events.stream().map(route.client()::text).collect(java.util.stream.Collectors.joining());
        // A Responses-only backup (FakeResponses serves only /responses) continues in the Responses API.
        assertThat(text).as(response.body()).isEqualTo(pieces(0, 60));
        assertThat(events).as(response.body()).filteredOn(route.client()::cleanEnd).hasSize(1);
        assertThat(events).noneMatch(route.client()::inBandError);
        assertThat(backup.requestCount()).isEqualTo(1);
        assertThat(gateway.usageRows(1).getLast()).containsEntry("end_reason", "continued");
    }

    /**
     * A stream cut after the provider's finish (a finish reason, a stop reason) but before its own
     * end ({@code [DONE]}, {@code message_stop}, a clean end of the body) has lost nothing the client needs: it gets the whole answer ended
     * cleanly in its own API, no in-band error, no continuation, and the record says the tail was
     * missing, with the provider's usage when it had reported it, else the gateway's estimate.
     */
    /** The routes to a channel whose API has a finish before its end: all but a Responses channel. */
    static Stream<Route> routesWithAFinish() {
        return routes().filter(route -> route.channel() != Upstream.RESPONSES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routesWithAFinish")
    void aCutAfterTheProvidersFinishEndsTheAnswerAsACompleteOne(Route route) throws Exception {
        start(route, "");
        String answer = "A whole answer in several pieces, finished before the cut.";
        primary.then(new FakeProvider.CutBefore(route.channel().end, new FakeProvider.Text(answer, 6, 11, 7)));
        HttpResponse<String> response = send(route, true);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-junction-channel")).contains("primary");
        List<Sse.Event> events = Sse.events(response.body());
        assertThat(streamedText(route, response, true)).as(response.body()).isEqualTo(answer);
        assertThat(events).as(response.body()).filteredOn(route.client()::cleanEnd).hasSize(1);
        assertThat(backup.requestCount()).as("nothing to continue").isZero();
        Map<String, Object> row = gateway.usageRows(1).getLast();
        assertThat(row).containsEntry("end_reason", "tail_missing").containsEntry("token_source",
                route.channel().tailUsage);
        assertThat(((Number) row.get("completion_tokens")).longValue()).isPositive();
        if ("provider".equals(route.channel().tailUsage)) {
            assertThat(((Number) row.get("completion_tokens")).longValue()).isEqualTo(7);
        }
    }

    /** The same with a tool call: the call, complete before the finish, reaches the client whole. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("routesWithAFinish")
    void aCutAfterTheFinishOfAToolCallDeliversTheWholeCall(Route route) throws Exception {
        start(route, "");
        primary.then(new FakeProvider.CutBefore(route.channel().end,
                FakeProvider.toolCalls(FakeProvider.call("get_weather", "{\"city\":\"Paris\"}"))));
        HttpResponse<String> response = send(route, true);
        assertThat(response.statusCode()).isEqualTo(200);
        List<Sse.Event> events = Sse.events(response.body());
        assertThat(events).as(response.body()).noneMatch(route.client()::inBandError);
        assertThat(events).as(response.body()).filteredOn(route.client()::cleanEnd).hasSize(1);
        assertThat(toolCall(route.client(), events)).as(response.body())
                .isEqualTo("get_weather " + JSON.readTree("{\"city\":\"Paris\"}"));
        assertThat(gateway.usageRows(1).getLast()).containsEntry("end_reason", "tail_missing");
    }

    /**
     * A Responses upstream's stream cut before {@code response.completed}, every output item begun
     * done: the provider might have begun another (a tool call after the text), so it is a break —
     * the in-band error when nothing continues it — never taken as complete.
     */
    @org.junit.jupiter.api.Test
    void aResponsesStreamCutBeforeResponseCompletedIsABreakEvenWithItsOutputDone() throws Exception {
        failoverExtra = ", continue_streams: false";
        Route route = new Route(Client.RESPONSES, Upstream.RESPONSES);
        start(route, "");
        primary.then(new FakeProvider.CutBefore("response.completed", new FakeProvider.Text("All done here.", 3, 11, 7)));
        HttpResponse<String> response = send(route, true);
        List<Sse.Event> events = Sse.events(response.body());
        assertThat(streamedText(route, response, false)).isEqualTo("All done here.");
        assertThat(events).as(response.body()).noneMatch(route.client()::cleanEnd);
        assertThat(route.client().inBandError(events.getLast())).as(response.body()).isTrue();
        assertThat(gateway.usageRows(1).getLast()).containsEntry("end_reason", "upstream_cut");
    }

    /** The one tool call a stream shows, as its name and its arguments (parsed): {@code name {…}}. */
    static String toolCall(Client client, List<Sse.Event> events) {
        StringBuilder name = new StringBuilder();
        StringBuilder arguments = new StringBuilder();
        for (Sse.Event event : events) {
            JsonNode json = event.json();
            if (json == null) {
                continue;
            }
            switch (client) {
                case CHAT -> json.at("/choices/0/delta/tool_calls").forEach(call -> {
                    name.append(call.at("/function/name").asString(""));
                    arguments.append(call.at("/function/arguments").asString(""));
                });
                case MESSAGES -> {
                    if (json.at("/content_block/type").asString("").equals("tool_use")) {
                        name.append(json.at("/content_block/name").asString());
                    }
                    arguments.append(json.at("/delta/partial_json").asString(""));
                }
                case GEMINI -> json.at("/candidates/0/content/parts").forEach(part -> {
                    if (part.has("functionCall")) {
                        name.append(part.at("/functionCall/name").asString());
                        arguments.append(part.at("/functionCall/args").toString());
                    }
                });
                case RESPONSES -> {
                    if ("response.output_item.done".equals(event.name())
                            && json.at("/item/type").asString("").equals("function_call")) {
                        name.append(json.at("/item/name").asString());
                        arguments.append(json.at("/item/arguments").asString());
                    }
                }
            }
        }
        return name + " " + (arguments.isEmpty() ? "" : JSON.readTree(arguments.toString()).toString());
    }

    private static String pieces(int from, int to) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < to; i++) {
            text.append("part").append(i).append(' ');
        }
        return text.toString();
    }

    /**
     * A backup's answer to a continuation request in any wire format: after a prefilled assistant
     * turn the rest; asked in words, the rest after a repeat of the last two pieces (trimmed as overlap).
     */
    private static FakeProvider.Reply continuation(FakeProvider.Received request) {
        JsonNode body = request.body();
        JsonNode turns = body.has("messages") ? body.get("messages") : body.has("contents") ? body.get("contents")
                : body.path("input");
        JsonNode last = turns.isArray() && !turns.isEmpty() ? turns.get(turns.size() - 1) : JSON.missingNode();
        String role = last.path("role").asString("");
        StringBuilder text = new StringBuilder();
        JsonNode content = last.has("parts") ? last.get("parts") : last.path("content");
        if (content.isString()) {
            text.append(content.asString());
        } else {
            content.forEach(part -> text.append(part.path("text").asString("")));
        }
        if (role.equals("assistant") || role.equals("model")) {
            return new FakeProvider.Text(" " + pieces(40, 60), 20, 13, 20);
        }
        if (text.toString().contains("Continue")) {
            return new FakeProvider.Text(pieces(38, 60), 20, 13, 20);
        }
        return FakeProvider.text("a fresh answer, not a continuation");
    }

    static Stream<Arguments> rateLimits() {
        return routes().flatMap(route -> Stream.of(
                Arguments.of(route, "Retry-After: 20", Map.of("Retry-After", "20"), Duration.ofSeconds(20)),
                Arguments.of(route, "no Retry-After", Map.of(), Duration.ofSeconds(15))));
    }

    @ParameterizedTest(name = "{0}: 429 with {1}")
    @MethodSource("rateLimits")
    void aRateLimitRestsThePrimaryForItsRetryAfterOrTheCooldown(Route route, String label,
            Map<String, String> headers, Duration rest) throws Exception {
        start(route, "");
        primary.then(status(429, headers));
        HttpResponse<String> first = send(route, false);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-junction-channel")).contains("backup");
        clock.advance(rest.minusSeconds(2));
        HttpResponse<String> during = send(route, true);
        assertThat(during.headers().firstValue("x-junction-channel")).as("still resting").contains("backup");
        assertThat(during.headers().firstValue("x-junction-attempts")).as("not even asked").contains("1");
        assertThat(primary.requestCount()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(3));
        HttpResponse<String> after = send(route, false);
        assertThat(after.headers().firstValue("x-junction-channel")).as("rested").contains("primary");
        assertThat(route.client().text(JSON.readTree(after.body()))).isEqualTo(ANSWER);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void whenEveryChannelFailsTheClientGetsAnErrorInItsOwnShape(Route route) throws Exception {
        start(route, "");
        primary.always(status(503));
        backup.always(status(500));
        for (boolean stream : List.of(false, true)) {
            HttpResponse<String> response = send(route, stream);
            assertThat(response.statusCode()).as("stream %s: %s", stream, response.body()).isEqualTo(503);
            assertThat(response.headers().firstValue("x-junction-attempts")).contains("2");
            route.client().assertError(JSON.readTree(response.body()), 503);
        }
    }

    // --- helpers ------------------------------------------------------------------------------------

    /** A primary (priority 10, with {@code primaryExtra}) and a backup channel of the route's type for model "chat". */
    private void start(Route route, String primaryExtra) throws Exception {
        primary = opened(route.channel().start("sk-fake-primary"));
        backup = opened(route.channel().start("sk-fake-backup"));
        String models = "{chat: " + route.channel().model + "}";
        gateway = opened(TestGateway.start(dir, "failover: { cooldown: 15s, breaker: { consecutive_failures: 100 }" + failoverExtra + " }\n"
                + "channels:\n" + TestGateway.channel("primary", primary, models, "priority: 10\n" + primaryExtra)
                + TestGateway.channel("backup", backup, models, ""), clock));
        if (!primaryExtra.isEmpty()) {
            warmUp(route);
        }
    }

    /**
     * Sends requests until one is served by the primary within its short limits, so that the fault
     * under test meets a warm gateway. On a loaded machine a cold gateway's first call can outlast
     * 300 ms: that call fails over to the backup (still a 200), and the next one is sent with the
     * primary's cooldown passed on the test clock. A deadline (generous, wall clock) ends a primary
     * that never answers in time.
     */
    private void warmUp(Route route) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> warmUp = send(route, true);
            assertThat(warmUp.statusCode()).as("warm-up: %s", warmUp.body()).isEqualTo(200);
            if (warmUp.headers().firstValue("x-junction-channel").orElse("").equals("primary")) {
                return;
            }
            assertThat(System.nanoTime() - deadline).as("warm-up: the primary never answered within %s", TIMEOUTS)
                    .isNegative();
            clock.advance(Duration.ofSeconds(16)); // past the primary's cooldown (15 s)
        }
    }

    private <T extends AutoCloseable> T opened(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private HttpResponse<String> send(Route route, boolean stream) throws Exception {
        Client client = route.client();
        return gateway.postWithHeaders(client.path(stream), client.body(stream), client.headers());
    }

    /** The text of a streamed answer; with {@code complete}, checks that it ended cleanly. */
    private static String streamedText(Route route, HttpResponse<String> response, boolean complete) {
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<Sse.Event> events = Sse.events(response.body());
        if (complete) {
            assertThat(events).as(response.body()).isNotEmpty();
            assertThat(route.client().cleanEnd(events.getLast())).as("a clean finish: %s", response.body()).isTrue();
            assertThat(events).noneMatch(route.client()::inBandError);
        }
        StringBuilder text = new StringBuilder();
        for (Sse.Event event : events) {
            if (!route.client().inBandError(event) && event.json() != null || event.data().equals("[DONE]")) {
                text.append(route.client().text(event));
            }
        }
        return text.toString();
    }
}
