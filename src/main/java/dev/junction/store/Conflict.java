package dev.junction.store;

import java.sql.SQLException;
import java.util.function.Supplier;
import org.jdbi.v3.core.JdbiException;

/**
 * A write that broke a uniqueness rule of the schema (a name taken, the set-up already done). The
 * caller knows which field that was and tells its client; this carries no row data.
 */
public final class Conflict extends RuntimeException {

    private static final long serialVersionUID = 1L;

    Conflict(Throwable cause) {
        super("a unique value is already taken", cause);
    }

    /** Runs a write, turning a unique-constraint failure of either database into {@link Conflict}. */
    public static <T> T guard(Supplier<T> write) {
        try {
            return write.get();
        } catch (JdbiException e) {
            if (isUniqueViolation(e)) {
                throw new Conflict(e);
            }
            throw e;
        }
    }

    static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                // PostgreSQL: SQLSTATE 23505; SQLite: "[SQLITE_CONSTRAINT_UNIQUE] ... UNIQUE constraint failed".
                if ("23505".equals(sql.getSQLState()) || String.valueOf(sql.getMessage())
                        .contains("UNIQUE constraint failed")) {
                    return true;
                }
            }
        }
        return false;
    }
}
