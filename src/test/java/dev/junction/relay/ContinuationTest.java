package dev.junction.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.relay.FaultMatrixTest.Client;
import dev.junction.testing.ContinuingAnswer;
import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.FakeProvider.BrokenStream;
import dev.junction.testing.FakeProvider.Fault;
import dev.junction.testing.FakeProvider.Received;
import dev.junction.testing.MutableClock;
import dev.junction.testing.Opened;
import dev.junction.testing.Sse;
import dev.junction.testing.TestGateway;
import dev.junction.testing.TwoChannels;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * Mid-stream continuation: a stream that breaks after content (cut, stall, malformed event, error
 * event) is continued by the next candidate, and the client, in any API, sees the whole answer as
 * one stream with one finish; tool calls never reach the client broken; and a first token later
 * than the channel's {@code first_token} fails over.
 */
class ContinuationTest {

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

    /** A primary of a type the client does not speak (so the route is translated), and a Claude backup. */
    private void start(Client client, String backupModel, String failoverExtra) throws Exception {
        FakeProvider first = switch (client) {
            case CHAT, RESPONSES -> FakeAnthropic.start("sk-fake-primary");
            case MESSAGES, GEMINI -> FakeOpenAi.start("sk-fake-primary");
        };
        String primaryModel = first instanceof FakeAnthropic ? "claude-sonnet-4-5" : "gpt-4.1";
        TwoChannels two = opened(TwoChannels.primaryAndBackup(dir, clock, failoverExtra, first, primaryModel,
                FakeAnthropic.start("sk-fake-backup"), backupModel));
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
    void aStreamBrokenAfterFortyOfSixtyPiecesReachesTheClientWholeWithOneFinish(Client client, Fault fault)
            throws Exception {
        start(client, "claude-sonnet-4-5", "");
        primary.then(new BrokenStream(BEFORE_BREAK, fault));
        backup.always(continuing(false));
        HttpResponse<String> response = send(client);
        assertThat(response.statusCode()).isEqualTo(200);
        List<Sse.Event> events = Sse.events(response.body());
        assertThat(text(client, events)).as(response.body()).isEqualTo(WHOLE);
        assertThat(events).filteredOn(client::cleanEnd).as(response.body()).hasSize(1);
        assertThat(events).noneMatch(client::inBandError);
        if (client == Client.GEMINI) {
            // The Anthropic backup pings after the commit: a Gemini client gets a blank line, not an
            // SSE comment, after which the @google/genai JS SDK would read nothing more.
            assertThat(response.body().lines()).as(response.body()).noneMatch(line -> line.startsWith(":"));
        }
        Received continuation = backup.last();
        assertThat(ContinuingAnswer.lastRole(continuation)).as("prefilled").isEqualTo("assistant");
        assertThat(ContinuingAnswer.lastText(continuation)).isEqualTo(pieces(0, BEFORE_BREAK).stripTrailing());
        Map<String, Object> row = gateway.usageRows(1).getLast();
        assertThat(row).containsEntry("end_reason", "continued");
        assertThat(((Number) row.get("completion_tokens")).longValue()).isGreaterThanOrEqualTo(20);
        if (primary instanceof FakeAnthropic) {
            assertThat(((Number) row.get("prompt_tokens")).longValue()).as("both parts' prompts").isEqualTo(11 + 13);
        }
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void aFallbackThatRejectsPrefillIsAskedToContinueInWordsAndItsRepeatIsTrimmed(Client client) throws Exception {
        start(client, "claude-opus-4-6", "");
        primary.then(new BrokenStream(BEFORE_BREAK, Fault.CUT));
        backup.always(continuing(true));
        HttpResponse<String> response = send(client);
        List<Sse.Event> events = Sse.events(response.body());
        assertThat(text(client, events)).as(response.body()).isEqualTo(WHOLE);
        assertThat(events).filteredOn(client::cleanEnd).hasSize(1);
        assertThat(backup.requestCount()).as("never sent a prefill the model rejects").isEqualTo(1);
        Received continuation = backup.last();
        assertThat(ContinuingAnswer.lastRole(continuation)).isEqualTo("user");
        assertThat(ContinuingAnswer.lastText(continuation)).contains("Continue");
        JsonNode messages = continuation.body().path("messages");
        assertThat(messages.get(messages.size() - 2).path("role").asString()).isEqualTo("assistant");
    }

    @Test
    void withContinuationOffABrokenStreamStillEndsWithTheInBandError() throws Exception {
        start(Client.CHAT, "claude-sonnet-4-5", ", continue_streams: false");
        primary.then(new BrokenStream(BEFORE_BREAK, Fault.CUT));
        backup.always(continuing(false));
        List<Sse.Event> events = Sse.events(send(Client.CHAT).body());
        assertThat(text(Client.CHAT, events)).isEqualTo(pieces(0, BEFORE_BREAK));
        assertThat(Client.CHAT.inBandError(events.getLast())).isTrue();
        assertThat(backup.requestCount()).isZero();
    }

    @Test
    void whenNoCandidateCanContinueTheStreamEndsWithTheInBandError() throws Exception {
        start(Client.CHAT, "claude-sonnet-4-5", ", continue_same_channel: 0"); // nor the primary itself
        primary.then(new BrokenStream(BEFORE_BREAK, Fault.CUT));
        backup.always(FakeProvider.status(503));
        List<Sse.Event> events = Sse.events(send(Client.CHAT).body());
        assertThat(text(Client.CHAT, events)).isEqualTo(pieces(0, BEFORE_BREAK));
        assertThat(events).noneMatch(Client.CHAT::cleanEnd);
        assertThat(Client.CHAT.inBandError(events.getLast())).isTrue();
        assertThat(gateway.usageRows(1).getLast()).containsEntry("end_reason", "upstream_cut");
    }

    // --- tool calls ---------------------------------------------------------------------------------

    private static final FakeProvider.Call CALL = new FakeProvider.Call("call_weather_1", "get_weather",
            "{\"city\":\"Paris\",\"unit\":\"celsius\"}");

    /** A Messages client whose OpenAI primary cuts inside a tool call's arguments, after some text. */
    private HttpResponse<String> cutInsideAToolCall(String failoverExtra, FakeProvider.Reply backupReply)
            throws Exception {
        start(Client.MESSAGES, "claude-sonnet-4-5", failoverExtra);
        // events: the role chunk with the text, the call's start, the first half of its arguments
        primary.then(new FakeProvider.CutAfter(3, new FakeProvider.ToolCalls("Let me check. ", List.of(CALL))));
        backup.always(backupReply);
        String body = "{\"model\":\"chat\",\"max_tokens\":1024,\"stream\":true,\"tools\":[{\"name\":\"get_weather\","
                + "\"input_schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]}";
        return gateway.postWithHeaders("/v1/messages", body, Client.MESSAGES.headers());
    }

    private static List<Sse.Event> toolStarts(List<Sse.Event> events) {
        return events.stream().filter(e -> "content_block_start".equals(e.name())
                && "tool_use".equals(e.json().at("/content_block/type").asString(""))).toList();
    }

    private static String toolArguments(List<Sse.Event> events) {
        return events.stream().filter(e -> "content_block_delta".equals(e.name()))
                .map(e -> e.json().at("/delta/partial_json").asString("")).collect(Collectors.joining());
    }

    @Test
    void aCutInsideAToolCallIsContinuedWithTheWholeCallNeverAHalfOne() throws Exception {
        HttpResponse<String> response = cutInsideAToolCall("", new FakeProvider.ToolCalls("", List.of(CALL)));
        List<Sse.Event> events = Sse.events(response.body());
        assertThat(text(Client.MESSAGES, events)).as(response.body()).isEqualTo("Let me check. ");
        assertThat(toolStarts(events)).as(response.body()).hasSize(1);
        assertThat(JSON.readTree(toolArguments(events))).isEqualTo(JSON.readTree(CALL.arguments()));
        assertThat(events).filteredOn(Client.MESSAGES::cleanEnd).hasSize(1);
        assertThat(events).noneMatch(Client.MESSAGES::inBandError);
    }

    @Test
    void aCutInsideAToolCallThatCannotBeContinuedShowsNoPartOfTheCall() throws Exception {
        HttpResponse<String> response = cutInsideAToolCall(", continue_streams: false", FakeProvider.text("unused"));
        List<Sse.Event> events = Sse.events(response.body());
        assertThat(text(Client.MESSAGES, events)).isEqualTo("Let me check. ");
        assertThat(toolStarts(events)).as("no half call: %s", response.body()).isEmpty();
        assertThat(toolArguments(events)).isEmpty();
        assertThat(events).noneMatch(Client.MESSAGES::cleanEnd);
        assertThat(Client.MESSAGES.inBandError(events.getLast())).isTrue();
    }

    // --- late first token ---------------------------------------------------------------------------

    @Test
    void aFirstTokenLaterThanTheLimitFailsOverInvisibly() throws Exception {
        primary = opened(FakeOpenAi.start("sk-fake-primary"));
        backup = opened(FakeAnthropic.start("sk-fake-backup"));
        gateway = opened(TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("primary", primary, "{chat: gpt-4.1}", "priority: 10\n"
                        + "timeout: { first_token: 1s }")
                + TestGateway.channel("backup", backup, "{chat: claude-sonnet-4-5}", ""), clock));
        // the stream (and its role chunk) starts at once, but the first text comes after 5 s
        primary.then(new FakeProvider.SlowStream(List.of("too ", "late"), Duration.ofSeconds(5)));
        backup.always(FakeProvider.text("Hello from the backup."));
        HttpResponse<String> response = send(Client.CHAT);
        assertThat(response.headers().firstValue("x-junction-channel")).contains("backup");
        assertThat(response.headers().firstValue("x-junction-attempts")).contains("2");
        assertThat(text(Client.CHAT, Sse.events(response.body()))).isEqualTo("Hello from the backup.");
        assertThat(gateway.usageRows(1).getLast()).containsEntry("end_reason", "done");
    }
}
