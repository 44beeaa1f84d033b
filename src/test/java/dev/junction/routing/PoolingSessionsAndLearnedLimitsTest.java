package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.Chat;
import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.MutableClock;
import dev.junction.testing.Opened;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's done-when items that {@link PoolingTest} leaves to other clients: Anthropic's
 * {@code anthropic-ratelimit-*} headers move traffic before any 429, like OpenAI's; Codex's session
 * (its {@code session_id} header and the {@code prompt_cache_key} of its body) keeps a conversation
 * on one channel while sessions spread by weight. Real gateway, fakes over HTTP.
 */
class PoolingSessionsAndLearnedLimitsTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final Opened open = new Opened();

    private static String channelOf(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue("x-junction-channel").orElseThrow();
    }

    @Test
    void anthropicRemainingZeroMovesTrafficBeforeAny429() throws Exception {
        MutableClock clock = new MutableClock();
        FakeAnthropic claude = open.add(FakeAnthropic.start("sk-fake-claude"));
        FakeOpenAi other = open.add(FakeOpenAi.start("sk-fake-other"));
        String answer = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}";
        claude.then(FakeProvider.status(200, answer, Map.of("anthropic-ratelimit-requests-limit", "50",
                "anthropic-ratelimit-requests-remaining", "0",
                "anthropic-ratelimit-requests-reset", clock.now().plusSeconds(30).toString())));
        TestGateway gateway = open.add(TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("claude", claude, "{chat: claude-sonnet-4-5}", "priority: 10")
                + TestGateway.channel("other", other, "{chat: gpt-4o}", ""), clock));
        assertThat(channelOf(gateway.post("/v1/chat/completions", Chat.body("chat", false)))).isEqualTo("claude");
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = gateway.post("/v1/chat/completions", Chat.body("chat", false));
            assertThat(channelOf(response)).isEqualTo("other");
            assertThat(response.headers().firstValue("x-junction-attempts")).contains("1");
        }
        assertThat(claude.requestCount()).as("no request was sent to be refused").isEqualTo(1);
        clock.advance(Duration.ofSeconds(31));
        assertThat(channelOf(gateway.post("/v1/chat/completions", Chat.body("chat", false)))).isEqualTo("claude");
    }

    @Test
    void codexSessionsStickByTheirHeaderOrPromptCacheKeyAndSpreadByWeight() throws Exception {
        FakeOpenAi a = open.add(FakeOpenAi.start("sk-fake-a"));
        FakeOpenAi b = open.add(FakeOpenAi.start("sk-fake-b"));
        TestGateway gateway = open.add(TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("a", a, "{chat: m-a}", "weight: 3")
                + TestGateway.channel("b", b, "{chat: m-b}", "weight: 1")
                + "routing:\n  chat: { affinity: true }\n"));
        for (String session : List.of("codex-1", "codex-2")) {
            String sticky = null;
            for (int turn = 0; turn < 20; turn++) {
                String channel = channelOf(gateway.postWithHeaders("/v1/chat/completions", Chat.body("chat", false),
                        Map.of("session_id", session)));
                sticky = sticky == null ? channel : sticky;
                assertThat(channel).as("session %s turn %d", session, turn).isEqualTo(sticky);
            }
        }
        String keyed = "{\"model\":\"chat\",\"prompt_cache_key\":\"conv-9\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}]}";
        String sticky = channelOf(gateway.post("/v1/chat/completions", keyed));
        for (int turn = 0; turn < 19; turn++) {
            assertThat(channelOf(gateway.post("/v1/chat/completions", keyed))).isEqualTo(sticky);
        }
        // New sessions land by weight, 3 : 1.
        Map<String, Integer> spread = new HashMap<>();
        for (int s = 0; s < 80; s++) {
            spread.merge(channelOf(gateway.postWithHeaders("/v1/chat/completions", Chat.body("chat", false),
                    Map.of("session_id", "new-" + s))), 1, Integer::sum);
        }
        assertThat(spread.get("a")).as(spread.toString()).isBetween(48, 72);
        assertThat(spread.getOrDefault("b", 0)).as(spread.toString()).isBetween(8, 32);
    }
}
