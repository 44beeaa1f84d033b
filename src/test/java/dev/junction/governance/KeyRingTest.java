package dev.junction.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyRingTest {

    private static final KeyHasher HASHER = KeyHasher.withPepper("a test pepper of at least 32 bytes".getBytes(StandardCharsets.UTF_8));
    private static final GatewayKey LAPTOP = new GatewayKey(1, "laptop", "…ptop", List.of("*"));
    private static final GatewayKey PHONE = new GatewayKey(2, "phone", "…hone", List.of("gpt-*"));

    private static KeyRing ring(Map<String, GatewayKey> keys) {
        return KeyRing.of(HASHER, keys.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(e -> HASHER.hash(e.getKey()), Map.Entry::getValue)));
    }

    @Test
    void aKeyFoundOnceIsFoundAgainFromMemoryAndNothingElseIsRemembered() {
        KeyRing ring = ring(Map.of("sk-laptop", LAPTOP, "sk-phone", PHONE));
        assertThat(ring.find("sk-laptop")).contains(LAPTOP);
        assertThat(ring.find("sk-laptop")).contains(LAPTOP);
        assertThat(ring.remembered()).isEqualTo(1);
        for (int i = 0; i < 1000; i++) {
            assertThat(ring.find("sk-guess-" + i)).isEmpty(); // what did not match takes no room
        }
        assertThat(ring.find("")).isEmpty();
        assertThat(ring.find(null)).isEmpty();
        assertThat(ring.find("sk-phone")).contains(PHONE);
        assertThat(ring.remembered()).isEqualTo(2);
    }

    @Test
    void aRebuiltRingForgetsWhatTheOldOneFound() {
        KeyRing before = ring(Map.of("sk-laptop", LAPTOP, "sk-phone", PHONE));
        assertThat(before.find("sk-laptop")).contains(LAPTOP);
        KeyRing revoked = ring(Map.of("sk-phone", PHONE)); // the laptop's key revoked: the store builds a new ring
        assertThat(revoked.find("sk-laptop")).isEmpty();
        assertThat(revoked.remembered()).isZero();
    }
}
