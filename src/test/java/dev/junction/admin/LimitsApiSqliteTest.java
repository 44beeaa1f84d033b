package dev.junction.admin;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The limits API and enforcement on SQLite. */
class LimitsApiSqliteTest extends LimitsApiContract {

    @TempDir
    Path dir;

    @Override
    String databaseUrl() {
        return "sqlite:" + dir.resolve("junction.db");
    }
}
