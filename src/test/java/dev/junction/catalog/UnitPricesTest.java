package dev.junction.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.TokenUsage;
import dev.junction.core.Units;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Prices per image, character, minute and search, from the catalog and from a channel's prices:. */
class UnitPricesTest {

    private static final Catalog CATALOG = Catalog.builtIn();

    private static long cost(Catalog catalog, String model, TokenUsage tokens, Units units) {
        return catalog.cost(model, tokens, units).orElseThrow();
    }

    @Test
    void anImageIsPricedByItsSizeAndQualityThenSizeThenQualityThenAnyVariant() {
        UnitPrices prices = new UnitPrices(Map.of("1024x1024", 40_000L, "1024x1024 hd", 80_000L, "hd", 120_000L,
                "*", 1_000L), -1, -1, -1);
        assertThat(prices.cost(new Units(2, Units.IMAGE, "1024x1024 hd", false))).hasValue(160_000);
        assertThat(prices.cost(new Units(1, Units.IMAGE, "1024x1024 standard", false))).hasValue(40_000);
        assertThat(prices.cost(new Units(1, Units.IMAGE, "1792x1024 hd", false))).hasValue(120_000);
        assertThat(prices.cost(new Units(3, Units.IMAGE, "256x256", false))).hasValue(3_000);
        assertThat(new UnitPrices(Map.of("1024x1024", 1L), -1, -1, -1).cost(new Units(1, Units.IMAGE, "512x512",
                false))).isEmpty();
    }

    @Test
    void charactersMinutesAndSearchesArePricedPerMillionPerMinuteAndPerThousandRoundedHalfUp() {
        UnitPrices prices = new UnitPrices(Map.of(), 15_000_000, 6_000, 2_000_000);
        assertThat(prices.cost(Units.of(11, Units.CHARACTER))).hasValue(165);
        assertThat(prices.cost(Units.of(90, Units.SECOND))).hasValue(9_000);
        assertThat(prices.cost(Units.of(1, Units.SEARCH))).hasValue(2_000);
        assertThat(new UnitPrices(Map.of(), 30, -1, -1).cost(Units.of(50_000, Units.CHARACTER))).hasValue(2);
        assertThat(prices.cost(Units.of(1, Units.TOKEN))).isEmpty();
        assertThat(UnitPrices.NONE.cost(Units.of(1, Units.IMAGE))).isEmpty();
    }

    @Test
    void theCatalogPricesReportedTokensFirstThenUnitsAndAnUnpricedUnitIsUnknown() {
        // dall-e-3: per image only
        assertThat(cost(CATALOG, "dall-e-3", TokenUsage.NONE, new Units(1, Units.IMAGE, "1792x1024 hd", false)))
                .isEqualTo(120_000);
        // gpt-image-1 reported tokens: $5 in, $40 out per 1M, whatever the per-image table says
        assertThat(cost(CATALOG, "gpt-image-1", new TokenUsage(100, 1056, 0, 0, 0),
                new Units(1, Units.IMAGE, "1024x1024 medium", false))).isEqualTo(500 + 42_240);
        // without tokens, its per-image estimate
        assertThat(cost(CATALOG, "gpt-image-1", TokenUsage.NONE, new Units(1, Units.IMAGE, "1024x1024 high", false)))
                .isEqualTo(167_000);
        assertThat(cost(CATALOG, "tts-1-hd", TokenUsage.NONE, Units.of(1_000_000, Units.CHARACTER)))
                .isEqualTo(30_000_000);
        assertThat(cost(CATALOG, "whisper-1", TokenUsage.NONE, Units.of(60, Units.SECOND))).isEqualTo(6_000);
        assertThat(cost(CATALOG, "rerank-v3.5", TokenUsage.NONE, Units.of(1000, Units.SEARCH))).isEqualTo(2_000_000);
        assertThat(cost(CATALOG, "omni-moderation-latest", TokenUsage.NONE, Units.of(500, Units.TOKEN))).isZero();
        assertThat(cost(CATALOG, "gemini-2.5-flash-image", new TokenUsage(10, 1290, 0, 0, 0),
                new Units(1, Units.IMAGE, "1024x1024", false))).isEqualTo(3 + 38_700);
        assertThat(CATALOG.cost("whisper-1", TokenUsage.NONE, Units.of(5, Units.IMAGE))).isEmpty();
        assertThat(CATALOG.cost("no-such-model", TokenUsage.NONE, Units.of(5, Units.IMAGE))).isEmpty();
    }

    @Test
    void aChannelsUnitPricesWinOverTheCatalogsAndKeepItsTokenRates() {
        Catalog channel = CATALOG.withOverrides(Map.of(
                "gpt-image-1", ModelOverride.of(null, Map.of("per_image:1024x1024 high", "0.10")),
                "house-tts", ModelOverride.of(null, Map.of("per_1m_characters", "1"))));
        assertThat(cost(channel, "gpt-image-1", TokenUsage.NONE, new Units(2, Units.IMAGE, "1024x1024 high", false)))
                .isEqualTo(200_000);
        assertThat(cost(channel, "gpt-image-1", new TokenUsage(100, 0, 0, 0, 0),
                new Units(1, Units.IMAGE, "1024x1024 high", false))).as("token rates kept").isEqualTo(500);
        assertThat(cost(channel, "house-tts", TokenUsage.NONE, Units.of(2_000_000, Units.CHARACTER))).isEqualTo(2_000_000);
        assertThat(channel.model("gpt-image-1").orElseThrow().overridden()).contains("prices.per_image:1024x1024 high");
    }
}
