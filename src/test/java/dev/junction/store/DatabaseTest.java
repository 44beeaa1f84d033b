package dev.junction.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.junction.core.Attempt;
import dev.junction.core.EndReason;
import dev.junction.core.TokenUsage;
import dev.junction.governance.DeclaredKey;
import dev.junction.governance.KeyHasher;
import dev.junction.governance.KeyRing;
import dev.junction.governance.KeyStore;
import dev.junction.usage.UsageRecord;
import dev.junction.usage.UsageWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteOpenMode;

/** The store on real SQLite and real PostgreSQL (127.0.0.1:5432, database test). */
class DatabaseTest {

    @TempDir
    Path dir;

    @Test
    void sqliteMigratesInWalModeAndStoresKeysHashedAndUsage() throws Exception {
        try (Database db = Database.open("sqlite:" + dir.resolve("sub/j.db"))) {
            assertThat(db.dialect()).isEqualTo(Database.Dialect.SQLITE);
            String mode = db.jdbi().withHandle(h -> h.createQuery("PRAGMA journal_mode").mapTo(String.class).one());
            assertThat(mode).isEqualToIgnoringCase("wal");
            exerciseKeysAndUsage(db);
        }
        byte[] file = Files.readAllBytes(dir.resolve("sub/j.db"));
        assertThat(new String(file, StandardCharsets.ISO_8859_1)).doesNotContain("sk-laptop-secret-1");
    }

    /**
     * A pooled connection serves one thread at a time, so SQLite's per-connection mutex (locked at
     * every bound value and step) is left out; reading and writing from several threads at once
     * still works.
     */
    @Test
    void sqliteConnectionsOpenWithoutSQLitesOwnMutex() throws Exception {
        try (Database db = Database.open("sqlite:" + dir.resolve("nomutex.db"))) {
            String flags = db.dataSource().unwrap(HikariDataSource.class).getDataSourceProperties()
                    .getProperty("open_mode");
            assertThat(flags).isNotNull();
            assertThat(Integer.parseInt(flags) & SQLiteOpenMode.NOMUTEX.flag).isNotZero();
            assertThat(Integer.parseInt(flags) & SQLiteOpenMode.CREATE.flag).isNotZero();
            db.jdbi().useHandle(h -> h.execute("CREATE TABLE t (n INTEGER)"));
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 200; i++) {
                        db.jdbi().useHandle(h -> h.execute("INSERT INTO t VALUES (1)"));
                        db.jdbi().useHandle(h -> h.createQuery("SELECT COUNT(*) FROM t").mapTo(Long.class).one());
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            long rows = db.jdbi().withHandle(h -> h.createQuery("SELECT SUM(n) FROM t").mapTo(Long.class).one());
            assertThat(rows).isEqualTo(800L);
        }
    }

    /** SQLite runs in native code, which must not hold a request's (virtual) carrier thread. */
    @Test
    void workARequestWaitsForRunsOnAPlatformThread() throws Exception {
        try (Database db = Database.open("sqlite:" + dir.resolve("call.db"))) {
            var seen = new java.util.concurrent.atomic.AtomicReference<String>();
            Thread request = Thread.ofVirtual().start(() -> seen.set(db.call(jdbi -> jdbi.withHandle(
                    h -> h.createQuery("SELECT 'answer'").mapTo(String.class).one())
                    + " on " + (Thread.currentThread().isVirtual() ? "a virtual" : "a platform") + " thread")));
            request.join();
            assertThat(seen.get()).isEqualTo("answer on a platform thread");
            assertThatThrownBy(() -> db.call(jdbi -> jdbi.withHandle(h -> h.execute("SELECT * FROM missing"))))
                    .hasMessageContaining("missing");
        }
    }

    @Test
    void postgresqlMigratesAndStoresTheSameWay() throws Exception {
        String schema = "junction_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Database db = Database.open("postgresql://root@127.0.0.1:5432/test?currentSchema=" + schema)) {
            try {
                assertThat(db.dialect()).isEqualTo(Database.Dialect.POSTGRESQL);
                exerciseKeysAndUsage(db);
            } finally {
                db.jdbi().useHandle(h -> h.execute("DROP SCHEMA " + schema + " CASCADE"));
            }
        }
    }

    private static void exerciseKeysAndUsage(Database db) throws Exception {
        KeyHasher hasher = KeyHasher.withPepper(Secrets.of(new byte[32]).derive("gateway-key-pepper"));
        KeyStore keys = new KeyStore(db, hasher);
        keys.syncFromFile(List.of(new DeclaredKey("laptop", "sk-laptop-secret-1", List.of("gpt-*")),
                new DeclaredKey("phone", "sk-phone-secret-2", List.of("*"))), 1000);
        KeyRing ring = keys.ring();
        assertThat(ring.find("sk-laptop-secret-1")).hasValueSatisfying(k -> {
            assertThat(k.name()).isEqualTo("laptop");
            assertThat(k.hint()).isEqualTo("…et-1");
            assertThat(k.allows("gpt-4o")).isTrue();
            assertThat(k.allows("claude")).isFalse();
        });
        assertThat(ring.find("sk-laptop-secret-2")).isEmpty();
        List<Map<String, Object>> stored = db.jdbi().withHandle(h -> h.createQuery("SELECT * FROM gateway_keys")
                .mapToMap().list());
        assertThat(stored.toString()).doesNotContain("sk-laptop-secret-1").doesNotContain("sk-phone-secret-2");
        // Removing a key from the file revokes it on the next sync.
        keys.syncFromFile(List.of(new DeclaredKey("phone", "sk-phone-secret-2", List.of("*"))), 2000);
        assertThat(keys.ring().find("sk-laptop-secret-1")).isEmpty();
        assertThat(keys.ring().find("sk-phone-secret-2")).isPresent();

        try (UsageWriter writer = UsageWriter.start(db, 100)) {
            for (int i = 0; i < 250; i++) {
                writer.record(new UsageRecord("req_" + i, Instant.ofEpochMilli(1_700_000_000_000L + i), "phone",
                        "chat", "c1", "up", 200, new TokenUsage(i, 2, 7, 5, 1), 12, 3, i % 2 == 0,
                        List.of(new Attempt("c1", "…abcd", 200, "ok", 12)), EndReason.DONE));
                if (i % 50 == 0) {
                    assertThat(writer.flush(10, TimeUnit.SECONDS)).isTrue();
                }
            }
            assertThat(writer.flush(10, TimeUnit.SECONDS)).isTrue();
            long rows = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM usage").mapTo(Long.class).one());
            assertThat(rows + writer.dropped()).isEqualTo(250);
            long tokens = db.jdbi().withHandle(h -> h.createQuery("SELECT sum(prompt_tokens) FROM usage")
                    .mapTo(Long.class).one());
            assertThat(tokens).isPositive();
            // Every token count reaches its column, the details next to the totals.
            Map<String, Object> last = db.jdbi().withHandle(h -> h.createQuery("SELECT prompt_tokens, "
                    + "completion_tokens, cached_read_tokens, cache_write_tokens, reasoning_tokens FROM usage "
                    + "WHERE request_id = 'req_249'").mapToMap().one());
            assertThat(last).extractingByKeys("prompt_tokens", "completion_tokens", "cached_read_tokens",
                    "cache_write_tokens", "reasoning_tokens").map(v -> ((Number) v).longValue())
                    .containsExactly(249L, 2L, 7L, 5L, 1L);
        }
    }

    @Test
    void providerSecretsAreEncryptedAndBoundToTheirRow() {
        Secrets secrets = Secrets.of("a-master-key-of-at-least-32-chars!!".getBytes(StandardCharsets.UTF_8));
        String sealed = secrets.encrypt("sk-provider-123", "channels.api_key:7");
        assertThat(sealed).startsWith("v1:").doesNotContain("sk-provider");
        assertThat(secrets.encrypt("sk-provider-123", "channels.api_key:7")).isNotEqualTo(sealed);
        assertThat(secrets.decrypt(sealed, "channels.api_key:7")).isEqualTo("sk-provider-123");
        assertThatThrownBy(() -> secrets.decrypt(sealed, "channels.api_key:8"))
                .isInstanceOf(IllegalArgumentException.class);
        Secrets other = Secrets.of("another-master-key-of-32-chars-or-more".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> other.decrypt(sealed, "channels.api_key:7")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMasterKeyFileIsCreatedOnceWithOwnerOnlyPermissions() throws Exception {
        Secrets first = Secrets.load(dir, name -> null);
        Secrets second = Secrets.load(dir, name -> null);
        assertThat(second.derive("x")).isEqualTo(first.derive("x"));
        assertThat(Files.getPosixFilePermissions(dir.resolve("master.key")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
        Secrets fromEnv = Secrets.load(dir, name -> name.equals(Secrets.ENV) ? "x".repeat(40) : null);
        assertThat(fromEnv.derive("x")).isNotEqualTo(first.derive("x"));
    }
}
