package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code preset:} on a channel: the preset fills what the channel leaves out, and given fields win. */
class ChannelPresetBindingTest {

    private static final ChannelPreset ZHIPU = new ChannelPreset("zhipu", ChannelType.OPENAI,
            URI.create("https://open.bigmodel.cn/api/paas/v4"),
            new ChannelQuirks(Set.of("logprobs"), Map.of("max_tokens", 4096L), false), List.of("glm-4.6", "glm-4.5"),
            true);
    private static final ChannelPreset OLLAMA = new ChannelPreset("ollama", ChannelType.OPENAI,
            URI.create("http://127.0.0.1:11434/v1"), ChannelQuirks.NONE, List.of("llama3.2"), false);
    private static final ChannelPresets PRESETS = ChannelPresets.of(List.of(ZHIPU, OLLAMA));

    private static Result<ChannelConfig> bind(String yaml) {
        ConfigNode node = YamlTree.read("channel.yaml", yaml, Map.of("ZHIPU_KEY", "zk-1")::get).orElseThrow();
        return ChannelBinder.bind(node, PRESETS);
    }

    private static GatewayConfig load(String yaml) {
        return ConfigLoader.withEnvironment(Map.of("ZHIPU_KEY", "zk-1")::get).withPresets(PRESETS)
                .parse("junction.yaml", yaml);
    }

    @Test
    void aPresetAndAKeyMakeAChannel() {
        ChannelConfig channel = bind("""
                preset: zhipu
                api_key: ${ZHIPU_KEY}
                """).value().orElseThrow();

        assertThat(channel.name()).isEqualTo("zhipu");
        assertThat(channel.type()).isEqualTo(ChannelType.OPENAI);
        assertThat(channel.baseUrl()).isEqualTo(URI.create("https://open.bigmodel.cn/api/paas/v4"));
        assertThat(channel.apiKeys()).containsExactly("zk-1");
        assertThat(channel.models()).containsExactly(Map.entry("glm-4.6", "glm-4.6"), Map.entry("glm-4.5", "glm-4.5"));
        assertThat(channel.quirks()).isEqualTo(ZHIPU.quirks());
    }

    @Test
    void presetNamesIgnoreCase() {
        assertThat(bind("preset: ZhiPu\napi_key: k\n").value().orElseThrow().baseUrl()).isEqualTo(ZHIPU.baseUrl());
    }

    @Test
    void fieldsGivenInTheChannelWin() {
        ChannelConfig channel = bind("""
                name: glm-coding
                preset: zhipu
                base_url: https://open.bigmodel.cn/api/coding/paas/v4
                api_key: ${ZHIPU_KEY}
                models: { claude-sonnet: glm-4.6 }
                defaults: { temperature: 0.6 }
                stream_options: true
                """).value().orElseThrow();

        assertThat(channel.name()).isEqualTo("glm-coding");
        assertThat(channel.baseUrl()).isEqualTo(URI.create("https://open.bigmodel.cn/api/coding/paas/v4"));
        assertThat(channel.models()).containsExactly(Map.entry("claude-sonnet", "glm-4.6"));
        assertThat(channel.quirks()).isEqualTo(new ChannelQuirks(Set.of("logprobs"), Map.of("temperature", 0.6), true));
    }

    @Test
    void anUnknownPresetIsAProblemOnItsLineListingTheKnownNames() {
        Result<ChannelConfig> result = bind("""
                name: z
                preset: zhipoo
                api_key: k
                """);

        assertThat(result.format("channel.yaml")).containsExactly(
                "channel.yaml:2: preset: unknown preset 'zhipoo'; use one of zhipu, ollama");
    }

    @Test
    void withoutPresetsEveryPresetIsUnknown() {
        ConfigNode node = YamlTree.read("c.yaml", "preset: zhipu\napi_key: k\n", name -> null).orElseThrow();
        assertThat(ChannelBinder.bind(node).format("c.yaml"))
                .containsExactly("c.yaml:1: preset: unknown preset 'zhipu'; no presets are available");
    }

    @Test
    void aPresetThatNeedsAKeyRefusesAChannelWithout() {
        assertThat(bind("preset: zhipu\n").format("channel.yaml"))
                .containsExactly("channel.yaml:1: api_key: missing; the zhipu preset needs a provider key");
    }

    @Test
    void anOllamaPresetNeedsNoKey() {
        ChannelConfig channel = bind("preset: ollama\n").value().orElseThrow();

        assertThat(channel.apiKeys()).isEmpty();
        assertThat(channel.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:11434/v1"));
        assertThat(channel.models()).containsOnlyKeys("llama3.2");
        assertThat(channel.listModels()).isFalse();
    }

    @Test
    void modelsAutoAsksTheUpstreamForItsList() {
        ChannelConfig channel = bind("preset: ollama\nmodels: auto\n").value().orElseThrow();

        assertThat(channel.listModels()).isTrue();
        assertThat(channel.models()).isEmpty();
        assertThat(channel.toBuilder().build()).isEqualTo(channel);
    }

    @Test
    void onlyOpenAiChannelsListTheirModels() {
        assertThat(bind("""
                name: c
                type: anthropic
                base_url: https://api.anthropic.com
                models: auto
                """).format("channel.yaml"))
                .containsExactly("channel.yaml:4: models: only openai channels can list their models (models: auto)");
    }

    @Test
    void twoChannelsFromOnePresetNeedTheirOwnNames() {
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class, () -> load("""
                channels:
                  - preset: zhipu
                    api_key: a
                  - preset: zhipu
                    api_key: b
                """)).problems()).containsExactly("junction.yaml:4: channels[1].name: duplicate channel name 'zhipu'");
        assertThat(load("""
                channels:
                  - preset: zhipu
                    api_key: a
                  - name: zhipu-2
                    preset: zhipu
                    api_key: b
                """).channels()).extracting(ChannelConfig::name).containsExactly("zhipu", "zhipu-2");
    }
}
