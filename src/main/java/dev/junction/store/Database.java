package dev.junction.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteException;
import org.sqlite.SQLiteOpenMode;

/**
 * The gateway's database: embedded SQLite (WAL, one file) or PostgreSQL for several instances.
 * Opening it applies pending Flyway migrations, from {@code db/migration/<dialect>}.
 */
public final class Database implements AutoCloseable {

    /** The SQL flavour, which picks the migration folder. */
    public enum Dialect { SQLITE, POSTGRESQL }

    /** The advisory lock {@link #exclusively} takes on PostgreSQL ("junction" in ASCII). */
    private static final int OPEN_ATTEMPTS = 20;

    private static final long ADVISORY_LOCK = 0x6a756e6374696f6eL;

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final Jdbi jdbi;
    private final ExecutorService platformThreads = Executors.newFixedThreadPool(2,
            Thread.ofPlatform().name("junction-db-", 0).daemon(true).factory());

    /** Database work that a request waits for; see {@link #call}. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Jdbi jdbi);
    }

    private Database(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.jdbi = Jdbi.create(dataSource);
    }

    /**
     * Whether {@code e} (or a cause) says that the database could not be reached or was busy, worth
     * another try later, rather than that it refused what was asked.
     */
    public static boolean unreachable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientException || cause instanceof SQLRecoverableException
                    || cause instanceof IOException) {
                return true;
            }
            if (cause instanceof SQLiteException sqlite) {
                // busy, locked, an I/O error, the disk full
                int code = sqlite.getResultCode().code & 0xff;
                if (code == 5 || code == 6 || code == 10 || code == 13) {
                    return true;
                }
            } else if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                // PostgreSQL: connection exception, operator intervention (a shutdown), insufficient
                // resources, serialization failure, deadlock
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")
                        || state.equals("40001") || state.equals("40P01")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A connection of the caller's own, outside the pool, with the pool's settings (SQLite's
     * pragmas, PostgreSQL's credentials and batch rewriting); the caller closes it. For one
     * long-lived user, such as the usage writer, that keeps its prepared statements across
     * transactions: SQLite parses a statement again for each prepare, and the pool's
     * connections go back after each use. On PostgreSQL, {@code name} is the connection's
     * application name (in {@code pg_stat_activity}).
     */
    public Connection ownConnection(String name) throws SQLException {
        Properties properties = new Properties();
        properties.putAll(dataSource.getDataSourceProperties());
        if (dialect == Dialect.POSTGRESQL) {
            properties.setProperty("ApplicationName", name);
            properties.setProperty("socketTimeout", "30");
        }
        if (dataSource.getUsername() != null) {
            properties.setProperty("user", dataSource.getUsername());
        }
        if (dataSource.getPassword() != null) {
            properties.setProperty("password", dataSource.getPassword());
        }
        Driver driver = dialect == Dialect.SQLITE ? new org.sqlite.JDBC() : new org.postgresql.Driver();
        Connection connection = driver.connect(dataSource.getJdbcUrl(), properties);
        if (connection == null) {
            throw new SQLException("no driver for " + dataSource.getJdbcUrl());
        }
        return connection;
    }

    /**
     * Opens {@code sqlite:PATH} (creating its folder) or a {@code postgresql://user:pass@host:port/db}
     * URL, and migrates it.
     */
    public static Database open(String url) {
        Objects.requireNonNull(url, "url");
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("junction-db");
        Dialect dialect;
        if (url.startsWith("sqlite:")) {
            dialect = Dialect.SQLITE;
            Path file = sqlitePath(url);
            try {
                if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot create the database folder " + file.getParent() + ": "
                        + e.getMessage(), e);
            }
            hikari.setJdbcUrl("jdbc:sqlite:" + file);
            // Pragmas as driver properties: every pooled connection gets all of them.
            hikari.addDataSourceProperty("journal_mode", "WAL");
            hikari.addDataSourceProperty("synchronous", "NORMAL");
            hikari.addDataSourceProperty("busy_timeout", "10000");
            hikari.addDataSourceProperty("foreign_keys", "true");
            // Every transaction here writes: take the write lock at BEGIN, so a transaction waits
            // (busy_timeout) instead of failing when another connection or process wrote after it
            // started reading (SQLITE_BUSY_SNAPSHOT in WAL mode).
            hikari.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            // A connection is used by one thread at a time (the pool's rule, and the driver
            // serializes its calls anyway), so SQLite's own per-connection mutex is not needed: it
            // was locked and unlocked at every bound value and step, 0.5 µs of the usage writer's
            // CPU per row (bench/RESULTS.md).
            hikari.addDataSourceProperty("open_mode", String.valueOf(
                    SQLiteOpenMode.READWRITE.flag | SQLiteOpenMode.CREATE.flag | SQLiteOpenMode.NOMUTEX.flag));
            // SQLite has one writer at a time; a few connections serve concurrent readers.
            hikari.setMaximumPoolSize(4);
        } else {
            dialect = Dialect.POSTGRESQL;
            URI uri = URI.create(url);
            hikari.setJdbcUrl("jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                    + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            if (uri.getRawUserInfo() != null) {
                String[] user = uri.getRawUserInfo().split(":", 2);
                hikari.setUsername(URLDecoder.decode(user[0], StandardCharsets.UTF_8));
                if (user.length > 1) {
                    hikari.setPassword(URLDecoder.decode(user[1], StandardCharsets.UTF_8));
                }
            }
            // Batches (the usage writer's) go as multi-row INSERTs, up to 128 rows per statement,
            // instead of one statement per row: several times the rows per second.
            hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
            // A database that stops answering (a failover, a network that drops packets) is given
            // up on rather than waited for forever: connecting at most 5 s, a read at most 120 s
            // (the writer's own connection: 30 s); the URL's own settings win.
            hikari.addDataSourceProperty("connectTimeout", "5");
            hikari.addDataSourceProperty("socketTimeout", "120");
            hikari.addDataSourceProperty("tcpKeepAlive", "true");
            hikari.setMaximumPoolSize(8);
        }
        hikari.setMinimumIdle(1);
        // An admin call waits at most this long for a connection (the database away: 503, not a hang)
        hikari.setConnectionTimeout(5_000);
        for (int attempt = 1; ; attempt++) {
            HikariDataSource dataSource = null;
            try {
                dataSource = new HikariDataSource(hikari);
                Flyway.configure()
                        .dataSource(dataSource)
                        .locations("classpath:db/migration/" + dialect.name().toLowerCase(java.util.Locale.ROOT))
                        .load()
                        .migrate();
                return new Database(dataSource, dialect);
            } catch (RuntimeException e) {
                if (dataSource != null) {
                    dataSource.close();
                }
                // Processes opening one new SQLite file together meet its lock while one of them
                // switches it to WAL, before busy_timeout applies: wait and open again.
                if (dialect != Dialect.SQLITE || attempt >= OPEN_ATTEMPTS || !sqliteBusy(e)) {
                    throw e;
                }
                try {
                    Thread.sleep(50L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static boolean sqliteBusy(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains("SQLITE_BUSY")) {
                return true;
            }
        }
        return false;
    }

    /** The file of a {@code sqlite:PATH} URL. */
    public static Path sqlitePath(String url) {
        return Path.of(url.substring("sqlite:".length())).toAbsolutePath().normalize();
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /**
     * Runs {@code work} on one of the database's own platform threads and waits for it. Request
     * threads are virtual, and SQLite runs in native code, which would hold a virtual thread's
     * carrier for the whole statement; the waiting virtual thread just parks.
     */
    public <T> T call(Work<T> work) {
        Future<T> result = platformThreads.submit(() -> work.run(jdbi));
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the database", e);
        }
    }

    /**
     * Runs {@code work} in a transaction that no other instance's {@code exclusively} runs beside:
     * on PostgreSQL under a transaction-scoped advisory lock, on SQLite under its single write lock.
     * For start-up work that several instances sharing one database do at the same time, such as
     * recording the config file's entries.
     */
    public <T> T exclusively(HandleCallback<T, RuntimeException> work) {
        return jdbi.inTransaction(handle -> {
            if (dialect == Dialect.POSTGRESQL) {
                handle.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(:lock)) AS locked")
                        .bind("lock", ADVISORY_LOCK).mapTo(Integer.class).one();
            }
            return work.withHandle(handle);
        });
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Dialect dialect() {
        return dialect;
    }

    @Override
    public void close() {
        platformThreads.shutdown();
        dataSource.close();
    }
}
