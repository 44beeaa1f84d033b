package dev.junction.state;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * "Limits, budgets or team membership changed": announced by the instance whose admin API made the
 * change and heard by every other instance, which reads its limits and budgets again at once
 * (rather than at its next periodic reload). Limits are not part of the routing-config version,
 * so {@link ConfigChanges} does not carry them. With Redis the announcement is a pub/sub message;
 * alone, there is no one to tell.
 */
public interface QuotaChanges {

    /** Tells the other instances that limits, budgets or team membership changed. */
    void announce();

    /** Calls {@code listener} each time another instance announces a change; closing stops it. */
    AutoCloseable subscribe(Runnable listener);

    /** For one instance: announcements go nowhere. */
    static QuotaChanges none() {
        return new QuotaChanges() {
            @Override
            public void announce() {
            }

            @Override
            public AutoCloseable subscribe(Runnable listener) {
                return () -> {
                };
            }
        };
    }

    /** Announcements over Redis. */
    final class Redis implements QuotaChanges {

        private final RedisLink link;
        private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

        Redis(RedisLink link) {
            this.link = link;
            link.on("quotas", fields -> listeners.forEach(Runnable::run));
        }

        @Override
        public void announce() {
            link.call(jedis -> jedis.publish(link.events(), link.message("quotas")), () -> 0L);
        }

        @Override
        public AutoCloseable subscribe(Runnable listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    }
}
