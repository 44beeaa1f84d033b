package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code usage:} (retention) and a channel's {@code prices:}, with their mistakes at their lines. */
class UsageAndPricesConfigTest {

    private static GatewayConfig parse(String yaml) {
        return ConfigLoader.withEnvironment(Map.<String, String>of()::get).parse("junction.yaml", yaml);
    }

    private static final String CHANNEL = """
            channels:
              - name: zhipu
                type: openai
                base_url: https://open.bigmodel.cn/api/paas/v4
                api_key: k
                models: {claude-sonnet: glm-4.6}
            """;

    @Test
    void usageIsKeptThirtyDaysRawAndFourHundredDaysRolledUpUnlessTheFileSaysOtherwise() {
        assertThat(parse("").usage()).isEqualTo(UsageConfig.DEFAULT);
        assertThat(UsageConfig.DEFAULT).isEqualTo(new UsageConfig(Duration.ofDays(30), Duration.ofDays(400)));
        assertThat(parse("usage: { keep_raw: 7d, keep_rollups: 90d }\n").usage())
                .isEqualTo(new UsageConfig(Duration.ofDays(7), Duration.ofDays(90)));
        assertThat(parse("usage:\n  keep_raw: 12h\n").usage().keepRaw()).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void aRetentionMistakeNamesItsLine() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse("""
                usage:
                  keep_raw: forever
                  keep_logs: 3d
                """));
        assertThat(e.problems()).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("junction.yaml:2").contains("retention"))
                .anySatisfy(p -> assertThat(p).contains("junction.yaml:3").contains("unknown field"));
        ConfigException shorter = catchThrowableOfType(ConfigException.class, () -> parse("""
                usage:
                  keep_raw: 30d
                  keep_rollups: 7d
                """));
        assertThat(shorter.problems()).singleElement().asString().contains("junction.yaml:3").contains("keep_raw");
    }

    @Test
    void channelPricesAreExactMicroDollarsPerMillionTokens() {
        GatewayConfig config = parse(CHANNEL + """
                    prices:
                      glm-4.6: { input: 0.60, output: 2.20, cached_input: 0.11, cache_write: 0.60 }
                      glm-4.5-air: { input: 0.000001, output: 3 }
                """);
        Prices prices = config.channels().getFirst().prices();
        assertThat(prices.byModel()).containsExactly(
                Map.entry("glm-4.6", Map.of("input", 600_000L, "output", 2_200_000L, "cached_input", 110_000L,
                        "cache_write", 600_000L)),
                Map.entry("glm-4.5-air", Map.of("input", 1L, "output", 3_000_000L)));
        assertThat(parse(CHANNEL).channels().getFirst().prices()).isEqualTo(Prices.NONE);
        assertThat(config.channels().getFirst().toBuilder().build()).isEqualTo(config.channels().getFirst());
    }

    @Test
    void aPriceMistakeNamesItsLine() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(CHANNEL + """
                    prices:
                      glm-4.6: { input: -1, output: abc }
                      glm-4.5: { inptu: 1 }
                      glm-4: { input: 0.0000001 }
                """));
        assertThat(e.problems()).hasSize(4)
                .anySatisfy(p -> assertThat(p).contains("junction.yaml:8").contains("never negative"))
                .anySatisfy(p -> assertThat(p).contains("junction.yaml:8").contains("'abc'"))
                .anySatisfy(p -> assertThat(p).contains("junction.yaml:9").contains("unknown field"))
                .anySatisfy(p -> assertThat(p).contains("junction.yaml:10").contains("6 decimal places"));
        ConfigException notAMap = catchThrowableOfType(ConfigException.class, () -> parse(CHANNEL + """
                    prices: 0.60
                """));
        assertThat(notAMap.problems()).singleElement().asString().contains("junction.yaml:7").contains("upstream model");
    }

    @Test
    void channelPricesTakeUnitPricesForMediaModelsWithImagePricesBySizeAndQuality() {
        GatewayConfig config = parse(CHANNEL + """
                    prices:
                      dall-e-3: { per_image: { "1024x1024": 0.04, "1024x1024 hd": 0.08 } }
                      my-image: { per_image: 0.02 }
                      tts-1: { per_1m_characters: 15 }
                      whisper-1: { per_minute: 0.006 }
                      rerank-v3.5: { per_1k_searches: 2 }
                """);
        Map<String, Map<String, Long>> prices = config.channels().getFirst().prices().byModel();
        assertThat(prices.get("dall-e-3")).containsExactly(Map.entry("per_image:1024x1024", 40_000L),
                Map.entry("per_image:1024x1024 hd", 80_000L));
        assertThat(prices.get("my-image")).containsExactly(Map.entry("per_image", 20_000L));
        assertThat(prices.get("tts-1")).containsExactly(Map.entry("per_1m_characters", 15_000_000L));
        assertThat(prices.get("whisper-1")).containsExactly(Map.entry("per_minute", 6_000L));
        assertThat(prices.get("rerank-v3.5")).containsExactly(Map.entry("per_1k_searches", 2_000_000L));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(CHANNEL + """
                    prices:
                      dall-e-3: { per_image: { "1024x1024": cheap } }
                """));
        assertThat(e.problems()).singleElement().asString().contains("junction.yaml:8").contains("cheap");
    }
}
