package dev.junction.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.junction.protocol.openai.EmbeddingsClientRequest;

/** {@code POST /v1/embeddings} bodies, passed through to OpenAI-style channels or rewritten for Gemini. */
class EmbeddingsFuzzTest {

    @FuzzTest
    void anyBodyIsServedOrRefusedWith400(byte[] body) throws Exception {
        check(body);
    }

    static void check(byte[] body) throws Exception {
        Outcomes.clientInput(() -> ClientRequests.exercise(EmbeddingsClientRequest.parse(body, dev.junction.relay.Codecs::of)));
    }
}
