package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.core.ChannelType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static final Map<String, String> ENV = Map.of("ZHIPU_KEY", "zk-123456789", "PORT", "4000");

    private static GatewayConfig parse(String yaml) {
        return ConfigLoader.withEnvironment(ENV::get).parse("junction.yaml", yaml);
    }

    private static List<String> problems(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected a config error");
    }

    @Test
    void bindsTheServerSectionAndNamesItsMistakes() {
        GatewayConfig config = parse("""
                server:
                  header_timeout: 5s
                  body_timeout: 20s
                  body_min_rate: 16KiB
                  max_connections_per_ip: 0
                  cap_loopback: true
                  shutdown_grace: 0s
                """);
        assertThat(config.server()).isEqualTo(new ServerSettings(java.time.Duration.ofSeconds(5),
                java.time.Duration.ofSeconds(20), 16 * 1024, 0, true, java.time.Duration.ZERO));
        assertThat(parse("listen: 0.0.0.0:3000\n").server()).isEqualTo(ServerSettings.DEFAULT);
        assertThat(problems("""
                server:
                  header_timeout: 0s
                  max_connections_per_ip: -1
                  body_min_rate: 0
                  slow: true
                """)).hasSize(4).anySatisfy(p -> assertThat(p).contains("junction.yaml:2").contains("header_timeout"))
                .anySatisfy(p -> assertThat(p).contains("junction.yaml:3").contains("max_connections_per_ip"))
                .anySatisfy(p -> assertThat(p).contains("junction.yaml:4").contains("body_min_rate"))
                .anySatisfy(p -> assertThat(p).contains("junction.yaml:5").contains("slow"));
    }

    @Test
    void readsTheDesignDocumentExample() {
        GatewayConfig config = parse("""
                listen: 0.0.0.0:${PORT}
                database: sqlite:./data/junction.db
                redis: redis://127.0.0.1:6379
                keys:
                  - name: laptop
                    key: ${LAPTOP_KEY:-sk-laptop-default}
                    models: ["claude-*", "gpt-4o"]
                channels:
                  - name: zhipu
                    type: openai
                    base_url: https://open.bigmodel.cn/api/paas/v4/
                    api_key: ${ZHIPU_KEY}
                    models:
                      claude-sonnet: glm-4.6
                    priority: 10
                    weight: 40
                    timeout: { connect: 5s, first_byte: 60s, idle: 500ms }
                  - name: claude
                    type: anthropic
                    base_url: https://api.anthropic.com
                    api_keys: [a-1234567890, b-1234567890]
                    models: [claude-sonnet, claude-haiku]
                """);
        assertThat(config.listen()).isEqualTo(new Listen("0.0.0.0", 4000));
        assertThat(config.redis()).contains("redis://127.0.0.1:6379");
        assertThat(config.keys()).singleElement().satisfies(k -> {
            assertThat(k.key()).isEqualTo("sk-laptop-default");
            assertThat(k.models()).containsExactly("claude-*", "gpt-4o");
        });
        ChannelConfig zhipu = config.channels().getFirst();
        assertThat(zhipu.type()).isEqualTo(ChannelType.OPENAI);
        assertThat(zhipu.baseUrl()).hasToString("https://open.bigmodel.cn/api/paas/v4");
        assertThat(zhipu.apiKeys()).containsExactly("zk-123456789");
        assertThat(zhipu.models()).containsEntry("claude-sonnet", "glm-4.6");
        assertThat(zhipu.priority()).isEqualTo(10);
        assertThat(zhipu.weight()).isEqualTo(40);
        assertThat(zhipu.timeouts()).isEqualTo(new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(60),
                Duration.ofMillis(500), Duration.ofMinutes(10)));
        ChannelConfig claude = config.channels().get(1);
        assertThat(claude.type()).isEqualTo(ChannelType.ANTHROPIC);
        assertThat(claude.apiKeys()).hasSize(2);
        assertThat(claude.models()).containsEntry("claude-haiku", "claude-haiku");
        assertThat(claude.timeouts()).isEqualTo(Timeouts.DEFAULT);
    }

    @Test
    void anEmptyFileMeansTheDefaults() {
        assertThat(parse("")).isEqualTo(GatewayConfig.defaults());
        assertThat(parse("# only a comment\n")).isEqualTo(GatewayConfig.defaults());
        assertThat(GatewayConfig.defaults().listen()).isEqualTo(new Listen("0.0.0.0", 3000));
        assertThat(GatewayConfig.defaults().maxBodyBytes()).isEqualTo(32L * 1024 * 1024);
    }

    @Test
    void namesTheLineOfAnUnknownField() {
        assertThat(problems("""
                listen: 127.0.0.1:3000
                channels:
                  - name: a
                    type: openai
                    base_url: http://x/v1
                    modles: [m]
                """)).contains(
                "junction.yaml:6: channels[0].modles: unknown field; expected one of [api_key, api_keys, base_url, "
                        + "capabilities, defaults, drop_params, health_check, key_selection, limits, models, name, preset, prices, priority, responses, retries, "
                        + "stream_options, timeout, type, weight]",
                "junction.yaml:3: channels[0].models: missing; list the public model names this channel serves");
    }

    @Test
    void reportsEveryProblemWithFileAndLine() {
        List<String> problems = problems("""
                listen: nowhere
                max_body_size: lots
                channels:
                  - name: a
                    type: openai
                    base_url: ftp://example.com
                    api_key: ${MISSING_KEY}
                    models: [m]
                    timeout: { first_byte: soon }
                  - name: a
                    type: cohere
                    base_url: http://ok.example/v1
                    models: [m]
                  - type: openai
                    base_url: http://ok.example/v1
                    models: [m]
                """);
        assertThat(problems).containsExactly(
                "junction.yaml:1: listen: 'nowhere' is not an address; write host:port, e.g. 0.0.0.0:3000",
                "junction.yaml:2: max_body_size: 'lots' is not a size; write e.g. 32MiB, 512KiB or 1048576",
                "junction.yaml:6: channels[0].base_url: 'ftp://example.com' is not an http(s) URL with a host",
                "junction.yaml:7: channels[0].api_key: environment variable MISSING_KEY is not set "
                        + "(write ${MISSING_KEY:-default} to give a fallback)",
                "junction.yaml:9: channels[0].timeout.first_byte: 'soon' is not a duration; write e.g. 500ms, 30s, "
                        + "2m or 1h",
                "junction.yaml:11: channels[1].type: unknown type 'cohere'; use openai, anthropic or gemini",
                "junction.yaml:10: channels[1].name: duplicate channel name 'a'",
                "junction.yaml:14: channels[2].name: missing");
    }

    @Test
    void rejectsDuplicateChannelNamesAndKeys() {
        assertThat(problems("""
                keys:
                  - name: k
                    key: sk-aaaaaaaaaa
                  - name: k
                    key: sk-aaaaaaaaaa
                channels:
                  - name: same
                    type: openai
                    base_url: http://a.example/v1
                    models: [m]
                  - name: same
                    type: openai
                    base_url: http://b.example/v1
                    models: [m]
                """)).containsExactly(
                "junction.yaml:4: keys[1].name: duplicate key name 'k'",
                "junction.yaml:4: keys[1].key: the same key is listed twice",
                "junction.yaml:11: channels[1].name: duplicate channel name 'same'");
    }

    @Test
    void reportsProblemsOfEverySectionTogetherEachWithItsLine() {
        assertThat(problems("""
                listen: 127.0.0.1:3000
                database: mysql://db
                keys:
                  - name: laptop
                    key: short
                channels:
                  - name: a
                    type: openai
                    base_url: http://a.example/v1
                    models: [m]
                    weight: heavy
                    health_check:
                      model: m
                      every: 0s
                failover:
                  max_attempts: 0
                  breaker:
                    failure_rate: 2
                """)).containsExactly(
                "junction.yaml:2: database: 'mysql://db' is not supported; use sqlite:PATH or "
                        + "postgresql://user:pass@host:5432/db",
                "junction.yaml:5: keys[0].key: a gateway key must be at least 8 characters",
                "junction.yaml:11: channels[0].weight: 'heavy' is not a whole number",
                "junction.yaml:14: channels[0].health_check.every: must be longer than zero",
                "junction.yaml:18: failover.breaker.failure_rate: must be between 0 (exclusive) and 1",
                "junction.yaml:16: failover.max_attempts: must be at least 1");
    }

    @Test
    void refusesUnknownFieldsAtEveryLevel() {
        assertThat(problems("""
                listne: 127.0.0.1:3000
                keys:
                  - name: k
                    key: sk-aaaaaaaaaa
                    model: ["*"]
                channels:
                  - name: a
                    type: openai
                    base_url: http://a.example/v1
                    models: [m]
                    timeout: { firstbyte: 5s }
                failover:
                  breaker: { open: 5s }
                """)).containsExactly(
                "junction.yaml:1: listne: unknown field; expected one of [admin, alerts, channels, database, failover, "
                        + "keys, listen, max_body_size, metrics, redis, routing, server, usage]",
                "junction.yaml:5: keys[0].model: unknown field; expected one of [budget, key, limits, models, name, team]",
                "junction.yaml:11: channels[0].timeout.firstbyte: unknown field; expected one of [connect, "
                        + "first_byte, first_token, idle, total]",
                "junction.yaml:13: failover.breaker.open: unknown field; expected one of [consecutive_failures, "
                        + "failure_rate, half_open_requests, min_requests, open_for, probe_every, probe_max, window]");
    }

    @Test
    void namesTheLineOfEveryUnsetEnvironmentVariable() {
        assertThat(problems("""
                listen: ${HOST}:${PORT}
                keys:
                  - name: k
                    key: ${LAPTOP_KEY}
                channels:
                  - name: a
                    type: openai
                    base_url: http://${UPSTREAM_HOST}/v1
                    api_keys:
                      - ${ZHIPU_KEY}
                      - ${SECOND_KEY}
                    models:
                      ${PUBLIC_MODEL}: glm-4.6
                    defaults:
                      max_tokens: ${MAX_TOKENS}
                    health_check: { model: "${PROBE_MODEL:-glm-4.6}" }
                """)).containsExactly(
                "junction.yaml:1: listen: environment variable HOST is not set (write ${HOST:-default} to give "
                        + "a fallback)",
                "junction.yaml:4: keys[0].key: environment variable LAPTOP_KEY is not set (write "
                        + "${LAPTOP_KEY:-default} to give a fallback)",
                "junction.yaml:8: channels[0].base_url: environment variable UPSTREAM_HOST is not set (write "
                        + "${UPSTREAM_HOST:-default} to give a fallback)",
                "junction.yaml:11: channels[0].api_keys[1]: environment variable SECOND_KEY is not set (write "
                        + "${SECOND_KEY:-default} to give a fallback)",
                "junction.yaml:13: channels[0].models.${PUBLIC_MODEL}: environment variable PUBLIC_MODEL is not set (write "
                        + "${PUBLIC_MODEL:-default} to give a fallback)",
                "junction.yaml:15: channels[0].defaults.max_tokens: environment variable MAX_TOKENS is not set "
                        + "(write ${MAX_TOKENS:-default} to give a fallback)");
    }

    @Test
    void anEmptyProviderKeyFromTheEnvironmentIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.withEnvironment(Map.of("ZHIPU_KEY", "")::get).parse("f", """
                channels:
                  - name: a
                    type: openai
                    base_url: http://a.example/v1
                    api_key: ${ZHIPU_KEY}
                    models: [m]
                """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                "f:5: channels[0].api_key: the provider key is empty (is its environment variable set to an "
                        + "empty value?)"));
    }

    @Test
    void reportsYamlSyntaxErrorsWithTheLine() {
        assertThat(problems("listen: 1\nchannels: [\n  - bad")).singleElement()
                .satisfies(p -> assertThat(p).startsWith("junction.yaml:3: YAML syntax:"));
    }

    @Test
    void anUnquotedValueEndingInAColonIsPointedAtWithTheFix() {
        assertThat(problems("listen: 127.0.0.1:3000\ndatabase: sqlite:./data/j.db\n"
                + "redis: redis://127.0.0.1:6379?prefix=team-a:\n")).singleElement()
                .satisfies(p -> assertThat(p).startsWith("junction.yaml:3: YAML syntax: mapping values are not allowed")
                        .endsWith("must be quoted)"));
    }

    @Test
    void emptyEnvironmentValueTakesTheFallback() {
        GatewayConfig config = ConfigLoader.withEnvironment(Map.of("EMPTY", "")::get).parse("f", """
                keys:
                  - name: k
                    key: ${EMPTY:-sk-fallback-key}
                """);
        assertThat(config.keys().getFirst().key()).isEqualTo("sk-fallback-key");
    }

    @Test
    void parsesListenSpellings() {
        assertThat(Listen.parse(":8080")).contains(new Listen("0.0.0.0", 8080));
        assertThat(Listen.parse("8080")).contains(new Listen("0.0.0.0", 8080));
        assertThat(Listen.parse("[::1]:8080")).contains(new Listen("::1", 8080));
        assertThat(Listen.parse("host:99999")).isEmpty();
    }

    @Test
    void keySecretsAreNotPrinted() {
        KeyConfig key = new KeyConfig("laptop", "sk-very-secret-value", List.of("*"));
        assertThat(key.toString()).doesNotContain("secret");
        GatewayConfig config = parse("""
                channels:
                  - name: z
                    type: openai
                    base_url: http://z.example/v1
                    api_key: ${ZHIPU_KEY}
                    models: [m]
                """);
        assertThat(config.channels().getFirst().toString()).doesNotContain("zk-123456789");
    }

    @Test
    void continuationIsOnByDefaultAndFirstTokenIsAChannelTimeout() {
        assertThat(parse("").failover().continueStreams()).isTrue();
        GatewayConfig config = parse("""
                failover: { continue_streams: false }
                channels:
                  - name: a
                    type: openai
                    base_url: http://127.0.0.1:1/v1
                    models: [m]
                    timeout: { first_token: 20s }
                """);
        assertThat(config.failover().continueStreams()).isFalse();
        assertThat(config.channels().getFirst().timeouts().firstToken()).isEqualTo(java.time.Duration.ofSeconds(20));
        assertThat(Timeouts.DEFAULT.firstToken()).as("no limit unless set").isZero();
    }

    @Test
    void continueSameChannelIsOffByDefaultAndNeverNegative() {
        assertThat(parse("").failover().continueSameChannel()).isZero();
        assertThat(parse("failover: { continue_same_channel: 2 }\n").failover().continueSameChannel()).isEqualTo(2);
        assertThat(problems("failover: { continue_same_channel: -1 }\n")).singleElement().asString()
                .contains("continue_same_channel");
    }

    @Test
    void hedgeAfterIsOffByDefaultATimeOrP95() {
        assertThat(parse("").failover().hedge().on()).isFalse();
        assertThat(parse("failover: { hedge_after: 8s }\n").failover().hedge())
                .isEqualTo(FailoverConfig.Hedge.after(java.time.Duration.ofSeconds(8)));
        assertThat(parse("failover: { hedge_after: p95 }\n").failover().hedge()).isEqualTo(FailoverConfig.Hedge.P95);
        assertThat(parse("failover: { hedge_after: off }\n").failover().hedge().on()).isFalse();
        assertThat(problems("failover:\n  hedge_after: soon\n")).singleElement()
                .satisfies(p -> assertThat(p).contains("junction.yaml:2").contains("hedge_after").contains("p95"));
        assertThat(problems("failover:\n  hedge_after: 0s\n")).singleElement()
                .satisfies(p -> assertThat(p).contains("junction.yaml:2"));
    }
}
