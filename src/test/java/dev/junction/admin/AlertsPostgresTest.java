package dev.junction.admin;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/** {@link AlertsHttpTest} on PostgreSQL (127.0.0.1:5432, database test), each test in a fresh schema. */
class AlertsPostgresTest extends AlertsHttpTest {

    private final String schema = "junction_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @Override
    String databaseUrl() {
        return "postgresql://root@127.0.0.1:5432/test?currentSchema=" + schema;
    }

    /** Stops the gateway, then drops the test's schema. */
    @AfterEach
    @Override
    void stop() throws Exception {
        super.stop();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "root", "");
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
