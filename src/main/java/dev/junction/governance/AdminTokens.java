package dev.junction.governance;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * Admin API tokens: {@code jat-} and 32 random bytes (base64url), shown once. Stored as a keyed
 * hash ({@link KeyHasher}, under its own pepper) so a lookup costs one HMAC; people see the first
 * 8 and last 4 characters.
 */
public final class AdminTokens {

    /** Every admin token starts with this; gateway keys never do. */
    public static final String PREFIX = "jat-";

    private final KeyHasher hasher;
    private final SecureRandom random = new SecureRandom();

    public AdminTokens(KeyHasher hasher) {
        this.hasher = Objects.requireNonNull(hasher, "hasher");
    }

    /** A new token secret. */
    public String generate() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public String hash(String token) {
        return hasher.hash(token);
    }

    /** Whether a presented credential looks like an admin token at all. */
    public static boolean looksLikeToken(String presented) {
        return presented != null && presented.startsWith(PREFIX);
    }

    /** What people see first: {@code jat-} and 4 characters. */
    public static String visiblePrefix(String token) {
        return token.substring(0, Math.min(token.length(), 8));
    }

    /** What people see last: the last 4 characters. */
    public static String visibleSuffix(String token) {
        return token.substring(Math.max(0, token.length() - 4));
    }
}
