package dev.junction.core.canonical;

import java.util.Locale;
import java.util.Optional;

/** How hard the model should think before answering (OpenAI's {@code reasoning_effort} scale). */
public enum ReasoningEffort {
    NONE, MINIMAL, LOW, MEDIUM, HIGH, XHIGH;

    /** The value for an OpenAI {@code reasoning_effort} string. */
    public static Optional<ReasoningEffort> fromWire(String value) {
        for (ReasoningEffort effort : values()) {
            if (effort.name().toLowerCase(Locale.ROOT).equals(value)) {
                return Optional.of(effort);
            }
        }
        return Optional.empty();
    }
}
