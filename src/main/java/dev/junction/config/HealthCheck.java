package dev.junction.config;

import java.time.Duration;
import java.util.Objects;

/**
 * A channel's periodic test request: a one-token chat call to {@code model} every {@code every}.
 * A failing check takes the channel out of rotation; a passing one brings it back.
 *
 * @param model a public model name the channel serves, or an upstream model name
 * @param every interval between checks
 */
public record HealthCheck(String model, Duration every) {

    public HealthCheck {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(every, "every");
    }
}
