package dev.junction.routing;

import dev.junction.config.FailoverConfig;
import dev.junction.core.Clock;
import dev.junction.state.BreakerPolicy;
import dev.junction.state.State;
import dev.junction.state.StateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The one place where what happened on an attempt becomes routing state: key rests, suspensions,
 * circuit transitions. The relay reports through {@link Channel}'s outcome methods, the health
 * prober through {@link Channel#healthy(boolean, long)} and {@link KeyState#enable()}; all of them
 * land in {@link #report}. Times come from the routing clock's wall time, so that state can be
 * shared by several instances.
 */
final class Outcomes {

    private final State state;
    private final FailoverConfig failover;
    private final BreakerPolicy policy;
    private final Clock clock;

    Outcomes(State state, FailoverConfig failover, Clock clock) {
        this.state = Objects.requireNonNull(state, "state");
        this.failover = Objects.requireNonNull(failover, "failover");
        this.clock = Objects.requireNonNull(clock, "clock");
        var breaker = failover.breaker();
        this.policy = new BreakerPolicy(breaker.consecutiveFailures(), breaker.failureRate(), breaker.minRequests(),
                breaker.window(), breaker.openFor(), breaker.probeEvery(), breaker.probeMax(),
                breaker.halfOpenRequests());
    }

    /**
     * Applies {@code outcome} of an attempt on {@code channel} with {@code key} (null for a
     * channel-wide outcome such as a health check).
     */
    public void report(Channel channel, KeyState key, Outcome outcome) {
        report(channel, key, "", outcome);
    }

    /**
     * Applies {@code outcome} of an attempt on {@code channel}'s {@code upstreamModel} (empty: the
     * channel as a whole). A rate limit rests the key for that model only (providers limit per
     * model); a failure counts toward that model's circuit, a connection-level failure toward the
     * channel's; a success proves both.
     */
    public void report(Channel channel, KeyState key, String upstreamModel, Outcome outcome) {
        Instant now = clock.now();
        StateKey subject = channel.subject();
        StateKey model = subject.withModel(upstreamModel);
        switch (outcome) {
            case Outcome.Succeeded s -> {
                if (!upstreamModel.isEmpty()) {
                    state.breakers().record(model, false, policy, now);
                }
                state.breakers().record(subject, false, policy, now);
            }
            case Outcome.RateLimited limited -> {
                Duration rest = limited.retryAfter() != null ? limited.retryAfter() : failover.cooldown();
                state.cooldowns().coolUntil(Objects.requireNonNull(key, "key").subject().withModel(upstreamModel),
                        now.plus(rest));
                release(subject, model);
            }
            case Outcome.KeyRejected rejected -> {
                if (key != null && key.key().isPresent()) {
                    state.suspensions().suspend(key.subject(), rejected.reason(), now.plus(failover.keyProbeEvery()));
                    release(subject, model);
                } else {
                    state.breakers().record(subject, true, policy, now);
                    release(model, model);
                }
            }
            case Outcome.Failed f when f.connection() || upstreamModel.isEmpty() -> {
                state.breakers().record(subject, true, policy, now);
                release(model, model);
            }
            case Outcome.Failed f -> {
                // The upstream answered: the connection is fine, the model is not.
                state.breakers().record(model, true, policy, now);
                state.breakers().record(subject, false, policy, now);
            }
            case Outcome.Abandoned a -> release(subject, model);
            case Outcome.Probed probed -> state.breakers().probed(model, probed.passed(), policy, now);
            case Outcome.HealthChecked checked -> {
                if (checked.healthy()) {
                    state.suspensions().lift(subject);
                    state.breakers().record(subject, false, policy, now);
                } else {
                    state.suspensions().suspend(subject, "health check failed" + (checked.detail().isEmpty() ? ""
                            : ": " + checked.detail()), now);
                    state.breakers().record(subject, true, policy, now);
                }
            }
            case Outcome.KeyRestored r -> {
                StateKey keySubject = Objects.requireNonNull(key, "key").subject();
                state.suspensions().lift(keySubject);
                state.cooldowns().clear(keySubject);
            }
        }
    }

    /** Gives back the half-open slots an attempt held on the channel's and the model's circuit. */
    private void release(StateKey subject, StateKey model) {
        state.breakers().release(subject);
        if (!model.equals(subject)) {
            state.breakers().release(model);
        }
    }

    Clock clock() {
        return clock;
    }
}
