package dev.junction.admin;

/** Versions and baselines on SQLite. */
class BaselinesSqliteTest extends BaselinesContract {

    @Override
    String databaseUrl() {
        return "sqlite:" + dir.resolve("junction.db");
    }
}
