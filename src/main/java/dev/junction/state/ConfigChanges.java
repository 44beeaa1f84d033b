package dev.junction.state;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * "The routing config is now at version N": announced by the instance that made a change (API,
 * dashboard, file reload) and heard by every other instance, which then reloads that version from
 * the database. With Redis the announcement is a pub/sub message; alone, there is no one to tell.
 * Announcements can be missed (Redis down, a reconnect), so listeners also check the database's
 * version now and then.
 */
public interface ConfigChanges {

    /** Tells the other instances that the config is now at {@code version}. */
    void announce(long version);

    /** Calls {@code listener} with each version another instance announces; closing stops it. */
    AutoCloseable subscribe(LongConsumer listener);

    /** For one instance: announcements go nowhere. */
    static ConfigChanges none() {
        return new ConfigChanges() {
            @Override
            public void announce(long version) {
            }

            @Override
            public AutoCloseable subscribe(LongConsumer listener) {
                return () -> {
                };
            }
        };
    }

    /** Announcements over Redis. */
    final class Redis implements ConfigChanges {

        private final RedisLink link;
        private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();

        Redis(RedisLink link) {
            this.link = link;
            link.on("config", fields -> {
                long version = Long.parseLong(fields.get(0));
                listeners.forEach(l -> l.accept(version));
            });
        }

        @Override
        public void announce(long version) {
            link.call(jedis -> jedis.publish(link.events(), link.message("config", Long.toString(version))), () -> 0L);
        }

        @Override
        public AutoCloseable subscribe(LongConsumer listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    }
}
