package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.config.RoutingConfig.Strategy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The channels' {@code limits:} and {@code capabilities:}, and the {@code routing:} section (DESIGN.md §3.1). */
class PoolingConfigTest {

    private static GatewayConfig parse(String yaml) {
        return ConfigLoader.withEnvironment(Map.<String, String>of()::get).parse("junction.yaml", yaml);
    }

    private static List<String> problems(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected a config error");
    }

    private static final String CHANNEL = """
            channels:
              - name: zhipu
                type: openai
                base_url: http://z.example/v4
                models: { claude-sonnet: glm-4.6 }
            """;

    @Test
    void bindsLimitsCapabilitiesAndRouting() {
        GatewayConfig config = parse(CHANNEL + """
                    limits:
                      rpm: 60
                      tpm: 200000
                      concurrent: 8
                      tokens_per_day: 5000000
                      usd_per_day: 2.5
                      usd_per_month: 40
                    capabilities:
                      glm-4.6: { tools: true, vision: false, context_window: 128000, max_output: 32000 }
                routing:
                  claude-sonnet:
                    strategy: cheapest
                    fallbacks: [glm-4.6-air]
                    affinity: true
                    affinity_ttl: 30m
                """);
        ChannelConfig channel = config.channels().getFirst();
        assertThat(channel.limits()).isEqualTo(new ChannelLimits(60, 200_000, 8, 5_000_000, 2_500_000, 40_000_000));
        assertThat(channel.capabilities().get("glm-4.6").fields()).containsExactly(Map.entry("tools", true),
                Map.entry("vision", false), Map.entry("context_window", 128_000L), Map.entry("max_output", 32_000L));
        RoutingConfig.ModelRouting routing = config.routing().of("claude-sonnet");
        assertThat(routing).isEqualTo(new RoutingConfig.ModelRouting(Strategy.CHEAPEST, List.of("glm-4.6-air"), true,
                Duration.ofMinutes(30)));
        assertThat(config.routing().of("other")).isEqualTo(RoutingConfig.ModelRouting.DEFAULT);
        assertThat(channel.toBuilder().build()).isEqualTo(channel);
    }

    @Test
    void namesEveryMistakeWithItsLine() {
        assertThat(problems(CHANNEL + """
                    limits:
                      rpm: 0
                      usd_per_day: lots
                      rps: 3
                    capabilities:
                      glm-4.6: { tools: maybe, context_window: 1000, max_output: 2000, colour: red }
                routing:
                  claude-sonnet:
                    strategy: fastest-ish
                    fallbacks: [claude-sonnet]
                """)).containsExactlyInAnyOrder(
                "junction.yaml:7: channels[0].limits.rpm: must be at least 1",
                "junction.yaml:8: channels[0].limits.usd_per_day: 'lots' is not an amount of US dollars",
                "junction.yaml:9: channels[0].limits.rps: unknown field; expected one of [concurrent, rpm, tokens_per_day, "
                        + "tpm, usd_per_day, usd_per_month]",
                "junction.yaml:11: channels[0].capabilities.glm-4.6.colour: unknown field; expected one of "
                        + "[context_window, json_schema, max_output, prefill, reasoning, tools, vision]",
                "junction.yaml:11: channels[0].capabilities.glm-4.6.tools: 'maybe' is not true or false",
                "junction.yaml:11: channels[0].capabilities.glm-4.6.max_output: max_output 2000 is above "
                        + "context_window 1000",
                "junction.yaml:14: routing.claude-sonnet.strategy: unknown strategy 'fastest-ish'; use one of "
                        + "[weighted, priority, cheapest, fastest, least_busy, quota_balanced]",
                "junction.yaml:15: routing.claude-sonnet.fallbacks: a model cannot fall back to itself");
    }

    @Test
    void bindsComplexityRoutingAndNamesItsMistakes() {
        GatewayConfig config = parse(CHANNEL + """
                routing:
                  auto:
                    complexity: { simple: glm-4.6-air, hard: claude-sonnet, threshold: 4, long_prompt: 8000 }
                """);
        RoutingConfig.Complexity complexity = config.routing().of("auto").complexity().orElseThrow();
        assertThat(complexity).isEqualTo(new RoutingConfig.Complexity("glm-4.6-air", "claude-sonnet", 4, 8_000,
                RoutingConfig.Complexity.DEFAULT_DEEP_CONVERSATION));
        assertThat(config.routing().of("claude-sonnet").complexity()).isEmpty();
        assertThat(problems(CHANNEL + """
                routing:
                  auto:
                    complexity:
                      simple: auto
                      threshold: 0
                      depth: 3
                  other:
                    complexity: { simple: a, hard: a }
                """)).containsExactlyInAnyOrder(
                "junction.yaml:9: routing.auto.complexity.hard: missing: the public model for hard requests",
                "junction.yaml:9: routing.auto.complexity.simple: a model cannot route to itself",
                "junction.yaml:10: routing.auto.complexity.threshold: must be at least 1",
                "junction.yaml:11: routing.auto.complexity.depth: unknown field; expected one of [deep_conversation,"
                        + " hard, long_prompt, simple, threshold]",
                "junction.yaml:13: routing.other.complexity.hard: the same model as simple; name two different models");
    }
}
