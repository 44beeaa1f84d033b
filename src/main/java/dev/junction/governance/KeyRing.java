package dev.junction.governance;

import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Finds the gateway key a client presented, by its hash. Immutable; rebuilt when keys change. */
public final class KeyRing {

    private final KeyHasher hasher;
    private final Map<String, GatewayKey> byHash;
    private final Set<Long> ids = new HashSet<>();

    private KeyRing(KeyHasher hasher, Map<String, GatewayKey> byHash) {
        this.hasher = hasher;
        this.byHash = byHash;
        byHash.values().forEach(key -> ids.add(key.id()));
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

    /** Whether the key with this id is served (it is not when its owner is disabled or deleted). */
    public boolean serves(long keyId) {
        return ids.contains(keyId);
    }

    public int size() {
        return byHash.size();
    }
}
