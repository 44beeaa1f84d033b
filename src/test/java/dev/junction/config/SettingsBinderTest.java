package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The runtime settings written back in the file's syntax read the same again (the admin API merges
 * the file's values with its own that way), and a file's given settings are named one by one.
 */
class SettingsBinderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static GatewayConfig parse(String yaml) {
        return ConfigLoader.withEnvironment(Map.<String, String>of()::get).parse("t.yaml", yaml);
    }

    @Test
    void everySettingWrittenInTheFilesSyntaxBindsToTheSameValue() {
        GatewayConfig config = parse("""
                failover:
                  max_attempts: 3
                  request_timeout: 90s
                  cooldown: 250ms
                  max_retry_wait: 2m
                  continue_streams: false
                  continue_same_channel: 2
                  hedge_after: 8s
                  key_probe_every: 1h
                  breaker:
                    consecutive_failures: 7
                    failure_rate: 0.25
                    min_requests: 4
                    window: 45s
                    open_for: 3m
                    probe_every: 1500ms
                    probe_max: 20s
                    half_open_requests: 2
                usage:
                  keep_raw: 12h
                  keep_rollups: 90d
                """);
        RuntimeSettings settings = RuntimeSettings.of(config);
        Map<String, Object> values = SettingsBinder.values(settings);
        assertThat(values).containsEntry("failover.request_timeout", "90s").containsEntry("failover.cooldown", "250ms")
                .containsEntry("failover.breaker.probe_every", "1500ms").containsEntry("usage.keep_raw", "12h")
                .containsEntry("usage.keep_rollups", "90d").containsEntry("failover.hedge_after", "8s");
        assertThat(values.keySet()).containsExactlyElementsOf(SettingsBinder.FIELDS.stream()
                .map(SettingsBinder.Field::name).toList());
        ObjectNode tree = JSON.createObjectNode();
        values.forEach((name, value) -> {
            String[] parts = name.split("\\.");
            ObjectNode at = tree;
            for (int i = 0; i < parts.length - 1; i++) {
                at = at.get(parts[i]) instanceof ObjectNode o ? o : at.putObject(parts[i]);
            }
            at.set(parts[parts.length - 1], JSON.valueToTree(value));
        });
        Result<RuntimeSettings> again = SettingsBinder.bind(JsonTree.of(tree));
        assertThat(again.problems()).isEmpty();
        assertThat(again.value()).hasValue(settings);
        assertThat(config.fileSettings()).hasSize(SettingsBinder.FIELDS.size());
    }

    @Test
    void theFilesSettingsAreNamedOneByOneAndTheOthersAreNot() {
        GatewayConfig config = parse("failover:\n  max_attempts: 2\n  breaker:\n    window: 30s\n  cooldown:\n"
                + "usage:\n  keep_raw: 7d\n");
        assertThat(config.fileSettings()).containsExactlyInAnyOrder("failover.max_attempts",
                "failover.breaker.window", "usage.keep_raw");
        assertThat(parse("listen: 127.0.0.1:0\n").fileSettings()).isEmpty();
        assertThat(SettingsBinder.values(RuntimeSettings.DEFAULT)).containsEntry("failover.hedge_after", "off")
                .containsEntry("failover.request_timeout", "10m").containsEntry("usage.keep_raw", "30d");
    }
}
