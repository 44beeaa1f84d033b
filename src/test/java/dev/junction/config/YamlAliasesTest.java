package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** YAML aliases (found by fuzzing the config file): shared values work, endless ones are refused. */
class YamlAliasesTest {

    private static final ConfigLoader LOADER = ConfigLoader.withEnvironment(Map.<String, String>of()::get);

    @Test
    void anAliasRepeatsAValue() {
        GatewayConfig config = LOADER.parse("junction.yaml", """
                keys:
                  - name: laptop
                    key: sk-laptop-secret-1
                    models: &models ["claude-*", "gpt-4o"]
                  - name: phone
                    key: sk-phone-secret-2
                    models: *models
                """);
        assertThat(config.keys()).extracting(KeyConfig::models)
                .containsExactly(java.util.List.of("claude-*", "gpt-4o"), java.util.List.of("claude-*", "gpt-4o"));
    }

    @Test
    void anAliasInsideItsOwnValueIsAConfigError() {
        assertThatThrownBy(() -> LOADER.parse("junction.yaml", """
                keys: &k
                  - name: a
                    key: sk-x
                    models: *k
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("junction.yaml:")
                .hasMessageContaining("a YAML alias refers to a value that contains it");
    }

    @Test
    void aliasesThatExpandWithoutEndAreAConfigError() {
        // 48 aliases (snakeyaml's limit is 50) that double at each level: 2^24 values
        String bomb = "a0: &a0 [x, x]\n" + IntStream.range(1, 25)
                .mapToObj(i -> "a" + i + ": &a" + i + " [*a" + (i - 1) + ", *a" + (i - 1) + "]")
                .collect(Collectors.joining("\n"));
        assertThatThrownBy(() -> LOADER.parse("junction.yaml", bomb))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("YAML aliases expand to more than");
    }
}
