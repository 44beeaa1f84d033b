package dev.junction.state;

import dev.junction.core.Clock;
import dev.junction.testing.RedisKeys;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/** {@link BreakerRecoveryTest}'s probes, backoff and half-open steps on the Redis breakers' scripts. */
class RedisBreakerRecoveryTest extends BreakerRecoveryTest {

    /** Set by {@link #newBreakers}, which runs before this class's initializers. */
    String prefix;
    SharedState shared;

    @Override
    Breakers newBreakers() {
        prefix = "junction-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        shared = SharedState.connect(RedisStateTest.REDIS + "?prefix=" + prefix + "&timeout_ms=1000", Clock.system());
        return shared.state().breakers();
    }

    @AfterEach
    void cleanUp() {
        shared.close();
        RedisKeys.deleteAll(prefix);
    }
}
