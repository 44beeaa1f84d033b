package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsConfigTest {

    private static GatewayConfig parse(String yaml) {
        return ConfigLoader.withEnvironment(Map.<String, String>of()::get).parse("junction.yaml", yaml);
    }

    @Test
    void metricsAreOnWithoutPerKeySeriesUnlessTheFileSaysOtherwise() {
        assertThat(parse("").metrics()).isEqualTo(MetricsConfig.DEFAULT);
        assertThat(MetricsConfig.DEFAULT).isEqualTo(new MetricsConfig(true, false));
        assertThat(parse("metrics:\n  enabled: false\n").metrics()).isEqualTo(new MetricsConfig(false, false));
        assertThat(parse("metrics: { per_key: true }\n").metrics()).isEqualTo(new MetricsConfig(true, true));
    }

    @Test
    void namesTheLineOfAMistake() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse("""
                metrics:
                  enabled: maybe
                  token: abc
                """));
        assertThat(e.problems()).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("junction.yaml:2").contains("enabled"))
                .anySatisfy(p -> assertThat(p).contains("junction.yaml:3").contains("token"));
    }
}
