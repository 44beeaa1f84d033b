package dev.junction.ingress;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;

/**
 * {@link LimitsHttpTest} on PostgreSQL (127.0.0.1:5432, database test, a schema of its own): rpm 5 on
 * every client API in its own 429 shape, 50 requests racing a budget that fits 10, concurrency, tpm,
 * and a budget's period, with the spend seeded from and written to PostgreSQL.
 */
class LimitsHttpPostgresTest extends LimitsHttpTest {

    private final String schema = "junction_lim_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @Override
    String databaseUrl() {
        return "postgresql://root@127.0.0.1:5432/test?currentSchema=" + schema;
    }

    /** Stops the gateway, then drops the schema. */
    @AfterAll
    @Override
    void stop() throws Exception {
        super.stop();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "root", "");
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
