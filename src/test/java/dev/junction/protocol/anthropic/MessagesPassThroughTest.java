package dev.junction.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.ChannelApi;
import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import dev.junction.core.TokenUsage;
import dev.junction.http.SseEvent;
import dev.junction.protocol.PassThrough;
import dev.junction.protocol.PassThrough.Verdict;
import dev.junction.protocol.ProviderCall;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessagesPassThroughTest {

    static final byte[] BODY = "{\"model\":\"public\",\"max_tokens\":5,\"stream\":true,\"messages\":[]}"
            .getBytes(StandardCharsets.UTF_8);

    static SseEvent event(String name, String data) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        return new SseEvent(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8), bytes,
                name, true);
    }

    @Test
    void theCallCarriesTheChannelKeyAndTheClientsVersionAndBetas() {
        PassThrough route = AnthropicClientRequest.parse(BODY, "2026-10-21", "context-management-2025-06-27")
                .passThrough(ChannelApi.of(ChannelType.ANTHROPIC)).orElseThrow();
        ProviderCall call = route.call("claude-sonnet-4-5", "sk-channel", ChannelQuirks.NONE);
        assertThat(call.path()).isEqualTo("/v1/messages");
        assertThat(call.headers()).containsEntry("x-api-key", "sk-channel")
                .containsEntry("anthropic-version", "2026-10-21")
                .containsEntry("anthropic-beta", "context-management-2025-06-27");
        assertThat(new String(call.body(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"stream\":true,\"messages\":[]}");
        ProviderCall plain = AnthropicClientRequest.parse(BODY, null, null)
                .passThrough(ChannelApi.of(ChannelType.ANTHROPIC)).orElseThrow()
                .call("m", null, ChannelQuirks.NONE);
        assertThat(plain.headers()).containsEntry("anthropic-version", "2023-06-01").doesNotContainKey("anthropic-beta")
                .doesNotContainKey("x-api-key");
        assertThat(AnthropicClientRequest.parse(BODY, null, null).passThrough(ChannelApi.of(ChannelType.GEMINI)))
                .isEmpty();
    }

    @Test
    void theScannerSortsEventsAndReadsUsage() {
        PassThrough.StreamScanner scanner = new MessagesPassThrough(MessagesBody.parse(BODY, true), "/v1/messages",
                null, null).scanner();
        assertThat(scanner.scan(event("message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":"
                + "{\"input_tokens\":5,\"cache_read_input_tokens\":4,\"output_tokens\":1}}}"))).isEqualTo(Verdict.LIFECYCLE);
        assertThat(scanner.scan(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0}")))
                .isEqualTo(Verdict.LIFECYCLE);
        assertThat(scanner.scan(event("ping", "{\"type\":\"ping\"}"))).isEqualTo(Verdict.LIFECYCLE);
        assertThat(scanner.scan(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0}")))
                .isEqualTo(Verdict.CONTENT);
        assertThat(scanner.complete()).isFalse();
        assertThat(scanner.scan(event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                + "\"end_turn\"},\"usage\":{\"output_tokens\":12}}"))).isEqualTo(Verdict.CONTENT);
        assertThat(scanner.complete()).isTrue();
        assertThat(scanner.usage()).isEqualTo(new TokenUsage(9, 12, 4, 0, 0));
        assertThat(scanner.scan(event("message_stop", "{\"type\":\"message_stop\"}"))).isEqualTo(Verdict.DONE);
        assertThat(scanner.scan(event("error", "{\"type\":\"error\",\"error\":{}}"))).isEqualTo(Verdict.ERROR);
        assertThat(scanner.scan(event("content_block_delta", "{\"type\":"))).isEqualTo(Verdict.MALFORMED);
        assertThat(scanner.scan(event("content_block_delta", "{\"type\":\"ping\"} x"))).isEqualTo(Verdict.MALFORMED);
        assertThat(scanner.scan(event("message_stop", "{\"index\":0}"))).isEqualTo(Verdict.DONE); // by the event name
        assertThat(scanner.scan(event("message_stop", "{\"type\":\"content_block_delta\"}"))).isEqualTo(Verdict.CONTENT);
        assertThat(new String(scanner.terminator(), StandardCharsets.UTF_8)).startsWith("event: message_stop\n");
    }

    @Test
    void wholeAnswersGiveUsageOrAProblem() {
        PassThrough route = new MessagesPassThrough(MessagesBody.parse(BODY, true), "/v1/messages", null, null);
        assertThat(route.inspect("{\"type\":\"message\",\"usage\":{\"input_tokens\":3,\"output_tokens\":2}}"
                .getBytes(StandardCharsets.UTF_8))).isEqualTo(new PassThrough.Whole(new TokenUsage(3, 2, 0, 0, 0), null));
        assertThat(route.inspect("{\"type\":\"error\",\"error\":{\"type\":\"api_error\"}}"
                .getBytes(StandardCharsets.UTF_8)).problem()).isEqualTo(PassThrough.Problem.notAnAnswer(
                        "an error object instead of a message"));
        assertThat(route.inspect("<html>".getBytes(StandardCharsets.UTF_8)).problem())
                .isSameAs(PassThrough.Problem.NOT_JSON);
    }
}
