package dev.junction.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A channel's {@code capabilities:} and {@code prices:} (DESIGN.md §3.1) win over the catalog. */
class OverrideTest {

    private static final Catalog CATALOG = Catalog.builtIn();

    private static Catalog channel(String model, Map<String, ?> capabilities, Map<String, ?> prices) {
        return CATALOG.withOverrides(Map.of(model, ModelOverride.of(capabilities, prices)));
    }

    @Test
    void pricesOverrideTheCatalogFieldByField() {
        // a zhipu channel billed in CNY, priced by its operator
        Catalog zhipu = channel("glm-4.6", null, Map.of("input", 0.28, "output", new BigDecimal("1.12")));
        ModelInfo glm = zhipu.model("glm-4.6").orElseThrow();
        assertThat(glm.price().orElseThrow().base()).isEqualTo(Rates.usd("0.28", "1.12", "0.11", "0.60"));
        assertThat(glm.overridden()).containsExactlyInAnyOrder("prices.input", "prices.output");
        assertThat(zhipu.cost("glm-4.6", 1_000_000, 1_000_000, 0, 0, 0)).hasValue(1_400_000);
        // the shared catalog is untouched
        assertThat(CATALOG.cost("glm-4.6", 1_000_000, 1_000_000, 0, 0, 0)).hasValue(2_800_000);
    }

    @Test
    void aPriceOverrideReplacesTheLongPromptTiers() {
        Catalog flat = channel("gemini-2.5-pro", null, Map.of("input", "1", "output", "10"));
        assertThat(flat.model("gemini-2.5-pro").orElseThrow().price().orElseThrow().tiers()).isEmpty();
        assertThat(flat.cost("gemini-2.5-pro", 300_000, 0, 0, 0, 0)).hasValue(300_000);
    }

    @Test
    void capabilitiesOverrideTheCatalog() {
        Catalog narrow = channel("glm-4.6", Map.of("tools", false, "context_window", 32000), null);
        Capabilities caps = narrow.model("glm-4.6").orElseThrow().capabilities();
        assertThat(caps.tools()).isFalse();
        assertThat(caps.contextWindow()).isEqualTo(32_000);
        assertThat(caps.maxOutput()).as("lowered to the window").isEqualTo(32_000);
        assertThat(caps.reasoning()).isTrue();
    }

    @Test
    void anUnknownModelWithCapabilitiesOnlyIsServedAssumedCapableWithUnknownCost() {
        Catalog custom = channel("my-finetune", Map.of("vision", false, "context_window", "65536"), null);
        ModelInfo model = custom.model("my-finetune").orElseThrow();
        assertThat(model.catalogued()).isFalse();
        assertThat(model.capabilities().vision()).isFalse();
        assertThat(model.capabilities().tools()).isTrue();
        assertThat(model.capabilities().maxOutput()).isEqualTo(65_536);
        assertThat(model.assumed()).containsExactlyInAnyOrder("tools", "json_schema", "reasoning", "prefill", "max_output");
        assertThat(model.price()).isEmpty();
        assertThat(custom.cost("my-finetune", 10, 10, 0, 0, 0)).isEmpty();
    }

    @Test
    void anUnknownModelWithPricesIsCostedAndCachedPricesDefaultToInput() {
        Catalog custom = channel("my-finetune", null, Map.of("input", 1, "output", 4L));
        assertThat(custom.model("my-finetune").orElseThrow().price().orElseThrow().base())
                .isEqualTo(Rates.usd("1", "4", "1", "1"));
        assertThat(custom.model("my-finetune").orElseThrow().capabilities()).isEqualTo(Capabilities.ASSUMED);
        assertThatThrownBy(() -> channel("other-finetune", null, Map.of("input", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("other-finetune: prices for a model the catalog lacks need at least input and output");
    }

    @Test
    void wrongFieldsAndValuesAreNamed() {
        assertThatThrownBy(() -> ModelOverride.of(Map.of("tool", true), null))
                .hasMessageStartingWith("capabilities.tool: unknown field");
        assertThatThrownBy(() -> ModelOverride.of(Map.of("tools", "yes"), null))
                .hasMessage("capabilities.tools: 'yes' is not true or false");
        assertThatThrownBy(() -> ModelOverride.of(null, Map.of("input", "-1")))
                .hasMessage("input: a price is never negative");
        assertThatThrownBy(() -> ModelOverride.of(null, Map.of("input", "0.0000001")))
                .hasMessageStartingWith("prices.input: ");
        assertThatThrownBy(() -> channel("glm-4.6", Map.of("context_window", 1000, "max_output", 2000), null))
                .hasMessage("glm-4.6: max_output 2000 is above context_window 1000");
    }

    @Test
    void overridesMatchTheChannelsUpstreamNameAndStackPerChannel() {
        Catalog first = channel("gpt-4o", Map.of("vision", false), null);
        Catalog second = first.withOverrides(Map.of("gpt-4o", ModelOverride.of(null, Map.of("output", "8"))));
        ModelInfo model = second.model("GPT-4o").orElseThrow();
        assertThat(model.capabilities().vision()).isFalse();
        assertThat(model.price().orElseThrow().base().output()).isEqualTo(8_000_000);
        assertThat(second.model("gpt-4o-mini").orElseThrow().capabilities().vision()).isTrue();
    }

    @Test
    void fitsComparesPromptAndOutputWithTheLimits() {
        Capabilities caps = CATALOG.model("gpt-4o").orElseThrow().capabilities();
        assertThat(caps.fits(100_000, 16_384)).isTrue();
        assertThat(caps.fits(120_000, 16_384)).isFalse();
        assertThat(caps.fits(1_000, 20_000)).isFalse();
        assertThat(Capabilities.ASSUMED.fits(Long.MAX_VALUE - 1, 1)).isTrue();
    }
}
