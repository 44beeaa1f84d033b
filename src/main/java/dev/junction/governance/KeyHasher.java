package dev.junction.governance;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hashes gateway keys with HMAC-SHA-256 under a server-side pepper. A leaked database then reveals
 * nothing, not even for short human-chosen keys, and a lookup costs one HMAC (about a microsecond),
 * not a password hash.
 */
public final class KeyHasher {

    private final Mac prototype;

    private KeyHasher(Mac prototype) {
        this.prototype = prototype;
    }

    /** A hasher keyed with {@code pepper} (at least 32 bytes). */
    public static KeyHasher withPepper(byte[] pepper) {
        Objects.requireNonNull(pepper, "pepper");
        if (pepper.length < 32) {
            throw new IllegalArgumentException("the pepper must be at least 32 bytes");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(pepper, "HmacSHA256"));
            return new KeyHasher(mac);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The hex HMAC of a presented key. */
    public String hash(String key) {
        Mac mac;
        try {
            mac = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        return HexFormat.of().formatHex(mac.doFinal(key.getBytes(StandardCharsets.UTF_8)));
    }

    /** What people see of a key: its last four characters. */
    public static String hint(String key) {
        return key.length() <= 8 ? "…" : "…" + key.substring(key.length() - 4);
    }
}
