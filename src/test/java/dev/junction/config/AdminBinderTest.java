package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code admin:} section. */
class AdminBinderTest {

    private static GatewayConfig parse(Map<String, String> env, String yaml) {
        return ConfigLoader.withEnvironment(env::get).parse("junction.yaml", yaml);
    }

    private static List<String> problems(String yaml) {
        try {
            parse(Map.of(), yaml);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected a config error");
    }

    @Test
    void withoutTheSectionThereIsNoPasswordAndNoTrustedProxy() {
        AdminConfig admin = parse(Map.of(), "").admin();
        assertThat(admin).isEqualTo(AdminConfig.DEFAULT);
        assertThat(admin.password()).isEmpty();
        assertThat(admin.trustedProxies()).isEmpty();
        assertThat(admin.maxFailures()).isEqualTo(5);
        assertThat(admin.lockout()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void bindsThePasswordFromTheEnvironmentAndEveryLimit() {
        AdminConfig admin = parse(Map.of("JUNCTION_ADMIN_PASSWORD", "s3cret-owner-pw"), """
                admin:
                  password: ${JUNCTION_ADMIN_PASSWORD}
                  trusted_proxies: [10.0.0.0/8, "::1", 127.0.0.1]
                  session_ttl: 2h
                  login: { max_failures: 3, lockout: 5m, max_failures_per_address: 50, address_window: 1h }
                  allow_private_base_urls: true
                """).admin();
        assertThat(admin).isEqualTo(new AdminConfig(Optional.of("s3cret-owner-pw"),
                List.of("10.0.0.0/8", "::1", "127.0.0.1"), Duration.ofHours(2), 3, Duration.ofMinutes(5), 50,
                Duration.ofHours(1), true));
        assertThat(admin.toString()).doesNotContain("s3cret-owner-pw");
    }

    @Test
    void anEmptyFallbackMeansNoPassword() {
        assertThat(parse(Map.of(), "admin:\n  password: ${JUNCTION_ADMIN_PASSWORD:-}\n").admin().password())
                .isEmpty();
    }

    @Test
    void reportsEveryProblemWithItsLine() {
        assertThat(problems("""
                admin:
                  password: short
                  trusted_proxies: [10.0.0.0/33, proxy.local]
                  login: { max_failures: 0, lockout: soon }
                  pasword: x
                """)).containsExactly(
                "junction.yaml:5: admin.pasword: unknown field; expected one of [allow_private_base_urls, login, "
                        + "password, session_ttl, trusted_proxies]",
                "junction.yaml:2: admin.password: the admin password must be at least 8 characters",
                "junction.yaml:3: admin.trusted_proxies: '10.0.0.0/33' is not an IP address or CIDR range (e.g. "
                        + "10.0.0.0/8, 127.0.0.1, ::1)",
                "junction.yaml:3: admin.trusted_proxies: 'proxy.local' is not an IP address or CIDR range (e.g. "
                        + "10.0.0.0/8, 127.0.0.1, ::1)",
                "junction.yaml:4: admin.login.max_failures: must be at least 1",
                "junction.yaml:4: admin.login.lockout: 'soon' is not a duration; write e.g. 500ms, 30s, 2m or 1h");
    }

    @Test
    void anUnsetVariableWithoutFallbackIsAStartUpError() {
        assertThat(problems("admin:\n  password: ${JUNCTION_ADMIN_PASSWORD}\n")).singleElement().asString()
                .contains("JUNCTION_ADMIN_PASSWORD is not set");
    }
}
