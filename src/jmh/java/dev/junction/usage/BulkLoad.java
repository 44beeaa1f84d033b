package dev.junction.usage;

import dev.junction.store.Database;
import java.sql.SQLException;
import java.util.List;

/**
 * The usage writer's transaction (raw rows and every rollup) for a caller that has its rows
 * already, in batches as large as it likes: how the usage benchmark fills a database with millions
 * of rows faster than the queue-fed writer thread would, with the same rows and rollups.
 */
public final class BulkLoad {

    private BulkLoad() {
    }

    public static void write(Database database, List<UsageRecord> batch) throws SQLException {
        UsageWriter.write(database, batch);
    }
}
