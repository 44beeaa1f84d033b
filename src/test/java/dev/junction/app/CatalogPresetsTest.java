package dev.junction.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.catalog.Catalog;
import dev.junction.catalog.Preset;
import dev.junction.config.ChannelConfig;
import dev.junction.config.ConfigLoader;
import dev.junction.config.GatewayConfig;
import dev.junction.core.ChannelType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The catalog's presets behind the config's {@code preset:}, and the README's table of them. */
class CatalogPresetsTest {

    private static GatewayConfig load(String yaml) {
        return ConfigLoader.withEnvironment(Map.of("ZHIPU_KEY", "zk-1")::get).withPresets(CatalogPresets.builtIn())
                .parse("junction.yaml", yaml);
    }

    @Test
    void aZhipuPresetAndAKeyBindToZhipusEndpoint() {
        ChannelConfig channel = load("""
                channels:
                  - preset: zhipu
                    api_key: ${ZHIPU_KEY}
                """).channels().getFirst();

        Preset zhipu = Catalog.builtIn().preset("zhipu").orElseThrow();
        assertThat(channel.name()).isEqualTo("zhipu");
        assertThat(channel.type()).isEqualTo(ChannelType.OPENAI);
        assertThat(channel.baseUrl()).isEqualTo(URI.create("https://open.bigmodel.cn/api/paas/v4"));
        assertThat(channel.models().keySet()).containsExactlyElementsOf(zhipu.allModels()).contains("glm-4.6");
        assertThat(channel.apiKeys()).containsExactly("zk-1");
    }

    @Test
    void anAliasNamesTheSamePreset() {
        assertThat(load("channels:\n  - preset: Kimi\n    api_key: k\n").channels().getFirst().baseUrl())
                .isEqualTo(Catalog.builtIn().preset("moonshot").orElseThrow().baseUrl());
    }

    @Test
    void everyPresetInTheCatalogMakesAChannelFromAKeyAndOllamaWithout() {
        for (Preset preset : Catalog.builtIn().presets()) {
            String key = preset.keyRequired() ? "    api_key: k\n" : "";
            ChannelConfig channel = load("channels:\n  - preset: " + preset.name() + "\n" + key).channels().getFirst();
            assertThat(channel.type()).as(preset.name()).isEqualTo(preset.type());
            assertThat(channel.baseUrl()).as(preset.name()).isEqualTo(preset.baseUrl());
            assertThat(channel.quirks()).as(preset.name()).isEqualTo(preset.quirks());
        }
        assertThat(Catalog.builtIn().preset("ollama").orElseThrow().keyRequired()).isFalse();
    }

    @Test
    void anUnknownPresetListsTheCatalogsNames() {
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(dev.junction.config.ConfigException.class,
                () -> load("channels:\n  - name: z\n    preset: zhipoo\n    api_key: k\n")).problems())
                .singleElement().asString()
                .startsWith("junction.yaml:3: channels[0].preset: unknown preset 'zhipoo'; use one of openai, anthropic")
                .contains("zhipu", "ollama");
    }

    /** Each catalog preset has a README row with its type and base URL, and the README names no other. */
    @Test
    void theReadmeTableListsEveryPresetInTheCatalog() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9.-]+)` \\| ([^|]*) \\| (\\w+) \\| `([^`]+)` \\| (yes|no) \\|$")
                .matcher(readme);
        Map<String, List<String>> rows = new java.util.LinkedHashMap<>();
        while (row.find()) {
            rows.put(row.group(1), List.of(row.group(2).replace("`", "").strip(), row.group(3), row.group(4),
                    row.group(5)));
        }
        List<Preset> presets = Catalog.builtIn().presets();
        assertThat(rows.keySet()).containsExactlyElementsOf(presets.stream().map(Preset::name).toList());
        for (Preset preset : presets) {
            assertThat(rows.get(preset.name())).as(preset.name()).containsExactly(String.join(", ", preset.aliases()),
                    preset.type().configName(), preset.baseUrl().toString(), preset.keyRequired() ? "yes" : "no");
        }
    }
}
