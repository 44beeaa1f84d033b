package dev.junction.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.junction.protocol.gemini.GeminiClientRequest;

/** Gemini {@code generateContent}, {@code streamGenerateContent} and {@code countTokens} bodies. */
class GeminiFuzzTest {

    @FuzzTest
    void anyBodyIsServedOrRefusedWith400(byte[] body) throws Exception {
        check(body);
    }

    static void check(byte[] body) throws Exception {
        for (boolean stream : new boolean[] {false, true}) {
            Outcomes.clientInput(() -> ClientRequests.exercise(GeminiClientRequest.parse("gemini-2.5-flash", stream, body)));
        }
        Outcomes.clientInput(() -> {
            GeminiClientRequest count = GeminiClientRequest.countTokens("gemini-2.5-flash", body);
            count.estimateTokens();
            ClientRequests.exercise(count);
        });
    }
}
