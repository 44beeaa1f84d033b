package dev.junction.usage;

import dev.junction.testing.PostgresSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The usage store on PostgreSQL (127.0.0.1:5432, database test), each test in a fresh schema. */
class UsageStorePostgresTest extends UsageStoreContract {

    @RegisterExtension
    final PostgresSchema postgres = new PostgresSchema("junction_usage");

    @Override
    String databaseUrl() {
        return postgres.url();
    }

    @Override
    String sortStep() {
        return "Sort Key";
    }

    @Override
    String rollupIndex(String table) {
        return "Index (Only )?Scan using " + table + "_pkey|Bitmap Index Scan on " + table + "_pkey";
    }
}
