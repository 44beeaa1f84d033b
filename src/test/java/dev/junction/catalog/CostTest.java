package dev.junction.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.core.canonical.Usage;
import org.junit.jupiter.api.Test;

/**
 * Cost in integer micro-dollars. Token counts are OpenAI-style totals: input includes cache reads and
 * writes, output includes reasoning.
 */
class CostTest {

    private static final Catalog CATALOG = Catalog.builtIn();

    private static long cost(String model, long input, long output, long cacheRead, long cacheWrite, long reasoning) {
        return CATALOG.cost(model, input, output, cacheRead, cacheWrite, reasoning).orElseThrow();
    }

    @Test
    void plainRequestCostsInputPlusOutput() {
        // 1000 × $2.50/M + 500 × $10/M = $0.0025 + $0.005
        assertThat(cost("gpt-4o", 1000, 500, 0, 0, 0)).isEqualTo(7_500);
    }

    @Test
    void cacheReadsAndWritesArePricedApartFromUncachedInputAndReasoningIsNotCountedTwice() {
        // claude-sonnet-4-5: 5,000 uncached × $3 + 80,000 read × $0.30 + 15,000 written × $3.75 + 2,000 out × $15
        long micros = cost("claude-sonnet-4-5", 100_000, 2_000, 80_000, 15_000, 1_500);
        assertThat(micros).isEqualTo(15_000 + 24_000 + 56_250 + 30_000);
        assertThat(CATALOG.cost("claude-sonnet-4-5", new Usage(100_000, 2_000, 80_000, 15_000, 1_500)))
                .hasValue(micros);
    }

    @Test
    void roundsHalfUpOnceAtTheEnd() {
        // gpt-5-nano: $0.05 in, $0.40 out per M. 8 in = 0.4 µ$, 1 out = 0.4 µ$: 0.8 µ$ rounds to 1
        // (rounding each part first would give 0)
        assertThat(cost("gpt-5-nano", 8, 1, 0, 0, 0)).isEqualTo(1);
        assertThat(cost("gpt-5-nano", 10, 0, 0, 0, 0)).isEqualTo(1); // exactly 0.5 µ$ rounds up
        assertThat(cost("gpt-5-nano", 9, 0, 0, 0, 0)).isEqualTo(0); // 0.45 µ$
        assertThat(cost("gpt-5-nano", 0, 0, 0, 0, 0)).isEqualTo(0);
    }

    @Test
    void hugeCountsNeitherOverflowNorLoseAMicroDollar() {
        // 10^12 output tokens of Opus 4.1 at $75/M: the 64-bit product overflows, the answer does not
        long trillion = 1_000_000_000_000L;
        assertThat(cost("claude-opus-4-1", 0, trillion, 0, 0, 0)).isEqualTo(75_000_000_000_000L);
        assertThat(cost("claude-opus-4-1", trillion + 3, trillion + 1, trillion / 2, trillion / 4, 7))
                // (T/4 + 3) × 15 + T/2 × 1.5 + T/4 × 18.75 + (T + 1) × 75, in µ$ per token ÷ 10^6
                .isEqualTo(3_750_000_000_045L + 750_000_000_000L + 4_687_500_000_000L + 75_000_000_000_075L);
    }

    @Test
    void longPromptTierPricesTheWholeRequest() {
        // gemini-2.5-pro above 200k prompt tokens (cached included): $2.50 in, $0.25 cached, $15 out
        assertThat(cost("gemini-2.5-pro", 300_000, 10_000, 100_000, 0, 0)).isEqualTo(500_000 + 25_000 + 150_000);
        // at exactly 200k the base rates still apply: $1.25 in, $10 out
        assertThat(cost("gemini-2.5-pro", 200_000, 10_000, 0, 0, 0)).isEqualTo(250_000 + 100_000);
    }

    @Test
    void yuanPricedModelsCostTheirConvertedRate() {
        // doubao-seed-1-6, 0-32K band: 10,000 × 112,676 + 1,000 × 1,126,761 µ$/M = 2,253.521 µ$
        assertThat(cost("doubao-seed-1-6", 10_000, 1_000, 0, 0, 0)).isEqualTo(2_254);
    }

    @Test
    void cacheCountsAboveThePromptBillNoNegativeInput() {
        // a provider that reported cache reads on top of the prompt instead of inside it
        assertThat(cost("gpt-4o", 100, 0, 150, 0, 0)).isEqualTo(188); // 150 × $1.25/M = 187.5 µ$
    }

    @Test
    void unknownModelCostIsUnknownNotZero() {
        assertThat(CATALOG.cost("my-finetune-v3", 1000, 1000, 0, 0, 0)).isEmpty();
    }

    @Test
    void localModelsCostZero() {
        assertThat(CATALOG.cost("gemma3:27b", 1_000_000, 1_000_000, 0, 0, 0)).hasValue(0);
    }

    @Test
    void negativeCountsAreRefused() {
        Price price = Price.flat(Rates.usd("1", "1", "1", "1"));
        assertThatThrownBy(() -> price.cost(-1, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tiersApplyStrictlyAboveTheirThreshold() {
        Price price = Price.tiered(Rates.usd("1", "2", "0.5", "1"), java.util.List.of(
                new Price.Tier(1000, Rates.usd("3", "4", "1", "3")), new Price.Tier(10, Rates.usd("2", "3", "1", "2"))));
        assertThat(price.ratesFor(10).input()).isEqualTo(1_000_000);
        assertThat(price.ratesFor(11).input()).isEqualTo(2_000_000);
        assertThat(price.ratesFor(1001).input()).isEqualTo(3_000_000);
    }

    @Test
    void pricesWithMoreThanSixDecimalsAreRefused() {
        assertThat(Rates.usd("0.0028", "0", "0", "0").input()).isEqualTo(2_800);
        assertThatThrownBy(() -> Rates.usd("0.0000001", "0", "0", "0")).isInstanceOf(IllegalArgumentException.class);
    }
}
