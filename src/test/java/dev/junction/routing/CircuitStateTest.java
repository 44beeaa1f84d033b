package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CircuitStateTest {

    @Test
    void everyBreakerStateHasAPublicCircuitState() {
        assertThat(Arrays.stream(Breaker.State.values()).map(s -> CircuitState.valueOf(s.name())))
                .containsExactly(CircuitState.values());
    }
}
