package dev.junction.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Looking a model up by the names upstreams and clients actually use. */
class CatalogLookupTest {

    private static final Catalog CATALOG = Catalog.builtIn();

    private static String id(String name) {
        return CATALOG.model(name).map(ModelInfo::id).orElse("<unknown>");
    }

    @Test
    void datedSnapshotsResolveThroughTheirAliases() {
        assertThat(id("claude-sonnet-4-5-20250929")).isEqualTo("claude-sonnet-4-5");
        assertThat(id("gpt-4o-mini-2024-07-18")).isEqualTo("gpt-4o-mini");
        assertThat(id("claude-3-5-sonnet-20240620")).isEqualTo("claude-3-5-sonnet");
    }

    @Test
    void undocumentedDatedSnapshotsFallBackToTheirBaseModel() {
        assertThat(id("gpt-5-mini-2026-01-15")).isEqualTo("gpt-5-mini");
        assertThat(id("claude-haiku-4-5-20260101")).isEqualTo("claude-haiku-4-5");
        assertThat(id("doubao-seed-1-6-flash-250828")).isEqualTo("doubao-seed-1-6-flash");
        assertThat(id("claude-3-7-sonnet-latest")).isEqualTo("claude-3-7-sonnet");
    }

    @Test
    void aSnapshotWithItsOwnPriceIsNotFoldedIntoTheBaseModel() {
        assertThat(id("gpt-4o-2024-05-13")).isEqualTo("gpt-4o-2024-05-13");
    }

    @Test
    void providerPrefixedIdsResolve() {
        assertThat(id("models/gemini-2.5-flash")).isEqualTo("gemini-2.5-flash");
        assertThat(id("openai/gpt-4o")).isEqualTo("gpt-4o");
        assertThat(id("openrouter/anthropic/claude-sonnet-4.5")).isEqualTo("claude-sonnet-4-5");
        assertThat(id("anthropic/claude-3.5-sonnet")).isEqualTo("claude-3-5-sonnet");
        assertThat(id("z-ai/glm-4.6")).isEqualTo("glm-4.6");
        assertThat(id("minimax/minimax-m2.7")).isEqualTo("MiniMax-M2.7");
    }

    @Test
    void vertexAndOllamaSpellingsResolve() {
        assertThat(id("claude-sonnet-4-5@20250929")).isEqualTo("claude-sonnet-4-5");
        assertThat(id("llama3.1:8b")).isEqualTo("llama3.1");
        assertThat(id("qwen3:latest")).isEqualTo("qwen3");
        assertThat(id("qwen2.5-coder:32b-instruct-q4_K_M")).isEqualTo("qwen2.5-coder");
    }

    @Test
    void lookupIgnoresCaseAndSurroundingSpace() {
        assertThat(id("minimax-m2")).isEqualTo("MiniMax-M2");
        assertThat(id(" GPT-4.1 ")).isEqualTo("gpt-4.1");
    }

    @Test
    void unknownModelsAreEmptyNotGuessed() {
        assertThat(CATALOG.model("my-finetune-v3")).isEmpty();
        assertThat(CATALOG.model("gpt-4o-mini-audio-preview")).isEmpty();
        assertThat(CATALOG.model("gpt-4o-mini-transcribe").orElseThrow().kind()).isEqualTo(ModelInfo.Kind.TRANSCRIPTION);
        assertThat(CATALOG.model("")).isEmpty();
        assertThat(CATALOG.model("deepseek/deepseek-v4-flash:free")).as("a free variant is not the paid price").isEmpty();
    }

    @Test
    void presetsResolveByNameOrAlias() {
        assertThat(CATALOG.preset("zhipu").orElseThrow().baseUrl().getHost()).isEqualTo("open.bigmodel.cn");
        assertThat(CATALOG.preset("Kimi").orElseThrow().name()).isEqualTo("moonshot");
        assertThat(CATALOG.preset("ark").orElseThrow().name()).isEqualTo("volcengine");
        assertThat(CATALOG.preset("dashscope").orElseThrow().name()).isEqualTo("qwen");
        assertThat(CATALOG.preset("nope")).isEmpty();
    }

    @Test
    void openRouterPresetModelsResolveToTheProvidersEntries() {
        Preset openrouter = CATALOG.preset("openrouter").orElseThrow();
        assertThat(openrouter.models()).allSatisfy(model -> assertThat(CATALOG.model(model)).as(model).isPresent());
        assertThat(id("anthropic/claude-sonnet-4.6")).isEqualTo("claude-sonnet-4-6");
    }
}
