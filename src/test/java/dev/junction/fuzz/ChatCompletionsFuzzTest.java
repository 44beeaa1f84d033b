package dev.junction.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.junction.protocol.openai.ChatClientRequest;
import dev.junction.protocol.openai.ChatRequest;

/** {@code POST /v1/chat/completions} bodies: the pass-through scan, quirk edits and the canonical decoder. */
class ChatCompletionsFuzzTest {

    @FuzzTest
    void anyBodyIsServedOrRefusedWith400(byte[] body) throws Exception {
        check(body);
    }

    static void check(byte[] body) throws Exception {
        Outcomes.clientInput(() -> ClientRequests.exercise(ChatClientRequest.of(ChatRequest.parse(body))));
    }
}
