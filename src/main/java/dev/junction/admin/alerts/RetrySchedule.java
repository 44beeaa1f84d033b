package dev.junction.admin.alerts;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How long a failed webhook delivery waits before each retry, the same for the config file's and
 * the admin API's webhooks: {@code first} (the webhook's {@code backoff}, 1 s unless the file says
 * otherwise), doubling with each retry, never more than {@link #CAP}. A receiver that answered 429 or
 * 503 with {@code Retry-After} is not asked again sooner than it said, up to the cap. No jitter: one
 * webhook's retries are one receiver's, and tests check the waits exactly.
 *
 * @param first the wait before the first retry
 */
record RetrySchedule(Duration first) {

    /** The longest wait between two attempts, whatever the back-off or the receiver asks. */
    static final Duration CAP = Duration.ofSeconds(60);

    RetrySchedule {
        Objects.requireNonNull(first, "first");
        if (first.isNegative()) {
            throw new IllegalArgumentException("a back-off is never negative");
        }
    }

    /**
     * The wait before retry number {@code retry} (1 for the first).
     *
     * @param asked the receiver's {@code Retry-After}, when it sent one with a 429 or 503
     */
    Duration before(int retry, Optional<Duration> asked) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries count from 1");
        }
        Duration wait = first;
        for (int i = 1; i < retry && wait.compareTo(CAP) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        if (asked.isPresent() && asked.get().compareTo(wait) > 0) {
            wait = asked.get();
        }
        return wait.compareTo(CAP) > 0 ? CAP : wait;
    }
}
