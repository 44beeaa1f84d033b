package dev.junction.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClaudeModelsTest {

    @Test
    void readsVersionsFromEveryNamingScheme() {
        assertThat(ClaudeModels.Version.of("claude-sonnet-4-5-20250929")).isEqualTo(new ClaudeModels.Version(4, 5));
        assertThat(ClaudeModels.Version.of("claude-opus-4-20250514")).isEqualTo(new ClaudeModels.Version(4, 0));
        assertThat(ClaudeModels.Version.of("claude-3-7-sonnet-latest")).isEqualTo(new ClaudeModels.Version(3, 7));
        assertThat(ClaudeModels.Version.of("claude-3-haiku-20240307")).isEqualTo(new ClaudeModels.Version(3, 0));
        assertThat(ClaudeModels.Version.of("anthropic.claude-opus-4-6-v1")).isEqualTo(new ClaudeModels.Version(4, 6));
        assertThat(ClaudeModels.Version.of("claude-sonnet-4-5@20250929")).isEqualTo(new ClaudeModels.Version(4, 5));
        assertThat(ClaudeModels.Version.of("claude-opus-4.1")).isEqualTo(new ClaudeModels.Version(4, 1));
        assertThat(ClaudeModels.Version.of("claude-4")).isEqualTo(new ClaudeModels.Version(4, 0));
        assertThat(ClaudeModels.Version.of("-5--6")).isEqualTo(new ClaudeModels.Version(5, 0));
        assertThat(ClaudeModels.Version.of("claude-1000-2")).isEqualTo(new ClaudeModels.Version(2, 0));
        assertThat(ClaudeModels.Version.of("")).isEqualTo(new ClaudeModels.Version(0, 0));
        assertThat(ClaudeModels.Version.of("claude")).isEqualTo(new ClaudeModels.Version(0, 0));
    }

    @Test
    void defaultMaxTokensFitEachGeneration() {
        assertThat(ClaudeModels.defaultMaxTokens("claude-3-haiku-20240307")).isEqualTo(4096);
        assertThat(ClaudeModels.defaultMaxTokens("claude-3-5-haiku-latest")).isEqualTo(8192);
        assertThat(ClaudeModels.defaultMaxTokens("claude-sonnet-4-5")).isEqualTo(16384);
        assertThat(ClaudeModels.defaultMaxTokens("my-alias")).isEqualTo(4096);
    }

    @Test
    void adaptiveThinkingFromClaudeFourSixOn() {
        assertThat(ClaudeModels.adaptiveThinking("claude-opus-4-7")).isTrue();
        assertThat(ClaudeModels.adaptiveThinking("claude-sonnet-4-6")).isTrue();
        assertThat(ClaudeModels.adaptiveThinking("claude-mythos-preview")).isTrue();
        assertThat(ClaudeModels.adaptiveThinking("claude-sonnet-4-5-20250929")).isFalse();
        assertThat(ClaudeModels.adaptiveThinking("claude-3-7-sonnet-latest")).isFalse();
    }

    @Test
    void toolIdsAreMadeValidAndStayDistinct() {
        assertThat(ToolIds.sanitize("toolu_01A-b")).isEqualTo("toolu_01A-b");
        String a = ToolIds.sanitize("functions.get_weather:0");
        String b = ToolIds.sanitize("functions:get_weather.0");
        assertThat(a).matches("[a-zA-Z0-9_-]+").startsWith("functions_get_weather_0_").isNotEqualTo(b);
        assertThat(ToolIds.sanitize("functions.get_weather:0")).isEqualTo(a);
    }
}
