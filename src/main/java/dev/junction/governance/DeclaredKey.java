package dev.junction.governance;

import java.util.List;
import java.util.Objects;

/**
 * A gateway key as the config file declares it. The plaintext lives only here and in the file; the
 * store keeps a keyed hash of it.
 *
 * @param name label, and with the source the entry's identity
 * @param secret what clients send
 * @param models public model names or globs the key may use
 */
public record DeclaredKey(String name, String secret, List<String> models) {

    public DeclaredKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secret, "secret");
        models = List.copyOf(models);
    }

    @Override
    public String toString() {
        return "DeclaredKey[name=" + name + ", models=" + models + "]";
    }
}
