package dev.junction.testing;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The machine's Redis (127.0.0.1:6379), as tests that share it by key prefix clean up after themselves. */
public final class RedisKeys {

    private RedisKeys() {
    }

    /**
     * Deletes every key starting with {@code prefix}, in one command: what a test left, or what a
     * Redis that lost its data lacks. One key at a time, a heartbeat could find the marker gone and
     * put the budgets' spend back before the spend's own key was deleted, as no real loss would.
     */
    public static void deleteAll(String prefix) {
        try (Jedis jedis = new Jedis("127.0.0.1", 6379)) {
            List<String> keys = list(jedis, prefix);
            if (!keys.isEmpty()) {
                jedis.del(keys.toArray(String[]::new));
            }
        }
    }

    /** Every key starting with {@code prefix}, found with SCAN (never KEYS, which blocks Redis). */
    public static List<String> list(Jedis jedis, String prefix) {
        List<String> keys = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(prefix + "*").count(1000));
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return keys;
    }
}
