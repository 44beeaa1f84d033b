package dev.junction.relay;

import static dev.junction.testing.FakeProvider.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.routing.Channel;
import dev.junction.testing.Chat;
import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeGemini;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.MutableClock;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Translated channels take part in failover like OpenAI channels: the same failure table, key
 * rests and disabling, and health checks and key probes sent in the provider's own format.
 */
class TranslatedFailoverTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private final List<AutoCloseable> open = new ArrayList<>();
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T opened(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private void start(String channels) throws Exception {
        gateway = opened(TestGateway.start(dir, "channels:\n" + channels, clock));
    }

    private HttpResponse<String> chat() throws Exception {
        return gateway.post("/v1/chat/completions", Chat.body("chat", false));
    }

    private static String servedBy(HttpResponse<String> response) {
        return response.headers().firstValue("x-junction-channel").orElse("none");
    }

    @Test
    void aRejectedAnthropicKeyIsDisabledAndProbedBackInTheMessagesFormat() throws Exception {
        FakeAnthropic anthropic = opened(FakeAnthropic.start("sk-good-key-2222"));
        start("""
                  - name: claude
                    type: anthropic
                    base_url: %s
                    api_keys: [sk-bad-key-1111, sk-good-key-2222]
                    models: {chat: claude-sonnet-4-5}
                """.formatted(anthropic.baseUrl()));
        HttpResponse<String> first = chat();
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-junction-attempts")).contains("2");
        var badKey = gateway.gateway().router().channels().getFirst().keys().getFirst();
        assertThat(badKey.disabled()).isTrue();
        clock.advance(Duration.ofMinutes(6));
        gateway.gateway().runHealthChecks();
        assertThat(badKey.disabled()).isTrue();
        anthropic.acceptAlso("sk-bad-key-1111");
        clock.advance(Duration.ofMinutes(6));
        gateway.gateway().runHealthChecks();
        assertThat(badKey.disabled()).as("the probe passed the fake's Messages validation").isFalse();
        FakeProvider.Received probe = anthropic.last();
        assertThat(probe.body().get("max_tokens").asInt()).isEqualTo(1);
        assertThat(probe.header("x-api-key")).isEqualTo("sk-bad-key-1111");
    }

    @Test
    void aGeminiHealthCheckTakesTheChannelOutAndBringsItBack() throws Exception {
        FakeGemini gemini = opened(FakeGemini.start("sk-fake-gemini"));
        FakeAnthropic anthropic = opened(FakeAnthropic.start("sk-fake-claude"));
        start(TestGateway.channel("gemini", gemini, "{chat: gemini-2.5-flash}",
                "priority: 10\nhealth_check: { model: chat, every: 30s }")
                + TestGateway.channel("claude", anthropic, "{chat: claude-sonnet-4-5}", ""));
        gemini.always(new FakeProvider.Status(503, "{\"error\":{\"code\":503,\"message\":\"overloaded\","
                + "\"status\":\"UNAVAILABLE\"}}", Map.of()));
        gateway.gateway().runHealthChecks();
        Channel channel = gateway.gateway().router().channels().getFirst();
        assertThat(channel.healthy()).isFalse();
        assertThat(gemini.last().path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(gemini.last().body().at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(1);
        assertThat(servedBy(chat())).isEqualTo("claude");
        gemini.always(text("ok"));
        clock.advance(Duration.ofSeconds(31));
        gateway.gateway().runHealthChecks();
        assertThat(channel.healthy()).isTrue();
        assertThat(servedBy(chat())).isEqualTo("gemini");
    }

    @Test
    void aContextTooLongRefusalFailsOverToAChannelThatMayServeIt() throws Exception {
        FakeAnthropic anthropic = opened(FakeAnthropic.start("sk-fake-claude"));
        FakeGemini gemini = opened(FakeGemini.start("sk-fake-gemini"));
        start(TestGateway.channel("claude", anthropic, "{chat: claude-sonnet-4-5}", "priority: 10")
                + TestGateway.channel("gemini", gemini, "{chat: gemini-2.5-pro}", ""));
        anthropic.then(new FakeProvider.Status(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"message\":\"prompt is too long: 210000 tokens > 200000 maximum\"}}", Map.of()));
        HttpResponse<String> response = chat();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(servedBy(response)).isEqualTo("gemini");
    }

    @Test
    void aRateLimitedAnthropicKeyRestsForItsRetryAfter() throws Exception {
        FakeAnthropic anthropic = opened(FakeAnthropic.start("sk-fake-claude"));
        FakeGemini gemini = opened(FakeGemini.start("sk-fake-gemini"));
        start(TestGateway.channel("claude", anthropic, "{chat: claude-sonnet-4-5}", "priority: 10")
                + TestGateway.channel("gemini", gemini, "{chat: gemini-2.5-flash}", ""));
        anthropic.then(new FakeProvider.Status(429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
                + "\"message\":\"slow down\"}}", Map.of("retry-after", "20")));
        assertThat(servedBy(chat())).isEqualTo("gemini");
        assertThat(servedBy(chat())).as("still resting").isEqualTo("gemini");
        assertThat(anthropic.requestCount()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(21));
        assertThat(servedBy(chat())).isEqualTo("claude");
    }
}
