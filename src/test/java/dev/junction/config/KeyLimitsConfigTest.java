package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A key's {@code team:}, {@code limits:} and {@code budget:} (DESIGN.md §3.1), and the lines of their mistakes. */
class KeyLimitsConfigTest {

    private static GatewayConfig parse(String yaml) {
        return ConfigLoader.withEnvironment(Map.<String, String>of()::get).parse("junction.yaml", yaml);
    }

    @Test
    void readsTeamLimitsAndBudget() {
        KeyConfig key = parse("""
                keys:
                  - name: alice
                    key: sk-alice-123456
                    models: ["claude-*"]
                    team: backend
                    limits: { rpm: 30, tpm: 100000, concurrent: 4 }
                    budget: { usd: 20, period: month }
                """).keys().getFirst();
        assertThat(key.team()).contains("backend");
        assertThat(key.limits()).isEqualTo(new KeyConfig.Limits(30, 100_000, 4));
        assertThat(key.budget()).contains(new KeyConfig.Budget(new BigDecimal("20"), "month"));
    }

    @Test
    void everyPartIsOptional() {
        KeyConfig key = parse("""
                keys:
                  - name: bob
                    key: sk-bob-1234567
                    limits: { concurrent: 2 }
                    budget: { usd: "0.50", period: day }
                """).keys().getFirst();
        assertThat(key.team()).isEmpty();
        assertThat(key.limits()).isEqualTo(new KeyConfig.Limits(0, 0, 2));
        assertThat(key.budget().orElseThrow().usd()).isEqualByComparingTo("0.5");
        assertThat(parse("keys:\n  - name: c\n    key: sk-c-12345678\n").keys().getFirst().budget())
                .isEqualTo(Optional.empty());
    }

    @Test
    void namesTheLineOfEachMistake() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse("""
                keys:
                  - name: alice
                    key: sk-alice-123456
                    limits:
                      rpm: 0
                      tpm: lots
                      rph: 3
                    budget:
                      usd: -1
                      period: year
                  - name: bob
                    key: sk-bob-1234567
                    budget: { period: day }
                """));
        assertThat(e.problems()).hasSize(6)
                .anySatisfy(p -> assertThat(p).contains("junction.yaml:5").contains("at least 1"))
                .anySatisfy(p -> assertThat(p).contains("junction.yaml:6").contains("'lots' is not a whole number"))
                .anySatisfy(p -> assertThat(p).contains("junction.yaml:7").contains("unknown field"))
                .anySatisfy(p -> assertThat(p).contains("junction.yaml:9").contains("never negative"))
                .anySatisfy(p -> assertThat(p).contains("junction.yaml:10").contains("'year' is not a period"))
                .anySatisfy(p -> assertThat(p).contains("junction.yaml:13").contains("usd").contains("missing"));
    }
}
