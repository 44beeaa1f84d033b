package dev.junction.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.junction.core.ChannelType;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
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
        SoftAssertions soft = new SoftAssertions();
        for (ModelInfo model : CATALOG.models()) {
            String id = model.provider() + "/" + model.id();
            Capabilities caps = model.capabilities();
            soft.assertThat(caps.contextWindow()).as(id + " context_window").isPositive();
            soft.assertThat(caps.maxOutput()).as(id + " max_output").isLessThanOrEqualTo(caps.contextWindow());
            if (model.kind() == ModelInfo.Kind.CHAT) {
                soft.assertThat(caps.maxOutput()).as(id + " max_output").isPositive();
            }
            soft.assertThat(model.price()).as(id + " price").isPresent();
            soft.assertThat(model.catalogued()).as(id + " catalogued").isTrue();
            soft.assertThat(model.assumed()).as(id + " assumed").isEmpty();
            model.price().ifPresent(price -> {
                sane(soft, id, price.base());
                long previous = 0;
                for (Price.Tier tier : price.tiers()) {
                    soft.assertThat(tier.above()).as(id + " tier").isGreaterThan(previous);
                    previous = tier.above();
                    sane(soft, id + " above " + tier.above(), tier.rates());
                }
            });
        }
        soft.assertAll();
    }

    private static void sane(SoftAssertions soft, String id, Rates rates) {
        soft.assertThat(rates.input()).as(id + " input").isNotNegative();
        soft.assertThat(rates.output()).as(id + " output").isNotNegative();
        soft.assertThat(rates.cacheWrite()).as(id + " cache_write").isNotNegative();
        soft.assertThat(rates.cachedInput()).as(id + " cached_input").isNotNegative().isLessThanOrEqualTo(rates.input());
        // no catalogued model costs more than $200 per 1M tokens: a misplaced decimal point would
        soft.assertThat(rates.output()).as(id + " output").isLessThanOrEqualTo(200_000_000L);
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
        SoftAssertions soft = new SoftAssertions();
        for (Preset preset : CATALOG.presets()) {
            String name = preset.name();
            soft.assertThat(ChannelType.fromConfigName(preset.type().configName())).as(name + " type").isPresent();
            soft.assertThat(preset.baseUrl().getScheme()).as(name + " scheme").isIn("https", "http");
            soft.assertThat(preset.baseUrl().getHost()).as(name + " host").isNotBlank();
            soft.assertThat(preset.baseUrl().toString()).as(name + " base_url").doesNotEndWith("/");
            if (preset.keyRequired()) {
                soft.assertThat(preset.baseUrl().getScheme()).as(name + " sends its key over TLS").isEqualTo("https");
            }
            soft.assertThat(preset.allModels()).as(name + " models").isNotEmpty();
            for (String model : preset.models()) {
                soft.assertThat(CATALOG.model(model)).as(name + " model " + model).isPresent();
            }
            for (String model : preset.uncatalogued()) {
                soft.assertThat(CATALOG.model(model)).as(name + " uncatalogued " + model).isEmpty();
            }
        }
        soft.assertAll();
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
