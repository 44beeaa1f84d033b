package dev.junction.governance;

import java.util.List;
import java.util.Objects;

/**
 * A gateway key as the gateway knows it: never the secret, only its keyed hash (held by
 * {@link KeyRing}), a hint for people, and what it may use.
 *
 * @param id stable id: the key's identity in usage and budgets (0 for a key not from the store)
 * @param name label shown in usage; may change without the key losing its history
 * @param hint last characters of the key, e.g. {@code …x9Qa}
 * @param models allow-list of public model names; {@code *} and {@code ?} globs allowed
 */
public record GatewayKey(long id, String name, String hint, List<String> models) {

    public GatewayKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hint, "hint");
        models = List.copyOf(models);
    }

    /** A key without a stored id (tests, tools). */
    public GatewayKey(String name, String hint, List<String> models) {
        this(0, name, hint, models);
    }

    /** Whether this key may use {@code model}. */
    public boolean allows(String model) {
        for (String pattern : models) {
            if (Glob.matches(pattern, model)) {
                return true;
            }
        }
        return false;
    }
}
