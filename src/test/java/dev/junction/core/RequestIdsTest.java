package dev.junction.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.FixedClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void anIdCarriesTheMillisecondItWasMadeAt() {
        for (Instant instant : new Instant[] {Instant.parse("2026-12-05T05:30:00.123456Z"), Instant.EPOCH,
                Instant.parse("2100-01-01T00:00:00.999Z")}) {
            String id = RequestIds.next(FixedClock.at(instant));
            assertThat(id).matches("req_[0-9a-z]{1,13}[0-9a-z]{8}");
            assertThat(RequestIds.madeAt(id)).contains(Instant.ofEpochMilli(instant.toEpochMilli()));
        }
    }

    @Test
    void textTheGatewayDidNotMakeCarriesNoTime() {
        for (String text : new String[] {null, "", "req_", "req_abcdefgh", "req-lz1k3m9a7f2qd8x4",
                "req_LZ1K3M9A7F2QD8X4", "req_lz1k3m9a7f2qd8x!", "mia-1", "req_" + "z".repeat(14) + "00000000",
                "req_ lz1k3m9a7f2qd8x4"}) {
            assertThat(RequestIds.madeAt(text)).as(text).isEmpty();
        }
        // The most a long holds, and one past it.
        assertThat(RequestIds.madeAt("req_" + Long.toString(Long.MAX_VALUE, 36) + "00000000"))
                .contains(Instant.ofEpochMilli(Long.MAX_VALUE));
        assertThat(RequestIds.madeAt("req_" + "1y2p0ij32e8e8" + "00000000")).isEmpty();
    }
}
