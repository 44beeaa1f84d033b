package dev.junction.governance;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Finds the gateway key a client presented, by its hash. Immutable; rebuilt when keys change. */
public final class KeyRing {

    private final KeyHasher hasher;
    private final Map<String, GatewayKey> byHash;

    private KeyRing(KeyHasher hasher, Map<String, GatewayKey> byHash) {
        this.hasher = hasher;
        this.byHash = byHash;
    }

    /** A ring over keys indexed by their {@link KeyHasher#hash} value. */
    public static KeyRing of(KeyHasher hasher, Map<String, GatewayKey> byHash) {
        return new KeyRing(Objects.requireNonNull(hasher, "hasher"), Map.copyOf(byHash));
    }

    /** The key a client presented, if it is one of ours. */
    public Optional<GatewayKey> find(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(byHash.get(hasher.hash(presented)));
    }

    public int size() {
        return byHash.size();
    }
}
