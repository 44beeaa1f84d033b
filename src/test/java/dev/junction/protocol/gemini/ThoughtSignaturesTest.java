package dev.junction.protocol.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThoughtSignaturesTest {

    @Test
    void aSignatureRidesInTheCallIdAndComesBackByteForByte() {
        for (String signature : new String[] {"CiQB0e2Kb+/Y3w==", "Cv8B/+8+Ag==", "abc+", "YWJj"}) {
            String id = ThoughtSignatures.callId("seed", 3, signature);
            assertThat(id).startsWith("call_seed_3__ts_").matches("[A-Za-z0-9_-]+");
            assertThat(ThoughtSignatures.signature(id)).isEqualTo(signature.length() % 4 == 0 ? signature
                    : signature + "=".repeat(4 - signature.length() % 4));
        }
        assertThat(ThoughtSignatures.callId("seed", 0, null)).isEqualTo("call_seed_0");
        assertThat(ThoughtSignatures.signature("call_seed_0")).isNull();
        assertThat(ThoughtSignatures.signature("toolu_01A")).isNull();
    }

    @Test
    void geminiThreeAndLaterRequireSignatures() {
        assertThat(ThoughtSignatures.required("gemini-3-pro-preview")).isTrue();
        assertThat(ThoughtSignatures.required("models/gemini-3.5-flash")).isTrue();
        assertThat(ThoughtSignatures.required("gemini-10-ultra")).isTrue();
        assertThat(ThoughtSignatures.required("gemini-2.5-flash")).isFalse();
        assertThat(ThoughtSignatures.required("gemini-exp-1206")).isFalse();
        assertThat(ThoughtSignatures.required("gemma-3-27b-it")).isFalse();
    }
}
