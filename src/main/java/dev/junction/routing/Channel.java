package dev.junction.routing;

import dev.junction.config.ChannelConfig;
import dev.junction.state.Circuit;
import dev.junction.state.State;
import dev.junction.state.StateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * A channel in one routing snapshot: its stable id, its declaration and its keys. What routing
 * remembers about it — per-key rests and suspensions, the circuit, the health-check verdict —
 * lives in the shared {@link State} under the channel's id, so a new snapshot with the same id
 * carries on where this one left off. Provider keys are only ever shown by their last four
 * characters.
 */
public final class Channel {

    private final long id;
    private final ChannelConfig config;
    private final List<KeyState> keys;
    private final StateKey subject;
    private final State state;
    private final Outcomes outcomes;
    private final RandomGenerator random;
    private final AtomicInteger nextKey = new AtomicInteger();

    Channel(long id, ChannelConfig config, State state, Outcomes outcomes, RandomGenerator random) {
        this.id = id;
        this.config = Objects.requireNonNull(config, "config");
        this.subject = StateKey.channel(id);
        this.state = state;
        this.outcomes = outcomes;
        this.random = random;
        List<KeyState> states = new ArrayList<>();
        for (String secret : config.apiKeys()) {
            states.add(new KeyState(this, new ProviderKey(secret), state));
        }
        if (states.isEmpty()) {
            states.add(new KeyState(this, null, state));
        }
        this.keys = List.copyOf(states);
    }

    /** The stable id: the channel's identity in state and usage; the name is only its label. */
    public long id() {
        return id;
    }

    public ChannelConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    public List<KeyState> keys() {
        return keys;
    }

    StateKey subject() {
        return subject;
    }

    /** False while the channel's health check fails. */
    public boolean healthy() {
        return !state.suspensions().suspended(subject);
    }

    /** A usable key not in {@code exclude}, in this channel's rotation order; null when none is. */
    KeyState usableKey(Set<KeyState> exclude, Instant now) {
        return usableKey(exclude, "", now);
    }

    /** A key not in {@code exclude} usable for {@code upstreamModel}, in rotation order; null when none is. */
    KeyState usableKey(Set<KeyState> exclude, String upstreamModel, Instant now) {
        int count = keys.size();
        int start = config.keySelection() == ChannelConfig.KeySelection.RANDOM
                ? random.nextInt(count) : Math.floorMod(nextKey.getAndIncrement(), count);
        for (int i = 0; i < count; i++) {
            KeyState key = keys.get((start + i) % count);
            if (!exclude.contains(key) && key.usable(upstreamModel, now)) {
                return key;
            }
        }
        return null;
    }

    /** The not-excluded, not-disabled key that frees first; null when every key is excluded or disabled. */
    KeyState soonestKey(Set<KeyState> exclude) {
        return soonestKey(exclude, "");
    }

    /** Like {@link #soonestKey(Set)}, counting rests for {@code upstreamModel} too. */
    KeyState soonestKey(Set<KeyState> exclude, String upstreamModel) {
        KeyState best = null;
        Instant bestAt = null;
        for (KeyState key : keys) {
            if (!exclude.contains(key) && !key.disabled()) {
                Instant at = key.coolUntil(upstreamModel);
                if (best == null || at.isBefore(bestAt)) {
                    best = key;
                    bestAt = at;
                }
            }
        }
        return best;
    }

    boolean tryAcquire(Instant now) {
        return state.breakers().tryAcquire(subject, now);
    }

    /**
     * Takes a slot on the channel's circuit and on the circuit of {@code upstreamModel}: both must let
     * the request through.
     */
    boolean tryAcquire(String upstreamModel, Instant now) {
        if (!state.breakers().tryAcquire(subject, now)) {
            return false;
        }
        if (upstreamModel.isEmpty() || state.breakers().tryAcquire(subject.withModel(upstreamModel), now)) {
            return true;
        }
        state.breakers().release(subject);
        return false;
    }

    /** For a same-channel retry: whether the circuits still let a request to {@code upstreamModel} through. */
    public boolean tryAgain(String upstreamModel) {
        return tryAcquire(upstreamModel, outcomes.clock().now());
    }

    void force(Instant now) {
        state.breakers().force(subject, now);
    }

    void force(String upstreamModel, Instant now) {
        state.breakers().force(subject, now);
        if (!upstreamModel.isEmpty()) {
            state.breakers().force(subject.withModel(upstreamModel), now);
        }
    }

    Instant availableAt(Instant now) {
        return state.breakers().availableAt(subject, now);
    }

    /** When both the channel's circuit and {@code upstreamModel}'s let a request through. */
    Instant availableAt(String upstreamModel, Instant now) {
        Instant channel = state.breakers().availableAt(subject, now);
        if (upstreamModel.isEmpty()) {
            return channel;
        }
        Instant model = state.breakers().availableAt(subject.withModel(upstreamModel), now);
        return model.isAfter(channel) ? model : channel;
    }

    /** The distinct upstream models this channel serves, in declaration order. */
    public List<String> upstreamModels() {
        return List.copyOf(new java.util.LinkedHashSet<>(config.models().values()));
    }

    /**
     * The circuits due for an out-of-band probe, each claimed so that only one caller probes it: the
     * empty string stands for the channel's own circuit, any other entry for that upstream model's.
     */
    public List<String> probesDue() {
        Instant now = outcomes.clock().now();
        List<String> due = new ArrayList<>();
        if (state.breakers().claimProbe(subject, now)) {
            due.add("");
        }
        for (String model : upstreamModels()) {
            if (state.breakers().claimProbe(subject.withModel(model), now)) {
                due.add(model);
            }
        }
        return due;
    }

    /** An out-of-band probe's verdict on the channel's circuit ({@code upstreamModel} empty) or a model's. */
    public void probed(String upstreamModel, boolean passed) {
        outcomes.report(this, null, upstreamModel, new Outcome.Probed(passed));
    }

    /** The circuit of {@code upstreamModel} on this channel now. */
    public Circuit circuit(String upstreamModel) {
        return state.breakers().circuit(subject.withModel(upstreamModel), outcomes.clock().now());
    }

    /** The circuit's state now, for logs and the admin API. */
    public Circuit circuit() {
        return state.breakers().circuit(subject, outcomes.clock().now());
    }

    // --- outcomes, reported by the relay; each goes to the one sink, Outcomes ----------------------
    // The {@code now} arguments are kept for the callers' sake; the sink reads the routing clock's
    // wall time, which several instances can share.

    void report(KeyState key, Outcome outcome) {
        outcomes.report(this, key, outcome);
    }

    public void succeeded(KeyState key, long now) {
        report(key, Outcome.SUCCEEDED);
    }

    // --- the same, for one upstream model (what the relay reports) ----------------------------------

    public void succeeded(KeyState key, String upstreamModel) {
        outcomes.report(this, key, upstreamModel, Outcome.SUCCEEDED);
    }

    /** A 429: the key rests for {@code upstreamModel} only; its other models keep working. */
    public void rateLimited(KeyState key, String upstreamModel, Duration retryAfter) {
        outcomes.report(this, key, upstreamModel, new Outcome.RateLimited(retryAfter));
    }

    /**
     * The provider said the key has nothing left for {@code upstreamModel} until {@code until}
     * ({@code x-ratelimit-remaining-requests: 0} and the like): the key rests for that model until
     * then, so it is passed over before it is refused. Not a failure: the circuit is untouched.
     */
    public void exhausted(KeyState key, String upstreamModel, Instant until) {
        state.cooldowns().coolUntil(key.subject().withModel(upstreamModel), until);
    }

    public void keyRejected(KeyState key, String upstreamModel, String reason) {
        outcomes.report(this, key, upstreamModel, new Outcome.KeyRejected(reason));
    }

    /** A failure of {@code upstreamModel}, or with {@code connection} of the whole channel. */
    public void failed(String upstreamModel, boolean connection) {
        outcomes.report(this, null, upstreamModel, connection ? Outcome.CONNECTION_FAILED : Outcome.FAILED);
    }

    public void abandoned(String upstreamModel) {
        outcomes.report(this, null, upstreamModel, Outcome.ABANDONED);
    }

    /** A 429: the key rests for {@code retryAfter}, or the configured cooldown when the upstream gave none. */
    public void rateLimited(KeyState key, Duration retryAfter, long now) {
        report(key, new Outcome.RateLimited(retryAfter));
    }

    /** A 401/403: the provider refused the key; it is disabled until a probe succeeds. */
    public void keyRejected(KeyState key, String reason, long now) {
        report(key, new Outcome.KeyRejected(reason));
    }

    /** A failure of the channel itself (5xx, network, timeout, garbage): counts toward its breaker. */
    public void failed(long now) {
        report(null, Outcome.FAILED);
    }

    /** An attempt that ended without a verdict (the client left). */
    public void abandoned() {
        report(null, Outcome.ABANDONED);
    }

    /** Sets the health-check verdict (a failing one also counts toward the breaker). */
    public void healthy(boolean verdict, long now) {
        report(null, new Outcome.HealthChecked(verdict, ""));
    }

    /** Sets the health-check verdict with what the check saw, e.g. {@code HTTP 503}. */
    public void healthChecked(boolean verdict, String detail) {
        report(null, new Outcome.HealthChecked(verdict, detail));
    }

    @Override
    public String toString() {
        return "Channel[" + id + ":" + config.name() + "]";
    }
}
