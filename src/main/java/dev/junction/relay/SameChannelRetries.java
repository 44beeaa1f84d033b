package dev.junction.relay;

import dev.junction.core.Clock;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.routing.Channel;
import dev.junction.routing.Pick;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A channel's {@code retries:}: after a failure another channel might fix, the same channel and key
 * are tried again up to that many times, after the upstream's Retry-After or else a short doubling
 * backoff. A wait longer than {@code failover.max_retry_wait}, a wait past the request deadline, or an
 * open circuit moves on to the next channel instead. One per request.
 */
final class SameChannelRetries {

    static final Duration FIRST_BACKOFF = Duration.ofMillis(250);

    private final Clock clock;
    private final Duration maxWait;
    private final int maxAttempts;
    private Channel channel;
    private int used;

    SameChannelRetries(Clock clock, Duration maxWait, int maxAttempts) {
        this.clock = clock;
        this.maxWait = maxWait;
        this.maxAttempts = maxAttempts;
    }

    /** The pick to try again after waiting for it, or null to move on to the next channel. */
    Pick next(Relay.Call call, Pick pick, Relay.Failed failed) throws ClientGoneException {
        if (pick.channel() != channel) {
            channel = pick.channel();
            used = 0;
        }
        if (used >= channel.config().retries() || !retryable(failed.failure())
                || call.attempts.size() >= maxAttempts) {
            return null;
        }
        Duration wait = failed.retryAfter() != null ? failed.retryAfter()
                : Relay.min(FIRST_BACKOFF.multipliedBy(1L << Math.min(used, 10)), maxWait);
        if (wait.compareTo(maxWait) > 0 || clock.nanoTime() + wait.toNanos() >= call.deadline) {
            return null;
        }
        used++;
        pause(call, wait);
        return channel.tryAgain(pick.candidate().upstreamModel()) ? pick : null;
    }

    private static boolean retryable(Failure failure) {
        return switch (failure) {
            case RATE_LIMITED, SERVER_ERROR, NETWORK, TIMEOUT, INVALID_RESPONSE -> true;
            case KEY_REJECTED, CANNOT_SERVE -> false;
        };
    }

    /** Waits, ending early (as the client leaving) when the client goes away. */
    static void pause(Relay.Call call, Duration wait) throws ClientGoneException {
        CountDownLatch gone = new CountDownLatch(1);
        call.cancel.onCancel(gone::countDown);
        try {
            if (gone.await(wait.toNanos(), TimeUnit.NANOSECONDS) || call.cancel.cancelled()) {
                throw new ClientGoneException(new IllegalStateException("the client left during a retry wait"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientGoneException(e);
        }
    }
}
