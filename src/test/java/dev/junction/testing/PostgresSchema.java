package dev.junction.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A schema of one test's own on the machine's PostgreSQL (127.0.0.1:5432, database {@code test}),
 * named with a random suffix, dropped with everything in it on {@link #close()}.
 */
public final class PostgresSchema implements AutoCloseable {

    private final String name = "junction_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    /** The gateway's {@code database:} URL for the schema (created by the first migration). */
    public String url() {
        return "postgresql://root@127.0.0.1:5432/test?currentSchema=" + name;
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "root", "");
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }
}
