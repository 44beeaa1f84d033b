package dev.junction.governance;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A gateway key as the gateway knows it: never the secret, only its keyed hash (held by
 * {@link KeyRing}), a hint for people, and what it may use, until when and from where.
 *
 * @param id stable id: the key's identity in usage and budgets (0 for a key not from the store)
 * @param name label shown in usage; may change without the key losing its history
 * @param hint last characters of the key, e.g. {@code …x9Qa}
 * @param models allow-list of public model names; {@code *} and {@code ?} globs allowed
 * @param expiresAt when the key stops working; empty for never
 * @param addresses the client addresses it works from; empty for anywhere
 */
public record GatewayKey(long id, String name, String hint, List<String> models, Optional<Instant> expiresAt,
        List<AddressRange> addresses) {

    public GatewayKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hint, "hint");
        models = List.copyOf(models);
        Objects.requireNonNull(expiresAt, "expiresAt");
        addresses = List.copyOf(addresses);
    }

    /** A key that never expires and works from anywhere. */
    public GatewayKey(long id, String name, String hint, List<String> models) {
        this(id, name, hint, models, Optional.empty(), List.of());
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

    /** Whether the key has expired at {@code now}. */
    public boolean expired(Instant now) {
        return expiresAt.isPresent() && !now.isBefore(expiresAt.get());
    }

    /** Whether a client at {@code address} (an IP literal) may use this key. */
    public boolean admitsAddress(String address) {
        if (addresses.isEmpty()) {
            return true;
        }
        if (address == null) {
            return false;
        }
        String literal = address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address;
        byte[] bytes;
        try {
            bytes = InetAddress.ofLiteral(literal).getAddress();
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (AddressRange range : addresses) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }
}
