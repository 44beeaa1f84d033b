package dev.junction.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A broken data file is refused with every problem located and the entry named. */
class CatalogLoaderTest {

    private static final String PROVIDER = """
            format: 1
            fx: { CNY: "7.10" }
            providers:
              acme:
                sources: [https://acme.example/pricing]
                checked: 2026-12-03
                how: read from the page
                models:
                  acme-1:
                    aliases: [acme-1-20260101]
                    context_window: 100000
                    max_output: 8000
                    supports: [tools]
                    price: { input: 2.00, output: 8.00, cached_input: 0.50, cache_write: 2.00 }
            """;

    private static final String PRESET = """
            presets:
              acme:
                type: openai
                base_url: https://api.acme.example/v1
                models: [acme-1]
            """;

    private static List<String> problems(String yaml) {
        try {
            CatalogLoader.parse("catalog.yaml", yaml);
        } catch (CatalogException e) {
            return e.problems();
        }
        throw new AssertionError("expected the catalog to be refused");
    }

    @Test
    void aValidFileLoads() {
        Catalog catalog = CatalogLoader.parse("catalog.yaml", PROVIDER + PRESET);
        assertThat(catalog.model("acme-1-20260101").orElseThrow().capabilities().tools()).isTrue();
        assertThat(catalog.preset("acme").orElseThrow().models()).containsExactly("acme-1");
    }

    @Test
    void cachedPriceAboveInputNamesTheEntryAndLine() {
        assertThat(problems(PROVIDER.replace("cached_input: 0.50", "cached_input: 3.00")))
                .containsExactly("catalog.yaml:14: providers.acme.models.acme-1.price.cached_input: 3 is above input 2");
    }

    @Test
    void impossibleLimitsAreRefused() {
        assertThat(problems(PROVIDER.replace("max_output: 8000", "max_output: 200000")))
                .containsExactly("catalog.yaml:12: providers.acme.models.acme-1.max_output: 200000 is above context_window 100000");
        assertThat(problems(PROVIDER.replace("context_window: 100000", "context_window: 0")))
                .anyMatch(p -> p.contains("providers.acme.models.acme-1.context_window: must be positive"));
    }

    @Test
    void negativeOrOverPrecisePricesAreRefused() {
        assertThat(problems(PROVIDER.replace("output: 8.00", "output: -1")))
                .anyMatch(p -> p.endsWith("providers.acme.models.acme-1.price.output: a price is never negative"));
        assertThat(problems(PROVIDER.replace("input: 2.00", "input: 2.0000001")))
                .anyMatch(p -> p.contains("providers.acme.models.acme-1.price.input: 2.0000001 has more than 6 decimal"));
    }

    @Test
    void missingAndUnknownFieldsAreNamed() {
        assertThat(problems(PROVIDER.replace("    supports: [tools]\n", "    supports: [tools, telepathy]\n")))
                .anyMatch(p -> p.contains("providers.acme.models.acme-1.supports: 'telepathy' is not one of"));
        assertThat(problems(PROVIDER.replace("cache_write: 2.00 }", "cache_writ: 2.00 }")))
                .anyMatch(p -> p.contains("providers.acme.models.acme-1.price.cache_writ: unknown field"))
                .anyMatch(p -> p.contains("providers.acme.models.acme-1.price.cache_write: required"));
        assertThat(problems(PROVIDER.replace("    sources: [https://acme.example/pricing]\n", "")))
                .anyMatch(p -> p.contains("providers.acme.sources: required"));
    }

    @Test
    void aNameUsedByTwoModelsIsRefused() {
        String twice = PROVIDER + """
                      acme-2:
                        aliases: [ACME-1-20260101]
                        context_window: 100000
                        max_output: 8000
                        supports: []
                        price: { input: 1, output: 1, cached_input: 1, cache_write: 1 }
                """;
        assertThat(problems(twice)).anyMatch(p -> p.contains(
                "providers.acme.models.acme-2: the name 'ACME-1-20260101' is already used by providers.acme.models.acme-1"));
    }

    @Test
    void tiersMustIncrease() {
        String tiered = PROVIDER.replace("cache_write: 2.00 }", "cache_write: 2.00, above: { "
                + "50000: { input: 4, output: 9, cached_input: 1, cache_write: 4 }, "
                + "40000: { input: 3, output: 9, cached_input: 1, cache_write: 3 } } }");
        assertThat(problems(tiered)).anyMatch(p -> p.contains(
                "providers.acme.models.acme-1.price.above.40000: tier thresholds must be positive and increase"));
    }

    @Test
    void aCurrencyWithoutAnExchangeRateIsRefused() {
        assertThat(problems(PROVIDER.replace("price: { input", "price: { currency: EUR, input")))
                .anyMatch(p -> p.contains("providers.acme.models.acme-1.price.currency: no exchange rate for EUR"));
    }

    @Test
    void brokenPresetsAreNamed() {
        assertThat(problems(PROVIDER + PRESET.replace("type: openai", "type: cohere")))
                .anyMatch(p -> p.contains("presets.acme.type: 'cohere' is not a channel type"));
        assertThat(problems(PROVIDER + PRESET.replace("https://api.acme.example/v1", "api.acme.example/v1")))
                .anyMatch(p -> p.contains("presets.acme.base_url: 'api.acme.example/v1' is not an http(s) URL"));
        assertThat(problems(PROVIDER + PRESET.replace("[acme-1]", "[acme-1, acme-9]")))
                .anyMatch(p -> p.contains("presets.acme.models: 'acme-9' is not in the catalog"));
        assertThat(problems(PROVIDER + PRESET.replace("models: [acme-1]", "models: []")))
                .anyMatch(p -> p.contains("presets.acme: a preset lists its models"));
    }

    @Test
    void presetQuirksUseTheConfigsVocabulary() {
        Catalog catalog = CatalogLoader.parse("catalog.yaml", PROVIDER + PRESET + """
                    drop_params: [logprobs]
                    defaults: { max_tokens: 4096, temperature: 0.6, enable_thinking: false }
                    stream_options: false
                """);
        var quirks = catalog.preset("acme").orElseThrow().quirks();
        assertThat(quirks.dropParams()).containsExactly("logprobs");
        assertThat(quirks.defaults()).containsEntry("max_tokens", 4096L).containsEntry("temperature", 0.6)
                .containsEntry("enable_thinking", false);
        assertThat(quirks.streamOptions()).isFalse();
    }

    @Test
    void yamlSyntaxErrorsCarryTheirLine() {
        assertThat(problems("providers:\n  acme: [unclosed\n")).singleElement().asString().startsWith("catalog.yaml:");
    }
}
