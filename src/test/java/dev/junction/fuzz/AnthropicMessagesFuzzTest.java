package dev.junction.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.junction.protocol.anthropic.AnthropicClientRequest;

/**
 * {@code POST /v1/messages} and {@code /v1/messages/count_tokens} bodies: the pass-through scan and
 * {@code MessagesBody.withModel}, and the canonical decoder.
 */
class AnthropicMessagesFuzzTest {

    @FuzzTest
    void anyBodyIsServedOrRefusedWith400(byte[] body) throws Exception {
        check(body);
    }

    static void check(byte[] body) throws Exception {
        Outcomes.clientInput(() -> ClientRequests.exercise(AnthropicClientRequest.parse(body, "2023-06-01", null)));
        Outcomes.clientInput(() -> {
            AnthropicClientRequest count = AnthropicClientRequest.parseCountTokens(body, "2023-06-01", "fuzz-beta");
            count.estimateTokens();
            ClientRequests.exercise(count);
        });
    }
}
