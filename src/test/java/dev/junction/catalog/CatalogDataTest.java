package dev.junction.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.junction.core.ChannelType;
import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The data file shipped in the jar: it loads, and every entry is complete and sane. */
class CatalogDataTest {

    private static final Catalog CATALOG = Catalog.builtIn();

    @Test
    void shippedDataFileLoadsWithoutProblems() {
        // Parsing the text directly surfaces every problem line (entry named) instead of a cached instance.
        assertThatCode(() -> CatalogLoader.parse(Catalog.RESOURCE, Catalog.builtInText())).doesNotThrowAnyException();
        assertThat(Catalog.builtIn()).isSameAs(CATALOG);
    }

    @Test
    void everyModelIsCompleteAndSane() {
        List<String> problems = new ArrayList<>();
        for (ModelInfo model : CATALOG.models()) {
            String id = model.provider() + "/" + model.id();
            Capabilities caps = model.capabilities();
            check(problems, caps.contextWindow() > 0, id, "context_window is not positive");
            check(problems, caps.maxOutput() <= caps.contextWindow(), id, "max_output is above context_window");
            check(problems, model.kind() != ModelInfo.Kind.CHAT || caps.maxOutput() > 0, id, "max_output is 0");
            model.price().map(Price::units).ifPresent(units -> {
                // a misplaced decimal point: no image costs $1, no minute of audio $1, no 1M characters $100
                check(problems, units.perImage().values().stream().allMatch(p -> p > 0 && p <= 1_000_000L), id,
                        "a per-image price is 0 or above $1");
                check(problems, units.perMinute() <= 1_000_000L, id, "per_minute is above $1");
                check(problems, units.perMillionCharacters() <= 100_000_000L, id, "per_1m_characters is above $100");
                check(problems, units.perThousandSearches() <= 100_000_000L, id, "per_1k_searches is above $100");
                check(problems, model.kind().billedByUnits() || units.isEmpty(), id,
                        "unit prices on a chat or embedding model");
            });
            check(problems, model.catalogued() && model.assumed().isEmpty(), id, "is not fully catalogued");
            check(problems, model.price().isPresent(), id, "has no price");
            model.price().ifPresent(price -> {
                sane(problems, id, price.base());
                long previous = 0;
                for (Price.Tier tier : price.tiers()) {
                    check(problems, tier.above() > previous, id, "tier " + tier.above() + " does not increase");
                    previous = tier.above();
                    sane(problems, id + " above " + tier.above(), tier.rates());
                }
            });
        }
        assertThat(problems).isEmpty();
    }

    private static void sane(List<String> problems, String id, Rates rates) {
        check(problems, rates.cachedInput() <= rates.input(), id, "cached_input is above input");
        // no catalogued model costs more than $200 per 1M tokens: a misplaced decimal point would
        check(problems, rates.input() <= 200_000_000L && rates.output() <= 200_000_000L
                && rates.cacheWrite() <= 200_000_000L, id, "a price is above $200 per 1M tokens");
        check(problems, rates.cacheWrite() >= rates.cachedInput(), id, "cache_write is below cached_input");
    }

    private static void check(List<String> problems, boolean ok, String id, String problem) {
        if (!ok) {
            problems.add(id + ": " + problem);
        }
    }

    @Test
    void everyNameResolvesToItsOwnEntry() {
        Set<String> seen = new HashSet<>();
        for (ModelInfo model : CATALOG.models()) {
            assertThat(CATALOG.model(model.id())).as(model.id()).contains(model);
            for (String alias : model.aliases()) {
                assertThat(CATALOG.model(alias)).as(alias).contains(model);
                assertThat(seen.add(ModelNames.key(alias))).as("alias " + alias + " used once").isTrue();
            }
            assertThat(seen.add(ModelNames.key(model.id()))).as("id " + model.id() + " used once").isTrue();
        }
    }

    @Test
    void everyPresetHasAValidTypeAUsableBaseUrlAndKnownModels() {
        assertThat(CATALOG.presets()).extracting(Preset::name).contains("openai", "anthropic", "gemini", "deepseek",
                "zhipu", "zai", "minimax", "qwen", "qwen-cn", "volcengine", "moonshot", "openrouter", "ollama");
        List<String> problems = new ArrayList<>();
        for (Preset preset : CATALOG.presets()) {
            String name = preset.name();
            URI url = preset.baseUrl();
            check(problems, ChannelType.fromConfigName(preset.type().configName()).isPresent(), name, "type");
            check(problems, Set.of("https", "http").contains(url.getScheme()) && url.getHost() != null
                    && !url.toString().endsWith("/"), name, "base_url " + url);
            check(problems, !preset.keyRequired() || url.getScheme().equals("https"), name, "sends its key in clear");
            check(problems, !preset.allModels().isEmpty(), name, "lists no models");
            preset.models().forEach(model ->
                    check(problems, CATALOG.model(model).isPresent(), name, model + " is not in the catalog"));
            preset.uncatalogued().forEach(model ->
                    check(problems, CATALOG.model(model).isEmpty(), name, model + " is in the catalog after all"));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void presetsCarryTheProvidersOwnSdkBaseUrls() {
        assertThat(url("openai")).isEqualTo("https://api.openai.com/v1");
        assertThat(url("anthropic")).isEqualTo("https://api.anthropic.com");
        assertThat(url("gemini")).isEqualTo("https://generativelanguage.googleapis.com");
        assertThat(url("zhipu")).isEqualTo("https://open.bigmodel.cn/api/paas/v4");
        assertThat(url("zai")).isEqualTo("https://api.z.ai/api/paas/v4");
        assertThat(url("qwen")).isEqualTo("https://dashscope-intl.aliyuncs.com/compatible-mode/v1");
        assertThat(url("qwen-cn")).isEqualTo("https://dashscope.aliyuncs.com/compatible-mode/v1");
        assertThat(url("volcengine")).isEqualTo("https://ark.cn-beijing.volces.com/api/v3");
        assertThat(url("ollama")).isEqualTo("http://127.0.0.1:11434/v1");
        assertThat(CATALOG.preset("anthropic").orElseThrow().type()).isEqualTo(ChannelType.ANTHROPIC);
        assertThat(CATALOG.preset("gemini").orElseThrow().type()).isEqualTo(ChannelType.GEMINI);
        Preset ollama = CATALOG.preset("ollama").orElseThrow();
        assertThat(ollama.keyRequired()).isFalse();
        assertThat(ollama.listModels()).isTrue();
    }

    @Test
    void ollamaModelsAreFreeAndCostZeroNotUnknown() {
        Preset ollama = CATALOG.preset("ollama").orElseThrow();
        for (String model : ollama.models()) {
            assertThat(CATALOG.model(model).flatMap(ModelInfo::price).orElseThrow().base()).as(model).isEqualTo(Rates.FREE);
        }
        assertThat(CATALOG.cost("llama3.1:8b", 5000, 800, 0, 0, 0)).hasValue(0);
    }

    @Test
    void everyProviderNamesItsSourcesAndTheDateTheyWereChecked() {
        Set<String> providers = new HashSet<>();
        CATALOG.models().forEach(model -> providers.add(model.provider()));
        assertThat(CATALOG.sources()).extracting(Source::provider).containsExactlyInAnyOrderElementsOf(providers);
        for (Source source : CATALOG.sources()) {
            assertThat(source.urls()).as(source.provider()).isNotEmpty().allMatch(url -> url.startsWith("https://"));
            assertThat(source.checked()).as(source.provider()).isBeforeOrEqualTo(LocalDate.of(2026, 12, 3));
            assertThat(source.how()).as(source.provider()).isNotBlank();
        }
    }

    @Test
    void spotChecksMatchTheProvidersPublishedPrices() {
        assertThat(base("claude-sonnet-4-5")).isEqualTo(Rates.usd("3", "15", "0.30", "3.75"));
        assertThat(base("claude-opus-4-1")).isEqualTo(Rates.usd("15", "75", "1.50", "18.75"));
        assertThat(base("claude-haiku-4-5")).isEqualTo(Rates.usd("1", "5", "0.10", "1.25"));
        assertThat(base("gpt-4o")).isEqualTo(Rates.usd("2.50", "10", "1.25", "2.50"));
        assertThat(base("gpt-5-nano")).isEqualTo(Rates.usd("0.05", "0.40", "0.005", "0.05"));
        assertThat(base("text-embedding-3-small")).isEqualTo(Rates.usd("0.02", "0", "0.02", "0.02"));
        Price pro = CATALOG.model("gemini-2.5-pro").flatMap(ModelInfo::price).orElseThrow();
        assertThat(pro.ratesFor(200_000)).isEqualTo(Rates.usd("1.25", "10", "0.125", "1.25"));
        assertThat(pro.ratesFor(200_001)).isEqualTo(Rates.usd("2.50", "15", "0.25", "2.50"));
    }

    @Test
    void yuanPricesAreConvertedToMicroDollarsAtTheFilesRate() {
        // Seed 1.6, 0-32K band: ¥0.80 input, ¥8.00 output, ¥0.16 cache hit per 1M tokens, at 7.10 CNY/USD
        assertThat(base("doubao-seed-1-6")).isEqualTo(new Rates(112_676, 1_126_761, 22_535, 112_676));
    }

    private static Rates base(String model) {
        return CATALOG.model(model).flatMap(ModelInfo::price).orElseThrow().base();
    }

    private static String url(String preset) {
        return CATALOG.preset(preset).orElseThrow().baseUrl().toString();
    }
}
