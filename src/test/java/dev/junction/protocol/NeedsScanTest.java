package dev.junction.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.Needs;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The one-pass scan that tells routing what a request needs, in every client API. */
class NeedsScanTest {

    private static Needs scan(String json) {
        return NeedsScan.of(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aPlainChatNeedsNothingAndCountsItsText() {
        Needs needs = scan("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(400)
                + "\"}]}");
        assertThat(needs.mask()).isZero();
        assertThat(needs.promptTokens()).isBetween(100L, 110L);
        assertThat(needs.turns()).isEqualTo(1);
        assertThat(needs.maxOutput()).isZero();
        assertThat(needs.session()).isNull();
    }

    @Test
    void openAiChatToolsImageSchemaAndMaxTokens() {
        Needs needs = scan("{\"model\":\"m\",\"max_completion_tokens\":900,\"prompt_cache_key\":\"conv-1\","
                + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":{}}},"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":"
                + "{\"url\":\"data:image/png;base64," + "Q".repeat(100_000) + "\"}}]}]}");
        assertThat(needs.has(Needs.TOOLS | Needs.VISION | Needs.JSON_SCHEMA)).isTrue();
        assertThat(needs.maxOutput()).isEqualTo(900);
        assertThat(needs.session()).isEqualTo("conv-1");
        // The image counts a fixed amount, not its base64 size.
        assertThat(needs.promptTokens()).isLessThan(2_000);
    }

    @Test
    void anEmptyToolListIsNoToolsAndAToolSchemaTypeIsNoImage() {
        assertThat(scan("{\"model\":\"m\",\"tools\":[],\"messages\":[]}").mask()).isZero();
        assertThat(scan("{\"model\":\"m\",\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\","
                + "\"properties\":{\"type\":{\"type\":\"string\",\"enum\":[\"image\"]}}}}],\"messages\":[]}").mask())
                .isEqualTo(Needs.TOOLS);
    }

    @Test
    void anthropicMessagesWithThinkingDocumentAndClaudeCodeSession() {
        Needs needs = scan("{\"model\":\"m\",\"max_tokens\":32000,\"thinking\":{\"type\":\"enabled\","
                + "\"budget_tokens\":1024},\"metadata\":{\"user_id\":\"user_abc_account__session_42\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":{\"type\":"
                + "\"base64\",\"media_type\":\"application/pdf\",\"data\":\"" + "J".repeat(10_000) + "\"}},"
                + "{\"type\":\"text\",\"text\":\"```java\\nclass A {}\\n```\"}]}]}");
        assertThat(needs.has(Needs.VISION | Needs.REASONING)).isTrue();
        assertThat(needs.has(Needs.TOOLS)).isFalse();
        assertThat(needs.maxOutput()).isEqualTo(32_000);
        assertThat(needs.session()).isEqualTo("user_abc_account__session_42");
        assertThat(needs.code()).isTrue();
    }

    @Test
    void geminiAndResponsesShapes() {
        Needs gemini = scan("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"inlineData\":{\"mimeType\":"
                + "\"image/png\",\"data\":\"AAAA\"}}]}],\"generationConfig\":{\"maxOutputTokens\":77,"
                + "\"responseSchema\":{\"type\":\"OBJECT\"}},\"tools\":[{\"functionDeclarations\":[]}]}");
        assertThat(gemini.has(Needs.VISION | Needs.JSON_SCHEMA | Needs.TOOLS)).isTrue();
        assertThat(gemini.maxOutput()).isEqualTo(77);
        Needs responses = scan("{\"model\":\"m\",\"max_output_tokens\":500,\"input\":[{\"role\":\"user\","
                + "\"content\":[{\"type\":\"input_image\",\"image_url\":\"https://x/y.png\"}]}],"
                + "\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"n\",\"schema\":{}}}}");
        assertThat(responses.has(Needs.VISION | Needs.JSON_SCHEMA)).isTrue();
        assertThat(responses.maxOutput()).isEqualTo(500);
    }

    @Test
    void malformedJsonNeedsNothing() {
        assertThat(scan("{\"model\":")).isEqualTo(Needs.NONE);
    }
}
