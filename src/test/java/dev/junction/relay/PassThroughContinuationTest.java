package dev.junction.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.relay.FaultMatrixTest.Client;
import dev.junction.testing.ContinuingAnswer;
import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeGemini;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.FakeProvider.BrokenStream;
import dev.junction.testing.FakeProvider.Fault;
import dev.junction.testing.FakeProvider.Received;
import dev.junction.testing.FakeResponses;
import dev.junction.testing.MutableClock;
import dev.junction.testing.Opened;
import dev.junction.testing.Sse;
import dev.junction.testing.TestGateway;
import dev.junction.testing.TwoChannels;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Mid-stream continuation on pass-through routes (the client's API is the primary's own): the
 * provider's events reach the client as they are until the break, then the next candidate continues
 * the answer in the same stream, written so that it continues it: the same chunk id (Chat), the
 * same open content block index (Messages), the same response and message item ids with rising
 * sequence numbers (Responses), one finish. A tool call's events are held until the call is
 * complete, so a cut inside one shows no part of it: the continuation makes the call again, or the
 * stream ends with the in-band error.
 */
class PassThroughContinuationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PIECES = 60;
    private static final int BEFORE_BREAK = 40;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    @RegisterExtension
    final Opened open = new Opened();
    private FakeProvider primary;
    private FakeProvider backup;
    private TestGateway gateway;

    private static String pieces(int from, int to) {
        return ContinuingAnswer.pieces(from, to);
    }

    /** The whole answer the client must see. */
    private static final String WHOLE = pieces(0, PIECES);

    /** A backup that continues the answer cut after {@link #BEFORE_BREAK} pieces ({@link ContinuingAnswer#continuing}). */
    private static FakeProvider.Reply continuing(boolean rejectsPrefill) {
        return ContinuingAnswer.continuing(rejectsPrefill, BEFORE_BREAK, PIECES);
    }

    /** The fake that speaks the client's own API, so the primary route is a pass-through. */
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

    private void start(Client client, FakeProvider backupFake, String backupModel, String failoverExtra)
            throws Exception {
        FakeProvider first = own(client, "sk-fake-primary");
        TwoChannels two = opened(TwoChannels.primaryAndBackup(dir, clock, failoverExtra, first, model(first),
                backupFake, backupModel));
        primary = two.first();
        backup = two.second();
        gateway = two.gateway();
    }

    private <T extends AutoCloseable> T opened(T closeable) {
        return open.add(closeable);
    }

    private HttpResponse<String> send(Client client) throws Exception {
        return gateway.postWithHeaders(client.path(true), client.body(true), client.headers());
    }

    private static String text(Client client, List<Sse.Event> events) {
        return events.stream().map(client::text).collect(Collectors.joining());
    }

    static Stream<Arguments> clientsAndFaults() {
        return Stream.of(Client.values()).flatMap(client -> Stream.of(Fault.values())
                .map(fault -> Arguments.of(client, fault)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("clientsAndFaults")
    void aPassedThroughStreamBrokenAfterFortyOfSixtyPiecesReachesTheClientWholeWithOneFinish(Client client,
            Fault fault) throws Exception {
        start(client, FakeAnthropic.start("sk-fake-backup"), "claude-sonnet-4-5", "");
        primary.then(new BrokenStream(BEFORE_BREAK, fault));
        backup.always(continuing(false));
        HttpResponse<String> response = send(client);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-junction-channel")).contains("primary");
        List<Sse.Event> events = Sse.events(response.body());
        assertThat(text(client, events)).as(response.body()).isEqualTo(WHOLE);
        assertThat(events).filteredOn(client::cleanEnd).as(response.body()).hasSize(1);
        assertThat(events).noneMatch(client::inBandError);
        Received continuation = backup.last();
        assertThat(ContinuingAnswer.lastRole(continuation)).as("prefilled").isEqualTo("assistant");
        assertThat(ContinuingAnswer.lastText(continuation)).isEqualTo(pieces(0, BEFORE_BREAK).stripTrailing());
        Map<String, Object> row = gateway.usageRows(1).getLast();
        assertThat(row).containsEntry("end_reason", "continued");
        assertThat(((Number) row.get("completion_tokens")).longValue()).isGreaterThanOrEqualTo(20);
        assertThat(row.get("attempts").toString()).as("both attempts recorded").contains("primary", "backup");
        assertOneStream(client, events);
    }

    /** The continuation's events continue the provider's: same ids, block index, rising sequence numbers. */
    private static void assertOneStream(Client client, List<Sse.Event> events) {
        switch (client) {
            case CHAT -> {
                Set<String> ids = events.stream().filter(e -> !"[DONE]".equals(e.data()))
                        .map(e -> e.json().path("id").asString()).collect(Collectors.toSet());
                assertThat(ids).as("one chunk id").hasSize(1);
                assertThat(events.stream().filter(e -> e.data().contains("\"role\"")).count())
                        .as("the role once").isEqualTo(1);
                assertThat(events.stream().filter(e -> !"[DONE]".equals(e.data()))
                        .filter(e -> e.json().at("/choices/0/finish_reason").isString()).count()).isEqualTo(1);
            }
            case MESSAGES -> {
                assertThat(events).filteredOn(e -> "message_start".equals(e.name())).hasSize(1);
                assertThat(events).filteredOn(e -> "content_block_start".equals(e.name())).hasSize(1);
                assertThat(events.stream().filter(e -> "content_block_delta".equals(e.name()))
                        .map(e -> e.json().path("index").asInt()).collect(Collectors.toSet())).containsExactly(0);
                assertThat(events).filteredOn(e -> "content_block_stop".equals(e.name())).hasSize(1);
                assertThat(events).filteredOn(e -> "message_delta".equals(e.name())).hasSize(1);
            }
            case RESPONSES -> {
                List<Integer> numbers = events.stream().map(e -> e.json().path("sequence_number").asInt(-1)).toList();
                for (int i = 1; i < numbers.size(); i++) {
                    assertThat(numbers.get(i)).as("sequence numbers rise: %s", numbers).isGreaterThan(numbers.get(i - 1));
                }
                String created = events.getFirst().json().at("/response/id").asString();
                assertThat(events.getLast().json().at("/response/id").asString()).isEqualTo(created);
                assertThat(events.stream().filter(e -> e.json().has("item_id"))
                        .map(e -> e.json().path("item_id").asString()).collect(Collectors.toSet())).hasSize(1);
                JsonNode output = events.getLast().json().at("/response/output");
                assertThat(output.size()).isEqualTo(1);
                assertThat(output.at("/0/content/0/text").asString()).isEqualTo(WHOLE);
            }
            case GEMINI -> {
                assertThat(events.stream().map(e -> e.json().path("responseId").asString(""))
                        .filter(id -> !id.isEmpty()).collect(Collectors.toSet())).hasSizeLessThanOrEqualTo(1);
            }
        }
    }

    /**
     * A backup that serves only the Responses API (a {@code responses: true} channel without chat
     * completions, as {@link FakeResponses}) continues a Responses stream in that API: the
     * conversation, the answer so far as an assistant message and the request to go on.
     */
    @Test
    void aResponsesOnlyBackupContinuesInTheResponsesApi() throws Exception {
        start(Client.RESPONSES, FakeResponses.start("sk-fake-backup"), "gpt-4.1", "");
        primary.then(new BrokenStream(BEFORE_BREAK, Fault.CUT));
        backup.always(new FakeProvider.Scripted(request -> {
            JsonNode input = request.body().path("input");
            JsonNode last = input.get(input.size() - 1);
            return last.at("/content/0/text").asString("").contains("Continue")
                    ? new FakeProvider.Text(pieces(BEFORE_BREAK - 2, PIECES), 20, 13, 20)
                    : FakeProvider.text("a fresh answer, not a continuation");
        }));
        HttpResponse<String> response = send(Client.RESPONSES);
        List<Sse.Event> events = Sse.events(response.body());
        assertThat(text(Client.RESPONSES, events)).as(response.body()).isEqualTo(WHOLE);
        assertThat(events).filteredOn(Client.RESPONSES::cleanEnd).hasSize(1);
        assertThat(events).noneMatch(Client.RESPONSES::inBandError);
        assertOneStream(Client.RESPONSES, events);
        Received continuation = backup.last();
        assertThat(continuation.path()).isEqualTo("/v1/responses");
        JsonNode input = continuation.body().path("input");
        assertThat(input.get(input.size() - 2).path("role").asString()).isEqualTo("assistant");
        assertThat(input.get(input.size() - 2).at("/content/0/text").asString()).isEqualTo(pieces(0, BEFORE_BREAK));
        assertThat(gateway.usageRows(1).getLast()).containsEntry("end_reason", "continued");
    }

    /**
     * Claude Code thinks: the primary's answer opens with a signed thinking block, and the backup,
     * asked to continue, thinks again before it goes on. The client's answer keeps one thinking
     * block (the primary's, signed) and one text block, as Anthropic wants a turn sent back in a
     * tool loop; the continuation's thinking is not shown between the two parts of the text.
     */
    @Test
    void aThinkingAnswerIsContinuedWithoutASecondThinkingBlockInsideTheText() throws Exception {
        start(Client.MESSAGES, FakeAnthropic.start("sk-fake-backup"), "claude-sonnet-4-5", "");
        String whole = "All done: the command printed hi, as expected.";
        // message_start, ping, the thinking block (5 events), the text block's start and 2 of 8 pieces
        primary.then(new FakeProvider.CutAfter(10, new FakeProvider.Thinking("The user wants it.",
                new FakeProvider.Text(whole, 8, 11, 7))));
        backup.always(new FakeProvider.Scripted(request -> new FakeProvider.Thinking("Go on from there.",
                new FakeProvider.Text(whole.substring(12), 4, 13, 5))));
        HttpResponse<String> response = gateway.postWithHeaders("/v1/messages", """
                {"model":"chat","max_tokens":4096,"stream":true,"thinking":{"type":"enabled","budget_tokens":2048},
                 "messages":[{"role":"user","content":"Run echo hi"}]}""", Client.MESSAGES.headers());
        List<Sse.Event> events = Sse.events(response.body());
        assertThat(text(Client.MESSAGES, events)).as(response.body()).isEqualTo(whole);
        assertThat(events).filteredOn(e -> "content_block_start".equals(e.name())).as(response.body())
                .extracting(e -> e.json().at("/content_block/type").asString()).containsExactly("thinking", "text");
        assertThat(events).filteredOn(e -> "content_block_delta".equals(e.name()))
                .filteredOn(e -> e.json().at("/delta/type").asString().equals("signature_delta")).hasSize(1);
        assertThat(events).filteredOn(Client.MESSAGES::cleanEnd).hasSize(1);
        assertThat(ContinuingAnswer.lastText(backup.last())).as("asked in words: a thinking request takes no prefill").contains("Continue");
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void aFallbackThatRejectsPrefillIsAskedToContinueInWords(Client client) throws Exception {
        start(client, FakeAnthropic.start("sk-fake-backup"), "claude-opus-4-6", "");
        primary.then(new BrokenStream(BEFORE_BREAK, Fault.CUT));
        backup.always(continuing(true));
        HttpResponse<String> response = send(client);
        List<Sse.Event> events = Sse.events(response.body());
        assertThat(text(client, events)).as(response.body()).isEqualTo(WHOLE);
        assertThat(events).filteredOn(client::cleanEnd).hasSize(1);
        assertThat(backup.requestCount()).as("never sent a prefill the model rejects").isEqualTo(1);
        assertThat(ContinuingAnswer.lastRole(backup.last())).isEqualTo("user");
        assertThat(ContinuingAnswer.lastText(backup.last())).contains("Continue");
    }

    @Test
    void aChannelOfTheClientsOwnTypeContinuesToo() throws Exception {
        start(Client.CHAT, FakeOpenAi.start("sk-fake-backup"), "gpt-4.1", "");
        primary.then(new BrokenStream(BEFORE_BREAK, Fault.MALFORMED));
        backup.always(continuing(false));
        List<Sse.Event> events = Sse.events(send(Client.CHAT).body());
        assertThat(text(Client.CHAT, events)).isEqualTo(WHOLE);
        assertThat(events).filteredOn(Client.CHAT::cleanEnd).hasSize(1);
        assertOneStream(Client.CHAT, events);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void whenNoCandidateCanContinueTheStreamEndsWithTheInBandError(Client client) throws Exception {
        // the backup fails, and the primary may not continue its own answer
        start(client, FakeAnthropic.start("sk-fake-backup"), "claude-sonnet-4-5", ", continue_same_channel: 0");
        primary.then(new BrokenStream(BEFORE_BREAK, Fault.CUT));
        backup.always(FakeProvider.status(503));
        List<Sse.Event> events = Sse.events(send(client).body());
        assertThat(text(client, events)).isEqualTo(pieces(0, BEFORE_BREAK));
        assertThat(events).noneMatch(client::cleanEnd);
        assertThat(client.inBandError(events.getLast())).isTrue();
        assertThat(gateway.usageRows(1).getLast()).containsEntry("end_reason", "upstream_cut");
    }

    @Test
    void withContinuationOffThePassThroughIsUnchanged() throws Exception {
        start(Client.MESSAGES, FakeAnthropic.start("sk-fake-backup"), "claude-sonnet-4-5", ", continue_streams: false");
        primary.then(new BrokenStream(BEFORE_BREAK, Fault.CUT));
        backup.always(continuing(false));
        List<Sse.Event> events = Sse.events(send(Client.MESSAGES).body());
        assertThat(text(Client.MESSAGES, events)).isEqualTo(pieces(0, BEFORE_BREAK));
        assertThat(Client.MESSAGES.inBandError(events.getLast())).isTrue();
        assertThat(backup.requestCount()).isZero();
    }

    // --- tool calls ---------------------------------------------------------------------------------

    private static final FakeProvider.Call CALL = new FakeProvider.Call("call_weather_1", "get_weather",
            "{\"city\":\"Paris\",\"unit\":\"celsius\"}");

    static Stream<Arguments> toolClients() {
        // Gemini sends a call whole in one chunk: it cannot be cut inside one.
        return Stream.of(Arguments.of(Client.CHAT, "/v1/chat/completions", "{\"model\":\"chat\",\"stream\":true,"
                        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":"
                        + "{\"type\":\"object\"}}}],\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]}"),
                Arguments.of(Client.MESSAGES, "/v1/messages", "{\"model\":\"chat\",\"max_tokens\":1024,\"stream\":true,"
                        + "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\"}}],"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]}"),
                Arguments.of(Client.RESPONSES, "/v1/responses", "{\"model\":\"chat\",\"stream\":true,\"store\":false,"
                        + "\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":"
                        + "{\"type\":\"object\"}}],\"input\":\"Weather?\"}"));
    }

    /** The tool calls the client saw start, and their arguments joined, in the client's API. */
    private static List<String> toolCalls(Client client, List<Sse.Event> events) {
        return switch (client) {
            case CHAT -> events.stream().filter(e -> !"[DONE]".equals(e.data()))
                    .filter(e -> e.json().at("/choices/0/delta/tool_calls/0/id").isString())
                    .map(e -> e.json().at("/choices/0/delta/tool_calls/0/function/name").asString()).toList();
            case MESSAGES -> events.stream().filter(e -> "content_block_start".equals(e.name())
                    && "tool_use".equals(e.json().at("/content_block/type").asString("")))
                    .map(e -> e.json().at("/content_block/name").asString()).toList();
            case RESPONSES -> events.stream().filter(e -> "response.output_item.added".equals(e.name())
                    && "function_call".equals(e.json().at("/item/type").asString("")))
                    .map(e -> e.json().at("/item/name").asString()).toList();
            case GEMINI -> List.of();
        };
    }

    private static String toolArguments(Client client, List<Sse.Event> events) {
        return switch (client) {
            case CHAT -> events.stream().filter(e -> !"[DONE]".equals(e.data()))
                    .map(e -> e.json().at("/choices/0/delta/tool_calls/0/function/arguments").asString(""))
                    .collect(Collectors.joining());
            case MESSAGES -> events.stream().filter(e -> "content_block_delta".equals(e.name()))
                    .map(e -> e.json().at("/delta/partial_json").asString("")).collect(Collectors.joining());
            case RESPONSES -> events.stream().filter(e -> "response.function_call_arguments.delta".equals(e.name()))
                    .map(e -> e.json().path("delta").asString("")).collect(Collectors.joining());
            case GEMINI -> "";
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toolClients")
    void aCutInsideAPassedThroughToolCallIsContinuedWithTheWholeCallNeverAHalfOne(Client client, String path,
            String body) throws Exception {
        start(client, FakeAnthropic.start("sk-fake-backup"), "claude-sonnet-4-5", "");
        primary.then(new FakeProvider.CutAfter(client == Client.CHAT ? 3 : 8,
                new FakeProvider.ToolCalls("Let me check. ", List.of(CALL))));
        backup.always(new FakeProvider.ToolCalls("", List.of(CALL)));
        HttpResponse<String> response = gateway.postWithHeaders(path, body, client.headers());
        List<Sse.Event> events = Sse.events(response.body());
        assertThat(text(client, events)).as(response.body()).isEqualTo("Let me check. ");
        assertThat(toolCalls(client, events)).as(response.body()).containsExactly("get_weather");
        assertThat(JSON.readTree(toolArguments(client, events))).isEqualTo(JSON.readTree(CALL.arguments()));
        assertThat(events).filteredOn(client::cleanEnd).hasSize(1);
        assertThat(events).noneMatch(client::inBandError);
        assertThat(backup.requestCount()).isEqualTo(1);
        assertThat(gateway.usageRows(1).getLast()).containsEntry("end_reason", "continued");
        if (client == Client.MESSAGES) {
            List<Integer> stops = events.stream().filter(e -> "content_block_stop".equals(e.name()))
                    .map(e -> e.json().path("index").asInt()).toList();
            assertThat(stops).as("each block stopped once, indexes rising: %s", response.body()).containsExactly(0, 1);
            assertThat(events.stream().filter(e -> "content_block_start".equals(e.name()))
                    .map(e -> e.json().path("index").asInt()).toList()).containsExactly(0, 1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toolClients")
    void aCutInsideAToolCallThatCannotBeContinuedShowsNoPartOfTheCall(Client client, String path, String body)
            throws Exception {
        start(client, FakeAnthropic.start("sk-fake-backup"), "claude-sonnet-4-5", ", continue_streams: false");
        primary.then(new FakeProvider.CutAfter(client == Client.CHAT ? 3 : 8,
                new FakeProvider.ToolCalls("Let me check. ", List.of(CALL))));
        HttpResponse<String> response = gateway.postWithHeaders(path, body, client.headers());
        List<Sse.Event> events = Sse.events(response.body());
        assertThat(text(client, events)).as(response.body()).isEqualTo("Let me check. ");
        assertThat(toolCalls(client, events)).as("no half call: %s", response.body()).isEmpty();
        assertThat(toolArguments(client, events)).isEmpty();
        assertThat(events).noneMatch(client::cleanEnd);
        assertThat(client.inBandError(events.getLast())).as(response.body()).isTrue();
    }

    /**
     * A continuation through a Responses-only upstream (its stream read by the Responses stream
     * decoder) that goes on with the text and then makes a tool call: cut anywhere in the call —
     * after its start, inside its arguments, after its arguments or its item are done but before
     * {@code response.completed} — the client sees the whole text and no part of the call, then the
     * in-band error; not cut, the whole call and one clean end.
     */
    @ParameterizedTest(name = "cut after {0} events")
    @org.junit.jupiter.params.provider.ValueSource(ints = {9, 10, 11, 12, 13})
    void aResponsesContinuationCutInsideAToolCallNeverShowsABrokenCall(int events) throws Exception {
        start(Client.RESPONSES, FakeResponses.start("sk-fake-backup"), "gpt-4.1", "");
        primary.then(new BrokenStream(BEFORE_BREAK, Fault.CUT));
        // created, in_progress, the message's 6 events (8), then the call: added (9), its arguments (10),
        // arguments done (11), item done (12), response.completed (13)
        backup.always(new FakeProvider.CutAfter(events, new FakeProvider.ToolCalls(pieces(BEFORE_BREAK - 2, PIECES),
                List.of(CALL))));
        HttpResponse<String> response = gateway.postWithHeaders("/v1/responses", (String) toolClients()
                .filter(a -> a.get()[0] == Client.RESPONSES).findFirst().orElseThrow().get()[2], Map.of());
        List<Sse.Event> seen = Sse.events(response.body());
        assertThat(text(Client.RESPONSES, seen)).as(response.body()).isEqualTo(WHOLE);
        assertThat(backup.requestCount()).as("one continuation").isEqualTo(1);
        if (events < 13) {
            assertThat(toolCalls(Client.RESPONSES, seen)).as("no half call: %s", response.body()).isEmpty();
            assertThat(toolArguments(Client.RESPONSES, seen)).isEmpty();
            assertThat(seen).noneMatch(Client.RESPONSES::cleanEnd);
            assertThat(Client.RESPONSES.inBandError(seen.getLast())).as(response.body()).isTrue();
            assertThat(gateway.usageRows(1).getLast()).containsEntry("end_reason", "upstream_cut");
        } else {
            assertThat(toolCalls(Client.RESPONSES, seen)).as(response.body()).containsExactly("get_weather");
            assertThat(JSON.readTree(toolArguments(Client.RESPONSES, seen))).isEqualTo(JSON.readTree(CALL.arguments()));
            assertThat(seen).noneMatch(Client.RESPONSES::inBandError);
            assertThat(seen).filteredOn(Client.RESPONSES::cleanEnd).hasSize(1);
            JsonNode completed = seen.stream().filter(Client.RESPONSES::cleanEnd).findFirst().orElseThrow().json();
            assertThat(completed.at("/response/output").valueStream().map(i -> i.path("type").asString()).toList())
                    .as("the whole answer in one response").containsExactly("message", "function_call");
            assertThat(gateway.usageRows(1).getLast()).containsEntry("end_reason", "continued");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toolClients")
    void aWholeToolCallPassesThroughUnchanged(Client client, String path, String body) throws Exception {
        start(client, FakeAnthropic.start("sk-fake-backup"), "claude-sonnet-4-5", "");
        primary.then(new FakeProvider.ToolCalls("Let me check. ", List.of(CALL)));
        HttpResponse<String> response = gateway.postWithHeaders(path, body, client.headers());
        List<Sse.Event> events = Sse.events(response.body());
        assertThat(toolCalls(client, events)).as(response.body()).containsExactly("get_weather");
        assertThat(JSON.readTree(toolArguments(client, events))).isEqualTo(JSON.readTree(CALL.arguments()));
        assertThat(events).filteredOn(client::cleanEnd).hasSize(1);
        assertThat(backup.requestCount()).isZero();
    }
}
