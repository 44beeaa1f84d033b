package dev.junction.admin;

import dev.junction.testing.PostgresSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin API on PostgreSQL (127.0.0.1:5432, database test), each test in a fresh schema. */
class AdminApiPostgresTest extends AdminApiContract {

    @RegisterExtension
    final PostgresSchema postgres = new PostgresSchema("junction_test");

    @Override
    String databaseUrl() {
        return postgres.url();
    }
}
