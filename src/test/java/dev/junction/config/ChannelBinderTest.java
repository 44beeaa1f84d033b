package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** One channel bound from the config file's YAML and from an admin API JSON body, by the same rules. */
class ChannelBinderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ConfigNode yaml(String text) {
        return YamlTree.read("channel.yaml", text, Map.of("ZHIPU_KEY", "zk-123456789")::get).orElseThrow();
    }

    private static ConfigNode json(String text) {
        return JsonTree.of(JSON.readTree(text));
    }

    private static List<String> messages(Result<?> result) {
        return result.problems().stream().map(Problem::message).toList();
    }

    @Test
    void theSameChannelFromYamlAndJsonBindsEqual() {
        Result<ChannelConfig> fromYaml = ChannelBinder.bind(yaml("""
                name: zhipu
                type: openai
                base_url: https://open.bigmodel.cn/api/paas/v4/
                api_keys: [zk-123456789, zk-987654321]
                key_selection: random
                models:
                  claude-sonnet: glm-4.6
                  glm-4.6-air: glm-4.6-air
                priority: 10
                weight: 40
                timeout: { connect: 5s, first_byte: 60s, idle: 500ms }
                health_check: { model: glm-4.6-air, every: 2m }
                drop_params: [logprobs]
                defaults: { max_tokens: 4096, temperature: 0.6, enable_thinking: false, stop: ["</s>"], label: "7" }
                stream_options: false
                responses: true
                """));
        Result<ChannelConfig> fromJson = ChannelBinder.bind(json("""
                {"name": "zhipu", "type": "openai", "base_url": "https://open.bigmodel.cn/api/paas/v4/",
                 "api_keys": ["zk-123456789", "zk-987654321"], "key_selection": "random",
                 "models": {"claude-sonnet": "glm-4.6", "glm-4.6-air": "glm-4.6-air"},
                 "priority": 10, "weight": 40,
                 "timeout": {"connect": "5s", "first_byte": "60s", "idle": "500ms"},
                 "health_check": {"model": "glm-4.6-air", "every": "2m"},
                 "drop_params": ["logprobs"],
                 "defaults": {"max_tokens": 4096, "temperature": 0.6, "enable_thinking": false, "stop": ["</s>"],
                              "label": "7"},
                 "stream_options": false, "responses": true}
                """));

        Map<String, String> models = new LinkedHashMap<>();
        models.put("claude-sonnet", "glm-4.6");
        models.put("glm-4.6-air", "glm-4.6-air");
        ChannelConfig expected = ChannelConfig.builder("zhipu", ChannelType.OPENAI,
                        URI.create("https://open.bigmodel.cn/api/paas/v4"))
                .apiKeys("zk-123456789", "zk-987654321")
                .keySelection(ChannelConfig.KeySelection.RANDOM)
                .models(models)
                .priority(10)
                .weight(40)
                .timeouts(new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofMillis(500),
                        Timeouts.DEFAULT.total()))
                .healthCheck(new HealthCheck("glm-4.6-air", Duration.ofMinutes(2)))
                .quirks(new ChannelQuirks(Set.of("logprobs"), Map.of("max_tokens", 4096L, "temperature", 0.6,
                        "enable_thinking", false, "stop", List.of("</s>"), "label", "7"), false))
                .responses(true)
                .build();
        assertThat(fromYaml.problems()).isEmpty();
        assertThat(fromJson.problems()).isEmpty();
        assertThat(fromYaml.value()).contains(expected);
        assertThat(fromJson.value()).contains(expected);
        assertThat(fromJson.value().orElseThrow().models().keySet()).containsExactly("claude-sonnet", "glm-4.6-air");
    }

    @Test
    void theSameMistakesFromYamlAndJsonGiveTheSameMessages() {
        Result<ChannelConfig> fromYaml = ChannelBinder.bind(yaml("""
                name: ""
                type: cohere
                base_url: ftp://example.com
                api_key: " "
                models: []
                weight: 0
                timeout: { first_byte: soon, idle: 0s }
                health_check: { every: 1m }
                drop_params: [model]
                stream_options: maybe
                modles: [m]
                """));
        Result<ChannelConfig> fromJson = ChannelBinder.bind(json("""
                {"name": "", "type": "cohere", "base_url": "ftp://example.com", "api_key": " ", "models": [],
                 "weight": 0, "timeout": {"first_byte": "soon", "idle": "0s"}, "health_check": {"every": "1m"},
                 "drop_params": ["model"], "stream_options": "maybe", "modles": ["m"]}
                """));

        assertThat(fromYaml.value()).isEmpty();
        assertThat(messages(fromJson)).isEqualTo(messages(fromYaml)).hasSize(12);
        assertThat(fromYaml.format("channel.yaml")).contains(
                "channel.yaml:2: type: unknown type 'cohere'; use openai, anthropic or gemini",
                "channel.yaml:7: timeout.first_byte: 'soon' is not a duration; write e.g. 500ms, 30s, 2m or 1h",
                "channel.yaml:7: timeout.idle: must be longer than zero",
                "channel.yaml:8: health_check.model: missing",
                "channel.yaml:11: modles: unknown field; expected one of [api_key, api_keys, base_url, "
                        + "capabilities, defaults, drop_params, health_check, key_selection, limits, models, name, preset, prices, priority, responses, retries, "
                        + "stream_options, timeout, type, weight]");
        assertThat(fromJson.problems()).allSatisfy(p -> assertThat(p.line()).isZero());
        assertThat(fromJson.problems()).extracting(p -> p.path().pointer()).contains("/name", "/type", "/base_url",
                "/api_key", "/models", "/weight", "/timeout/first_byte", "/timeout/idle", "/health_check/model",
                "/drop_params/0", "/stream_options", "/modles");
    }

    @Test
    void aChannelInsideTheFileKeepsItsPlaceInThePath() {
        ConfigNode root = yaml("""
                channels:
                  - name: a
                    type: openai
                    base_url: http://a.example/v1
                    models: [m]
                  - name: b
                    type: openai
                    base_url: http://b.example/v1
                    models: [m]
                    timeout:
                      first_byte: soon
                """);
        ConfigNode second = ((ConfigNode.Sequence) ((ConfigNode.Mapping) root).entries().getFirst().value())
                .items().get(1);
        assertThat(ChannelBinder.bind(second).problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).hasToString("channels[1].timeout.first_byte");
            assertThat(p.path().pointer()).isEqualTo("/channels/1/timeout/first_byte");
            assertThat(p.line()).isEqualTo(11);
        });
    }

    @Test
    void jsonTakesValuesLiterally() {
        ChannelConfig channel = ChannelBinder.bind(json("""
                {"name": "n", "type": "openai", "base_url": "http://x/v1", "api_key": "${ZHIPU_KEY}",
                 "models": ["m"]}
                """)).value().orElseThrow();
        assertThat(channel.apiKeys()).containsExactly("${ZHIPU_KEY}");
    }
}
