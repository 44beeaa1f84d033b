package dev.junction.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * A connection and the statements prepared on it, each prepared once and reused by every later
 * batch: SQLite parses a statement's text again at every prepare, which cost the writer about a
 * sixth of its CPU when each batch prepared its fifteen statements anew. The connection stays in
 * auto-commit between transactions ({@link #begin}): SQLite's driver opens the next transaction
 * (and, in IMMEDIATE mode, takes the write lock) as soon as one commits while auto-commit is off.
 * Closing closes the statements, then the connection.
 */
final class Statements implements AutoCloseable {

    private final Connection connection;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    Statements(Connection connection) {
        this.connection = connection;
    }

    /** Starts a transaction; {@link #end} ends it. */
    void begin() throws SQLException {
        connection.setAutoCommit(false);
    }

    /** Commits the transaction, or rolls it back when {@code commit} is false, and goes back to auto-commit. */
    void end(boolean commit) throws SQLException {
        try {
            if (commit) {
                connection.commit();
            } else {
                connection.rollback();
            }
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** The statement of {@code sql}, prepared at its first use. */
    PreparedStatement of(String sql) throws SQLException {
        PreparedStatement statement = prepared.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            prepared.put(sql, statement);
        }
        return statement;
    }

    Connection connection() {
        return connection;
    }

    @Override
    public void close() throws SQLException {
        try {
            for (PreparedStatement statement : prepared.values()) {
                statement.close();
            }
        } finally {
            connection.close();
        }
    }
}
