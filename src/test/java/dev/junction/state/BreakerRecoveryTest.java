package dev.junction.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** An open circuit is probed out of band at growing intervals and comes back through half-open. */
class BreakerRecoveryTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final BreakerPolicy POLICY = new BreakerPolicy(2, 0.5, 100, Duration.ofSeconds(60),
            Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(8), 3);

    private final Breakers breakers = newBreakers();

    /** The breakers under test: in memory here, on Redis in {@link RedisBreakerRecoveryTest}. */
    Breakers newBreakers() {
        return State.inMemory(dev.junction.core.Clock.system()).breakers();
    }
    private final StateKey channel = StateKey.channel(7);

    private Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    private void open(Instant now) {
        breakers.record(channel, true, POLICY, now);
        assertThat(breakers.record(channel, true, POLICY, now)).isEqualTo(Circuit.OPEN);
    }

    @Test
    void probesAreDueAtDoublingIntervalsCappedAtProbeMax() {
        open(at(0));
        assertThat(breakers.claimProbe(channel, at(1))).as("not yet").isFalse();
        assertThat(breakers.claimProbe(channel, at(2))).as("2 s after opening").isTrue();
        assertThat(breakers.claimProbe(channel, at(2))).as("claimed once").isFalse();
        breakers.probed(channel, false, POLICY, at(2));
        assertThat(breakers.claimProbe(channel, at(5))).isFalse();
        assertThat(breakers.claimProbe(channel, at(6))).as("4 s later").isTrue();
        breakers.probed(channel, false, POLICY, at(6));
        assertThat(breakers.claimProbe(channel, at(13))).isFalse();
        assertThat(breakers.claimProbe(channel, at(14))).as("8 s later").isTrue();
        breakers.probed(channel, false, POLICY, at(14));
        assertThat(breakers.claimProbe(channel, at(22))).as("capped at 8 s").isTrue();
        assertThat(breakers.circuit(channel, at(22))).isEqualTo(Circuit.OPEN);
    }

    @Test
    void aPassingProbeLetsAFewRealRequestsThroughThenFullTraffic() {
        open(at(0));
        assertThat(breakers.claimProbe(channel, at(2))).isTrue();
        breakers.probed(channel, true, POLICY, at(2));
        assertThat(breakers.circuit(channel, at(2))).isEqualTo(Circuit.HALF_OPEN);
        for (int i = 0; i < 3; i++) {
            assertThat(breakers.tryAcquire(channel, at(2))).as("half-open slot %s", i).isTrue();
        }
        assertThat(breakers.tryAcquire(channel, at(2))).as("only three at once").isFalse();
        breakers.record(channel, false, POLICY, at(3));
        breakers.record(channel, false, POLICY, at(3));
        assertThat(breakers.circuit(channel, at(3))).isEqualTo(Circuit.HALF_OPEN);
        assertThat(breakers.record(channel, false, POLICY, at(3))).as("third success").isEqualTo(Circuit.CLOSED);
        for (int i = 0; i < 10; i++) {
            assertThat(breakers.tryAcquire(channel, at(3))).isTrue();
        }
    }

    @Test
    void aFailureWhileHalfOpenReopensWithTheBackoffContinuingNotAFullRest() {
        open(at(0));
        assertThat(breakers.claimProbe(channel, at(2))).isTrue();
        breakers.probed(channel, false, POLICY, at(2)); // next probe 4 s on
        assertThat(breakers.claimProbe(channel, at(6))).isTrue();
        breakers.probed(channel, true, POLICY, at(6));
        assertThat(breakers.tryAcquire(channel, at(6))).isTrue();
        assertThat(breakers.record(channel, true, POLICY, at(6))).isEqualTo(Circuit.OPEN);
        assertThat(breakers.availableAt(channel, at(6))).as("8 s, not another 30 s").isEqualTo(at(14));
        assertThat(breakers.claimProbe(channel, at(13))).isFalse();
        assertThat(breakers.claimProbe(channel, at(14)) || breakers.circuit(channel, at(14)) == Circuit.HALF_OPEN)
                .isTrue();
    }

    @Test
    void withoutProbesTheRestStillEndsAfterOpenFor() {
        open(at(0));
        assertThat(breakers.tryAcquire(channel, at(29))).isFalse();
        assertThat(breakers.tryAcquire(channel, at(30))).as("half-open after open_for").isTrue();
    }
}
