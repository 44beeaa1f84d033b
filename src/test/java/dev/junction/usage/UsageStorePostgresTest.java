package dev.junction.usage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/** The usage store on PostgreSQL (127.0.0.1:5432, database test), each test in a fresh schema. */
class UsageStorePostgresTest extends UsageStoreContract {

    private final String schema = "junction_usage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @Override
    String databaseUrl() {
        return "postgresql://root@127.0.0.1:5432/test?currentSchema=" + schema;
    }

    @AfterEach
    void dropSchema() {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "root", "");
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
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
