package dev.junction.core;

import java.util.Locale;
import java.util.Optional;

/** The wire format a channel speaks upstream. */
public enum ChannelType {
    OPENAI,
    ANTHROPIC,
    GEMINI;

    /** The spelling used in the config file. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ChannelType> fromConfigName(String name) {
        for (ChannelType type : values()) {
            if (type.configName().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
