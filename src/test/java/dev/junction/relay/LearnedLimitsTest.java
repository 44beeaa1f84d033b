package dev.junction.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the providers' remaining-quota headers. */
class LearnedLimitsTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void openAiRemainingZeroRestsUntilItsReset() {
        assertThat(LearnedLimits.read(Map.of("x-ratelimit-remaining-requests", "0",
                "x-ratelimit-reset-requests", "6m0s", "x-ratelimit-remaining-tokens", "1200",
                "x-ratelimit-reset-tokens", "1s")::get, NOW)).contains(NOW.plusSeconds(360));
        assertThat(LearnedLimits.read(Map.of("x-ratelimit-remaining-tokens", "0",
                "x-ratelimit-reset-tokens", "250ms")::get, NOW)).contains(NOW.plusMillis(250));
    }

    @Test
    void anthropicRemainingZeroRestsUntilItsRfc3339Reset() {
        assertThat(LearnedLimits.read(Map.of("anthropic-ratelimit-requests-remaining", "40",
                "anthropic-ratelimit-input-tokens-remaining", "0",
                "anthropic-ratelimit-input-tokens-reset", "2026-12-03T10:00:42Z")::get, NOW))
                .contains(NOW.plusSeconds(42));
    }

    @Test
    void somethingLeftOrNoHeadersIsNoRest() {
        assertThat(LearnedLimits.read(Map.of("x-ratelimit-remaining-requests", "3")::get, NOW)).isEmpty();
        assertThat(LearnedLimits.read(Map.<String, String>of()::get, NOW)).isEmpty();
    }

    @Test
    void durations() {
        assertThat(LearnedLimits.duration("1h2m3.5s")).isEqualTo(Duration.ofMillis(3_723_500));
        assertThat(LearnedLimits.duration("20")).isEqualTo(Duration.ofSeconds(20));
        assertThat(LearnedLimits.duration("soon")).isEqualTo(LearnedLimits.UNKNOWN_RESET);
    }
}
