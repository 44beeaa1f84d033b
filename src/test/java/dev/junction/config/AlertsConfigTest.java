package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code alerts:}: rules and webhooks with their defaults, and mistakes at their lines. */
class AlertsConfigTest {

    private static GatewayConfig parse(String yaml) {
        return ConfigLoader.withEnvironment(Map.of("HOOK", "https://hooks.slack.com/services/T1/B2/SECRET")::get)
                .parse("junction.yaml", yaml);
    }

    @Test
    void noSectionMeansNoRulesAndNoWebhooks() {
        assertThat(parse("").alerts()).isEqualTo(AlertsConfig.DEFAULT);
    }

    @Test
    void rulesAndWebhooksAreReadWithTheirDefaults() {
        AlertsConfig alerts = parse("""
                alerts:
                  every: 30s
                  rules:
                    - { name: errors, kind: error_rate, threshold: 0.2, window: 10m, model: claude-sonnet }
                    - { name: spend, kind: spend, threshold: 50 }
                  webhooks:
                    - { name: slack, url: "${HOOK}", format: slack, min_tier: warning }
                    - { name: ops, url: "https://ops.example/hook?token=t", retries: 0, timeout: 2s }
                """).alerts();
        assertThat(alerts.every()).isEqualTo(Duration.ofSeconds(30));
        assertThat(alerts.rules()).containsExactly(
                new AlertsConfig.Rule("errors", "error_rate", 0.2, Duration.ofMinutes(10), Optional.of("claude-sonnet"), 10),
                new AlertsConfig.Rule("spend", "spend", 50, Duration.ofMinutes(15), Optional.empty(), 10));
        assertThat(alerts.webhooks().get(0)).isEqualTo(new AlertsConfig.Webhook("slack",
                URI.create("https://hooks.slack.com/services/T1/B2/SECRET"), "slack", "warning", Duration.ofSeconds(5),
                3, Duration.ofSeconds(1)));
        assertThat(alerts.webhooks().get(1).url().getQuery()).isEqualTo("token=t");
        assertThat(alerts.webhooks().get(1).retries()).isZero();
        assertThat(alerts.webhooks().get(0).toString()).doesNotContain("SECRET");
    }

    @Test
    void aMistakeNamesItsLineAndNeverRepeatsAWebhookUrl() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse("""
                alerts:
                  rules:
                    - name: errors
                      kind: loudness
                      threshold: 0.2
                    - { name: errors, kind: spend, threshold: -1 }
                  webhooks:
                    - { name: x, url: "ftp://secret-host/SECRETPATH" }
                """));
        assertThat(e.problems())
                .anySatisfy(p -> assertThat(p).contains("junction.yaml:4").contains("not one of"))
                .anySatisfy(p -> assertThat(p).contains("junction.yaml:6").contains("at least 0"))
                .anySatisfy(p -> assertThat(p).contains("junction.yaml:8").contains("http(s)"));
        assertThat(String.join("\n", e.problems())).doesNotContain("SECRETPATH");
    }
}
