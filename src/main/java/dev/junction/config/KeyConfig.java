package dev.junction.config;

import java.util.List;
import java.util.Objects;

/**
 * A gateway key from the config file. The plaintext lives only here and in the file; the store
 * keeps a keyed hash of it.
 *
 * @param name label shown in usage and the dashboard
 * @param key the secret clients send
 * @param models public model names or globs this key may use
 */
public record KeyConfig(String name, String key, List<String> models) {

    public KeyConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        models = List.copyOf(models);
    }

    @Override
    public String toString() {
        return "KeyConfig[name=" + name + ", models=" + models + "]";
    }
}
