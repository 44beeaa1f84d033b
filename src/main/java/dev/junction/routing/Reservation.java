package dev.junction.routing;

import dev.junction.core.TokenUsage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one attempt took from its channel's limits (a request, its estimated tokens and cost, a
 * slot in flight), given back or settled with the real counts when the attempt ends. Settling
 * twice does nothing.
 */
public final class Reservation {

    static final Reservation NONE = new Reservation(null, null, 0, 0, null, ModelTraits.ASSUMED);

    private final ChannelQuota quota;
    private final ChannelLoad load;
    private final long tokens;
    private final long micros;
    private final ChannelQuota.Windows windows;
    private final ModelTraits traits;
    private final AtomicBoolean settled = new AtomicBoolean();

    Reservation(ChannelQuota quota, ChannelLoad load, long tokens, long micros, ChannelQuota.Windows windows,
            ModelTraits traits) {
        this.quota = quota;
        this.load = load;
        this.tokens = tokens;
        this.micros = micros;
        this.windows = windows;
        this.traits = traits;
    }

    /** The attempt ended with {@code usage} (NONE when the upstream served nothing). */
    public void settle(TokenUsage usage) {
        if (this == NONE || !settled.compareAndSet(false, true)) {
            return;
        }
        if (load != null) {
            load.inFlight.decrementAndGet();
        }
        if (quota != null) {
            quota.settle(this, usage == null ? TokenUsage.NONE : usage);
        }
    }

    /** The attempt was never sent: everything it took is given back, the request too. */
    void cancel() {
        if (this == NONE || !settled.compareAndSet(false, true)) {
            return;
        }
        if (load != null) {
            load.inFlight.decrementAndGet();
        }
        if (quota != null) {
            quota.cancel(this);
        }
    }

    long tokens() {
        return tokens;
    }

    long micros() {
        return micros;
    }

    /** The real cost of {@code usage} on the reserved model, in micro-dollars. */
    long cost(TokenUsage usage) {
        return traits.cost(usage.input(), usage.output());
    }

    ChannelQuota.Windows windows() {
        return windows;
    }
}
