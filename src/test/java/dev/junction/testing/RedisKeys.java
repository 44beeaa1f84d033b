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

    /** Deletes every key starting with {@code prefix}: what a test left, or what a Redis that lost its data lacks. */
    public static void deleteAll(String prefix) {
        try (Jedis jedis = new Jedis("127.0.0.1", 6379)) {
            list(jedis, prefix).forEach(jedis::del);
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
