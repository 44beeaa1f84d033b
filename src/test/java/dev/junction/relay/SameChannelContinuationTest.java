package dev.junction.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.relay.FaultMatrixTest.Client;
import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.FakeProvider.BrokenStream;
import dev.junction.testing.FakeProvider.Fault;
import dev.junction.testing.FakeProvider.Received;
import dev.junction.testing.MutableClock;
import dev.junction.testing.Sse;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A model served by one channel only: when its stream breaks after content, that same channel is
 * asked to continue its own answer (another of its keys when it has one, else the same key after a
 * short wait), at most {@code failover.continue_same_channel} times per request (0 by default).
 */
class SameChannelContinuationTest {

    private static final int PIECES = 60;
    private static final int BEFORE_BREAK = 40;
    private static final String WHOLE = pieces(0, PIECES);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private FakeProvider only;
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (only != null) {
            only.close();
        }
    }

    private static String pieces(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "part" + i + " ").collect(Collectors.joining());
    }

    private static String lastRole(Received request) {
        JsonNode messages = request.body().path("messages");
        return messages.get(messages.size() - 1).path("role").asString("");
    }

    /** The one channel: a fresh answer breaks after 40 of 60 pieces; a prefilled request gets {@code continuation}. */
    private void start(String failover, String keys, FakeProvider.Reply continuation) throws Exception {
        only = FakeAnthropic.start("sk-fake-only").acceptAlso("sk-fake-other");
        only.always(new FakeProvider.Scripted(request -> lastRole(request).equals("assistant") ? continuation
                : new BrokenStream(BEFORE_BREAK, Fault.CUT)));
        gateway = TestGateway.start(dir, "failover: { breaker: { consecutive_failures: 100 }" + failover + " }\n"
                + "channels:\n"
                + "  - name: only\n    type: anthropic\n    base_url: " + only.baseUrl() + "\n"
                + "    " + keys + "\n    models: {chat: claude-sonnet-4-5}\n", clock);
    }

    private static FakeProvider.Reply rest() {
        return new FakeProvider.Text(" " + pieces(BEFORE_BREAK, PIECES), 20, 13, 20);
    }

    private List<Sse.Event> send() throws Exception {
        HttpResponse<String> response = gateway.postWithHeaders(Client.CHAT.path(true), Client.CHAT.body(true),
                Client.CHAT.headers());
        assertThat(response.statusCode()).isEqualTo(200);
        return Sse.events(response.body());
    }

    private static String text(List<Sse.Event> events) {
        return events.stream().map(Client.CHAT::text).collect(Collectors.joining());
    }

    @Test
    void theOnlyChannelContinuesItsOwnBrokenAnswerOnTheSameKey() throws Exception {
        start(", continue_same_channel: 1", "api_key: sk-fake-only", rest());
        List<Sse.Event> events = send();
        assertThat(text(events)).isEqualTo(WHOLE);
        assertThat(events).filteredOn(Client.CHAT::cleanEnd).hasSize(1);
        assertThat(events).noneMatch(Client.CHAT::inBandError);
        assertThat(only.requestCount()).isEqualTo(2);
        assertThat(lastRole(only.last())).as("prefilled with the answer so far").isEqualTo("assistant");
        assertThat(only.last().header("x-api-key")).isEqualTo("sk-fake-only");
        Map<String, Object> row = gateway.usageRows(1).getLast();
        assertThat(row).containsEntry("end_reason", "continued");
        assertThat(row.get("attempts").toString()).contains("continued the answer");
    }

    @Test
    void withAnotherKeyTheContinuationUsesIt() throws Exception {
        start(", continue_same_channel: 1", "api_keys: [sk-fake-only, sk-fake-other]", rest());
        List<Sse.Event> events = send();
        assertThat(text(events)).isEqualTo(WHOLE);
        String first = only.received().getFirst().header("x-api-key");
        assertThat(only.last().header("x-api-key")).as("the other key").isNotEqualTo(first)
                .isIn("sk-fake-only", "sk-fake-other");
    }

    @Test
    void theSameChannelIsAskedAtMostContinueSameChannelTimes() throws Exception {
        // Every continuation breaks too: one same-channel continuation (the bound set), then the in-band error.
        start(", continue_same_channel: 1", "api_key: sk-fake-only", new BrokenStream(5, Fault.CUT));
        List<Sse.Event> events = send();
        assertThat(events).noneMatch(Client.CHAT::cleanEnd);
        assertThat(Client.CHAT.inBandError(events.getLast())).isTrue();
        assertThat(only.requestCount()).isEqualTo(2);
    }

    @Test
    void byDefaultTheBrokenChannelIsNotAskedAndTheInBandErrorStays() throws Exception {
        start("", "api_key: sk-fake-only", rest()); // the default, 0
        List<Sse.Event> events = send();
        assertThat(text(events)).isEqualTo(pieces(0, BEFORE_BREAK));
        assertThat(Client.CHAT.inBandError(events.getLast())).isTrue();
        assertThat(only.requestCount()).isEqualTo(1);
    }
}
