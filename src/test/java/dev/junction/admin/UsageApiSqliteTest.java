package dev.junction.admin;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The stats API on SQLite. */
class UsageApiSqliteTest extends UsageApiContract {

    @TempDir
    Path dir;

    @Override
    String databaseUrl() {
        return "sqlite:" + dir.resolve("junction.db");
    }
}
