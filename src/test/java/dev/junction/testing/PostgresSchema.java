package dev.junction.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh schema of the machine's PostgreSQL (127.0.0.1:5432, database {@code test}, user root,
 * trust) for each test, dropped after it. Register it as a field:
 *
 * <pre>
 * &#64;RegisterExtension
 * final PostgresSchema postgres = new PostgresSchema("junction_test");
 * </pre>
 *
 * Or hold one in try-with-resources ({@link #close()} drops it).
 *
 * The schema is dropped after the test's own {@code @AfterEach} methods have run (JUnit calls an
 * extension's after-each callback after them), so a gateway they stop has let go of it by then.
 */
public final class PostgresSchema implements AfterEachCallback, AutoCloseable {

    private static final String SERVER = "127.0.0.1:5432/test";

    private final String schema;

    /** A schema named {@code junction_test} and 12 random hex digits. */
    public PostgresSchema() {
        this("junction_test");
    }

    /** A schema named {@code prefix} and 12 random hex digits. */
    public PostgresSchema(String prefix) {
        this.schema = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** The schema's name. */
    public String schema() {
        return schema;
    }

    /** The database URL a gateway's {@code database:} takes: {@code postgresql://…?currentSchema=…}. */
    public String url() {
        return "postgresql://root@" + SERVER + "?currentSchema=" + schema;
    }

    /** Drops the schema and all in it (also when it was never made). */
    public void drop() {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + SERVER, "root", "");
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop schema " + schema, e);
        }
    }

    /** Drops the schema: for a test that holds one in try-with-resources. */
    @Override
    public void close() {
        drop();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        drop();
    }
}
