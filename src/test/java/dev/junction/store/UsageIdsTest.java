package dev.junction.store;

import static dev.junction.testing.TestGateway.channel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.Chat;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage rows name the key and channel by stable id, and those ids outlive a restart. */
class UsageIdsTest {

    @TempDir
    Path dir;

    @Test
    void usageRowsCarryTheSameKeyAndChannelIdsAcrossRestarts() throws Exception {
        try (FakeOpenAi fake = FakeOpenAi.start("sk-fake-main-provider-key")) {
            String yaml = "channels:\n" + channel("main", fake, "[chat]", "")
                    .replace("sk-fake-main", "sk-fake-main-provider-key");
            Map<String, Object> first = served(yaml, 1);
            Map<String, Object> second = served(yaml, 2);
            assertThat(first.get("key_id")).isNotNull();
            assertThat(first.get("channel_id")).isNotNull();
            assertThat(second.get("key_id")).isEqualTo(first.get("key_id"));
            assertThat(second.get("channel_id")).isEqualTo(first.get("channel_id"));
            assertThat(second.get("key_name")).isEqualTo("test");
            assertThat(second.get("channel")).isEqualTo("main");
        }
        // The file's provider keys are never written to the database.
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("junction.db")).toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                        .doesNotContain("sk-fake-main-provider-key").doesNotContain(TestGateway.KEY);
            }
        }
    }

    @Test
    void onPostgresqlToo() throws Exception {
        try (FakeOpenAi fake = FakeOpenAi.start("sk-fake-main-provider-key");
                dev.junction.testing.PostgresSchema schema = new dev.junction.testing.PostgresSchema()) {
            String yaml = "channels:\n" + channel("main", fake, "[chat]", "")
                    .replace("sk-fake-main", "sk-fake-main-provider-key");
            Map<String, Object> first = served(yaml, 1, schema.url());
            Map<String, Object> second = served(yaml, 2, schema.url());
            assertThat(first.get("key_id")).isNotNull();
            assertThat(first.get("channel_id")).isNotNull();
            assertThat(second.get("key_id")).isEqualTo(first.get("key_id"));
            assertThat(second.get("channel_id")).isEqualTo(first.get("channel_id"));
            assertThat(second.get("channel")).isEqualTo("main");
        }
    }

    /** Starts a gateway on the test's database, serves one chat, and returns its usage row (the {@code rowsAfter}th). */
    private Map<String, Object> served(String yaml, int rowsAfter) throws Exception {
        return served(yaml, rowsAfter, "sqlite:" + dir.resolve("junction.db"));
    }

    private Map<String, Object> served(String yaml, int rowsAfter, String database) throws Exception {
        try (TestGateway gateway = TestGateway.start(yaml, dev.junction.core.Clock.system(), database)) {
            assertThat(gateway.post("/v1/chat/completions", Chat.body("chat", false)).statusCode()).isEqualTo(200);
            List<Map<String, Object>> rows = gateway.usageRows(rowsAfter);
            assertThat(rows).hasSize(rowsAfter);
            return rows.getLast();
        }
    }
}
