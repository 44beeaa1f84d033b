package dev.junction.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.JsonTree;
import dev.junction.testing.PostgresSchema;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Stored Responses answers, on SQLite and PostgreSQL: found while fresh, gone after the retention period. */
class ResponseStoreTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void keepsAnswersForTheRetentionPeriodThenPrunesThem(String kind) throws Exception {
        try (PostgresSchema schema = new PostgresSchema();
                Database database = Database.open(kind.equals("sqlite") ? "sqlite:" + dir.resolve("j.db")
                        : schema.url())) {
            ResponseStore store = new ResponseStore(database, Duration.ofHours(1));
            long now = 1_000_000_000L;
            store.save(new ResponseStore.Stored("resp_old", now, "m", "[]", "{\"id\":\"resp_old\"}"), now);
            store.save(new ResponseStore.Stored("resp_new", now + 3_000_000, "m", "[1]", "{}"), now + 3_000_000);

            assertThat(store.find("resp_old", now + 1_000)).hasValueSatisfying(s -> assertThat(
                    JsonTree.of(s.response())).isEqualTo(JsonTree.of("{\"id\":\"resp_old\"}")));
            assertThat(store.find("resp_old", now + 3_700_000)).as("expired").isEmpty();
            assertThat(store.prune(now + 3_700_000)).isEqualTo(1);
            assertThat(store.find("resp_new", now + 3_700_000)).hasValueSatisfying(s -> assertThat(
                    JsonTree.of(s.input())).isEqualTo(JsonTree.of("[1]")));
            assertThat(store.find("resp_missing", now)).isEmpty();
        }
    }
}
