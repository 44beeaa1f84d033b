package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.ChannelQuirks;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code drop_params}, {@code defaults} and {@code stream_options} in the config file. */
class ChannelQuirksConfigTest {

    private static final Map<String, String> ENV = Map.of("CTX", "8192");

    private static GatewayConfig parse(String yaml) {
        return ConfigLoader.withEnvironment(ENV::get).parse("junction.yaml", yaml);
    }

    private static List<String> problems(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected a config error");
    }

    @Test
    void readsQuirksWithTypedDefaults() {
        ChannelQuirks quirks = parse("""
                channels:
                  - name: ollama
                    type: openai
                    base_url: http://127.0.0.1:11434/v1
                    models: [llama3]
                    drop_params: [logprobs, parallel_tool_calls]
                    defaults:
                      max_tokens: 4096
                      temperature: 0.6
                      enable_thinking: false
                      stop: ["</s>"]
                      label: "4096"
                      options:
                        num_ctx: ${CTX}
                    stream_options: false
                """).channels().getFirst().quirks();
        assertThat(quirks.dropParams()).containsExactly("logprobs", "parallel_tool_calls");
        assertThat(quirks.defaults()).containsEntry("max_tokens", 4096L).containsEntry("temperature", 0.6)
                .containsEntry("enable_thinking", false).containsEntry("stop", List.of("</s>"))
                .containsEntry("label", "4096").containsEntry("options", Map.of("num_ctx", 8192L));
        assertThat(quirks.streamOptions()).isFalse();
        assertThat(quirks.editsBody()).isTrue();
    }

    @Test
    void theExampleConfigParses() {
        GatewayConfig config = ConfigLoader.withEnvironment(name -> null).load(Path.of("junction.example.yaml"));
        assertThat(config.channels()).extracting(c -> c.type().configName()).contains("openai", "anthropic", "gemini");
        assertThat(config.channels().getLast().quirks().defaults()).containsEntry("max_tokens", 4096L);
    }

    @Test
    void aChannelWithoutQuirksHasNone() {
        ChannelConfig channel = parse("""
                channels:
                  - name: a
                    type: anthropic
                    base_url: https://api.anthropic.com
                    models: [claude-sonnet-4-5]
                """).channels().getFirst();
        assertThat(channel.quirks()).isEqualTo(ChannelQuirks.NONE);
        assertThat(channel.quirks().editsBody()).isFalse();
    }

    @Test
    void namesTheLineOfEveryQuirkMistake() {
        assertThat(problems("""
                channels:
                  - name: a
                    type: anthropic
                    base_url: https://api.anthropic.com
                    models: [m]
                    drop_params: [model, top_k, top_k]
                    defaults: {stream: true, max_tokens: 10}
                    stream_options: false
                  - name: b
                    type: openai
                    base_url: http://x/v1
                    models: [m]
                    defaults: [max_tokens]
                    stream_options: maybe
                """)).containsExactly(
                "junction.yaml:6: channels[0].drop_params[0]: 'model' cannot be dropped",
                "junction.yaml:6: channels[0].drop_params[2]: 'top_k' is listed twice",
                "junction.yaml:7: channels[0].defaults.stream: 'stream' cannot have a default",
                "junction.yaml:8: channels[0].stream_options: only openai channels send stream_options",
                "junction.yaml:13: channels[1].defaults: expected a mapping of parameter: value, e.g. "
                        + "{max_tokens: 4096}",
                "junction.yaml:14: channels[1].stream_options: 'maybe' is not true or false");
    }

    @Test
    void responsesMarksAnOpenAiChannelThatServesTheResponsesApi() {
        GatewayConfig config = parse("""
                channels:
                  - name: oai
                    type: openai
                    base_url: https://api.openai.com/v1
                    models: [gpt-5]
                    responses: true
                  - name: compat
                    type: openai
                    base_url: http://127.0.0.1:8000/v1
                    models: [llama]
                """);
        assertThat(config.channels().get(0).api().responses()).isTrue();
        assertThat(config.channels().get(1).api().responses()).isFalse();
        assertThat(problems("""
                channels:
                  - name: claude
                    type: anthropic
                    base_url: https://api.anthropic.com
                    models: [claude]
                    responses: true
                  - name: oai
                    type: openai
                    base_url: https://api.openai.com/v1
                    models: [gpt-5]
                    responses: sometimes
                """)).containsExactly(
                "junction.yaml:6: channels[0].responses: only openai channels can serve the Responses API",
                "junction.yaml:11: channels[1].responses: 'sometimes' is not true or false");
    }
}
