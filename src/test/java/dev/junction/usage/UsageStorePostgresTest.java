package dev.junction.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.store.Database;
import dev.junction.testing.PostgresSchema;
import dev.junction.testing.TcpProxy;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The usage store on PostgreSQL (127.0.0.1:5432, database test), each test in a fresh schema. */
class UsageStorePostgresTest extends UsageStoreContract {

    @RegisterExtension
    final PostgresSchema postgres = new PostgresSchema("junction_usage");

    @Override
    String databaseUrl() {
        return postgres.url();
    }

    @Test
    void theWriterKeepsWritingWhenTheDatabaseDropsItsConnection() throws Exception {
        // The writer keeps one connection of its own between batches; one the server has closed
        // (a restart, an idle timeout) is replaced before the next batch, so no batch is lost to it.
        List<UsageRecord> rows = records(300, T0, DAY, 4);
        try (UsageWriter writer = UsageWriter.start(db, 1000)) {
            for (int i = 0; i < 100; i++) {
                writer.record(rows.get(i));
            }
            assertThat(writer.flush(30, TimeUnit.SECONDS)).isTrue();
            int killed = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(pg_terminate_backend(pid)) FROM"
                    + " pg_stat_activity WHERE application_name = :name AND datname = current_database()")
                    .bind("name", UsageWriter.THREAD_NAME).mapTo(Integer.class).one());
            assertThat(killed).isGreaterThanOrEqualTo(1);
            for (int i = 100; i < 300; i++) {
                writer.record(rows.get(i));
            }
            assertThat(writer.flush(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(sums("SELECT COUNT(*) FROM usage")).containsExactly(300L);
        assertThat(sums("SELECT SUM(requests) FROM usage_day")).containsExactly(300L);
    }

    @Test
    void theWriterKeepsEveryRecordThroughADatabaseOutage() throws Exception {
        // The writer reaches the database through a proxy the test cuts: every connection closed,
        // new ones refused, as while PostgreSQL restarts or fails over. Nothing may be lost.
        List<UsageRecord> rows = records(300, T0, DAY, 5);
        try (TcpProxy proxy = TcpProxy.to("127.0.0.1", 5432);
                Database through = Database.open(databaseUrl().replace("127.0.0.1:5432", "127.0.0.1:" + proxy.port()));
                UsageWriter writer = UsageWriter.start(through, 1000)) {
            for (int i = 0; i < 100; i++) {
                writer.record(rows.get(i));
            }
            assertThat(writer.flush(30, TimeUnit.SECONDS)).isTrue();
            proxy.cut();
            for (int i = 100; i < 300; i++) {
                writer.record(rows.get(i));
            }
            assertThat(writer.flush(1500, TimeUnit.MILLISECONDS)).as("nothing written while the database is away")
                    .isFalse();
            proxy.restore();
            assertThat(writer.flush(30, TimeUnit.SECONDS)).isTrue();
            assertThat(writer.dropped()).isZero();
        }
        assertThat(sums("SELECT COUNT(*), COUNT(DISTINCT request_id) FROM usage")).containsExactly(300L, 300L);
        assertThat(sums("SELECT SUM(requests) FROM usage_day")).containsExactly(300L);
    }

    @Override
    String sortStep() {
        return "Sort Key";
    }

    @Override
    String rollupIndex(String table) {
        return "Index (Only )?Scan using " + table + "_pkey|Bitmap Index Scan on " + table + "_pkey";
    }

    @Override
    String indexesSql() {
        return "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE tablename = 'usage' AND schemaname = current_schema()";
    }
}
