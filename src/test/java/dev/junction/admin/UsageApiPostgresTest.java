package dev.junction.admin;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/** The stats API on PostgreSQL (127.0.0.1:5432, database test), each test in a fresh schema. */
class UsageApiPostgresTest extends UsageApiContract {

    private final String schema = "junction_stats_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @Override
    String databaseUrl() {
        return "postgresql://root@127.0.0.1:5432/test?currentSchema=" + schema;
    }

    @AfterEach
    void dropSchema() throws Exception {
        stop();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "root", "");
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
