package dev.junction.routing;

import java.util.Objects;

/**
 * A provider credential. {@link #toString()} and {@link #suffix()} never reveal more than the last
 * four characters, so a key cannot leak into a log line by accident.
 */
public record ProviderKey(String secret) {

    public ProviderKey {
        Objects.requireNonNull(secret, "secret");
    }

    /** {@code …abcd}: enough to tell keys apart, too little to use. */
    public String suffix() {
        return secret.length() <= 8 ? "…" : "…" + secret.substring(secret.length() - 4);
    }

    @Override
    public String toString() {
        return "ProviderKey[" + suffix() + "]";
    }
}
