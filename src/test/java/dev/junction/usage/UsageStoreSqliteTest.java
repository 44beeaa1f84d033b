package dev.junction.usage;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The usage store on SQLite. */
class UsageStoreSqliteTest extends UsageStoreContract {

    @TempDir
    Path dir;

    @Override
    String databaseUrl() {
        return "sqlite:" + dir.resolve("junction.db");
    }

    @Override
    String sortStep() {
        return "USE TEMP B-TREE FOR ORDER BY";
    }

    @Override
    String rollupIndex(String table) {
        return "SEARCH " + table + " USING (INDEX|PRIMARY KEY|COVERING INDEX) .*\\(bucket>\\? AND bucket<\\?\\)";
    }

    @Override
    String indexesSql() {
        return "SELECT name || ' ' || sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'usage'";
    }
}
