package dev.junction.governance;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the gateway key a client presented, by its hash. Immutable; rebuilt when keys change.
 *
 * <p>A key found once is found again without its HMAC (about a microsecond of every request's
 * CPU): the ring remembers the keys presented that matched one of its own, so at most one entry
 * per key it holds and none for what did not match. A new ring (a key added, revoked or changed)
 * starts with nothing remembered, so a change takes effect exactly as before.
 */
public final class KeyRing {

    private final KeyHasher hasher;
    private final Map<String, GatewayKey> byHash;
    private final ConcurrentHashMap<String, GatewayKey> found = new ConcurrentHashMap<>();

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
        GatewayKey key = found.get(presented);
        if (key == null) {
            key = byHash.get(hasher.hash(presented));
            if (key != null && found.size() < byHash.size()) {
                found.put(presented, key);
            }
        }
        return Optional.ofNullable(key);
    }

    public int size() {
        return byHash.size();
    }

    /** Keys remembered as found (at most one per key of the ring). */
    int remembered() {
        return found.size();
    }
}
