package dev.junction.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.core.EndReason;
import dev.junction.core.TokenUsage;
import dev.junction.governance.DeclaredKey;
import dev.junction.governance.GatewayKey;
import dev.junction.governance.KeyHasher;
import dev.junction.governance.KeyStore;
import dev.junction.usage.UsageRecord;
import dev.junction.usage.UsageWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateway keys and channels keep their ids: across restarts, across instances starting together on
 * one database, and across renames; the name is only a label. On real SQLite and PostgreSQL.
 */
class StableIdsTest {

    private static final int INSTANCES = 12;
    private static final KeyHasher HASHER = KeyHasher.withPepper(Secrets.of(new byte[32]).derive("gateway-key-pepper"));
    private static final List<DeclaredKey> KEYS = List.of(
            new DeclaredKey("laptop", "sk-laptop-secret-1", List.of("*")),
            new DeclaredKey("phone", "sk-phone-secret-2", List.of("gpt-*")));
    private static final List<ChannelStore.FileChannel> CHANNELS = List.of(
            new ChannelStore.FileChannel("zhipu", "openai", "https://open.bigmodel.cn/api/paas/v4"),
            new ChannelStore.FileChannel("claude", "anthropic", "https://api.anthropic.com"));

    @TempDir
    Path dir;

    /** What one instance's start-up records: its key ids by name and its channel ids by name. */
    private record Ids(Map<String, Long> keys, Map<String, Long> channels) {
    }

    private static Ids start(Database db, long now) {
        KeyStore keys = new KeyStore(db, HASHER);
        keys.syncFromFile(KEYS, now);
        Map<String, Long> keyIds = new java.util.TreeMap<>();
        for (DeclaredKey key : KEYS) {
            GatewayKey found = keys.ring().find(key.secret()).orElseThrow();
            keyIds.put(found.name(), found.id());
        }
        return new Ids(keyIds, new ChannelStore(db).syncFromFile(CHANNELS, now));
    }

    @Test
    void twelveInstancesStartingTogetherOnOnePostgresqlSchemaAllSucceedAndAgreeOnTheIds() throws Exception {
        String url = postgresUrl();
        try {
            startTogetherAndRestart(url);
        } finally {
            dropSchema(url);
        }
    }

    @Test
    void twelveInstancesStartingTogetherOnOneSqliteFileAllSucceedAndAgreeOnTheIds() throws Exception {
        startTogetherAndRestart("sqlite:" + dir.resolve("shared.db"));
    }

    private static void startTogetherAndRestart(String url) throws Exception {
        CyclicBarrier together = new CyclicBarrier(INSTANCES);
        List<Ids> seen = new ArrayList<>();
        try (ExecutorService instances = Executors.newFixedThreadPool(INSTANCES)) {
            List<Future<Ids>> starts = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                long now = 1_000 + i;
                starts.add(instances.submit(() -> {
                    together.await();
                    try (Database db = Database.open(url)) {
                        return start(db, now);
                    }
                }));
            }
            for (Future<Ids> start : starts) {
                seen.add(start.get(120, TimeUnit.SECONDS)); // throws if any instance failed
            }
        }
        assertThat(seen).hasSize(INSTANCES).allSatisfy(ids -> assertThat(ids).isEqualTo(seen.getFirst()));
        assertThat(seen.getFirst().keys()).containsOnlyKeys("laptop", "phone");
        assertThat(seen.getFirst().channels()).containsOnlyKeys("zhipu", "claude");
        try (Database db = Database.open(url)) {
            assertThat(start(db, 9_000)).as("after a restart").isEqualTo(seen.getFirst());
            assertThat(count(db, "gateway_keys")).isEqualTo(2);
            assertThat(count(db, "channels")).isEqualTo(2);
        }
    }

    @Test
    void aKeyLeavingTheFileIsRevokedAndComesBackWithItsIdWhichIsNeverReused() throws Exception {
        onBothDatabases(db -> {
            KeyStore keys = new KeyStore(db, HASHER);
            Ids before = start(db, 1_000);
            keys.syncFromFile(List.of(KEYS.get(1)), 2_000);
            assertThat(keys.ring().find("sk-laptop-secret-1")).as("revoked").isEmpty();
            assertThat(keys.ring().find("sk-phone-secret-2")).isPresent();
            keys.syncFromFile(List.of(KEYS.get(1), new DeclaredKey("tablet", "sk-tablet-secret-3", List.of("*"))),
                    3_000);
            long tablet = keys.ring().find("sk-tablet-secret-3").orElseThrow().id();
            assertThat(tablet).isNotIn(before.keys().values());
            // Back in the file, with a new secret: the same entry, the same id.
            keys.syncFromFile(List.of(new DeclaredKey("laptop", "sk-laptop-secret-new", List.of("*")), KEYS.get(1)),
                    4_000);
            assertThat(keys.ring().find("sk-laptop-secret-new").orElseThrow().id())
                    .isEqualTo(before.keys().get("laptop"));
            assertThat(keys.ring().find("sk-laptop-secret-1")).isEmpty();
            assertThat(keys.ring().find("sk-tablet-secret-3")).isEmpty();
            // A channel that leaves and comes back keeps its id too.
            ChannelStore channels = new ChannelStore(db);
            assertThat(channels.syncFromFile(List.of(CHANNELS.get(1)), 5_000)).containsOnlyKeys("claude");
            assertThat(channels.syncFromFile(CHANNELS, 6_000)).isEqualTo(before.channels());
        });
    }

    @Test
    void aRenamedDashboardKeyKeepsItsHistoryWhileFileKeysAreReadOnly() throws Exception {
        onBothDatabases(db -> {
            KeyStore keys = new KeyStore(db, HASHER);
            start(db, 1_000);
            db.jdbi().useHandle(h -> h.createUpdate("""
                    INSERT INTO gateway_keys (source, name, key_hash, key_hint, models, created_at, updated_at)
                    VALUES ('admin', 'alice', :hash, '…ce-1', '["*"]', 1, 1)""")
                    .bind("hash", HASHER.hash("sk-alice-1")).execute());
            GatewayKey alice = keys.ring().find("sk-alice-1").orElseThrow();
            try (UsageWriter writer = UsageWriter.start(db, 100)) {
                for (int i = 0; i < 3; i++) {
                    writer.record(new UsageRecord("req_" + i, Instant.ofEpochMilli(10_000 + i), alice.name(), "chat",
                            "zhipu", "glm", 200, new TokenUsage(5, 7, 0, 0, 0), 12, 3, false, List.of(), EndReason.DONE, alice.id(),
                            4L));
                }
                assertThat(writer.flush(10, TimeUnit.SECONDS)).isTrue();
            }
            keys.rename(alice.id(), "alice-laptop", 2_000);
            GatewayKey renamed = keys.ring().find("sk-alice-1").orElseThrow();
            assertThat(renamed.name()).isEqualTo("alice-laptop");
            assertThat(renamed.id()).isEqualTo(alice.id());
            long history = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM usage WHERE key_id = :id").bind("id", renamed.id()).mapTo(Long.class).one());
            assertThat(history).isEqualTo(3);
            // A dashboard entry may share a file entry's name: names are labels.
            keys.rename(alice.id(), "laptop", 3_000);
            assertThat(keys.ring().find("sk-alice-1").orElseThrow().id()).isEqualTo(alice.id());
            long fileKey = keys.ring().find("sk-laptop-secret-1").orElseThrow().id();
            assertThatThrownBy(() -> keys.rename(fileKey, "other", 4_000)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("read-only");
        });
    }

    @Test
    void keysWrittenBeforeStableIdsKeepTheirIdsAndBecomeFileEntries() throws Exception {
        onBothUrls(url -> {
            // A database at V2, as the previous release left it.
            try (var pool = new com.zaxxer.hikari.HikariDataSource(hikari(url))) {
                Flyway.configure().dataSource(pool).target("2").locations("classpath:db/migration/"
                        + (url.startsWith("sqlite:") ? "sqlite" : "postgresql")).load().migrate();
                try (var c = pool.getConnection(); var s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO gateway_keys (id, name, key_hash, key_hint, models, source, created_at)"
                            + " VALUES (41, 'laptop', '" + HASHER.hash("sk-laptop-secret-1") + "', '…et-1', '[\"*\"]',"
                            + " 'config', 5)");
                }
            }
            try (Database db = Database.open(url)) {
                assertThat(start(db, 1_000).keys()).containsEntry("laptop", 41L);
                String source = db.jdbi().withHandle(h -> h.createQuery("SELECT source FROM gateway_keys WHERE id = 41")
                        .mapTo(String.class).one());
                assertThat(source).isEqualTo("file");
            }
        });
    }

    // --- helpers ------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Check<T> {
        void accept(T value) throws Exception;
    }

    private void onBothDatabases(Check<Database> check) throws Exception {
        onBothUrls(url -> {
            try (Database db = Database.open(url)) {
                check.accept(db);
            }
        });
    }

    private void onBothUrls(Check<String> check) throws Exception {
        check.accept("sqlite:" + dir.resolve(UUID.randomUUID() + ".db"));
        String url = postgresUrl();
        try {
            check.accept(url);
        } finally {
            dropSchema(url);
        }
    }

    private static String postgresUrl() {
        return "postgresql://root@127.0.0.1:5432/test?currentSchema=junction_test_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static com.zaxxer.hikari.HikariConfig hikari(String url) {
        var config = new com.zaxxer.hikari.HikariConfig();
        if (url.startsWith("sqlite:")) {
            config.setJdbcUrl("jdbc:sqlite:" + Database.sqlitePath(url));
        } else {
            config.setJdbcUrl("jdbc:" + url.replace("root@", ""));
            config.setUsername("root");
        }
        config.setMaximumPoolSize(2);
        return config;
    }

    private static void dropSchema(String url) {
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        try (var pool = new com.zaxxer.hikari.HikariDataSource(hikari(url));
                var c = pool.getConnection(); var s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(Database db, String table) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
    }
}
