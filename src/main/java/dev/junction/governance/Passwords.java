package dev.junction.governance;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.util.Objects;

/**
 * Password hashing with Argon2id (RFC 9106) through password4j. The default parameters are
 * OWASP's minimum for Argon2id: 19 MiB of memory, 2 passes, 1 lane, a 32-byte hash and a 16-byte
 * random salt; a hash takes a few tens of milliseconds on one core, which bounds offline guessing
 * of a stolen database and online guessing alike (sign-ins are throttled too, see
 * {@link LoginGuard}). Hashes are PHC strings ({@code $argon2id$v=19$m=19456,t=2,p=1$…}) that carry
 * their parameters, so a hash made under other parameters still verifies.
 */
public final class Passwords {

    /** Shortest password accepted. */
    public static final int MIN_LENGTH = 8;
    /** Longest password accepted (Argon2 takes any length; this bounds the work one request asks for). */
    public static final int MAX_LENGTH = 1024;

    private static final Passwords STANDARD = new Passwords();

    /**
     * The Argon2id function and the hash that unknown names are checked against, made at the first
     * use of a password: the function keeps its 19 MiB of memory for good, and the hash costs one
     * Argon2 run, which a gateway whose owners never sign in (keys only) should not pay at each start.
     */
    private static final class Argon2id {
        static final Argon2Function FUNCTION = Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID);
        static final String DUMMY_HASH = STANDARD.hash("not a password anyone has: equalises the time of unknown names");

        private Argon2id() {
        }
    }

    private Passwords() {
    }

    /** The standard parameters (see the class comment). */
    public static Passwords standard() {
        return STANDARD;
    }

    /** Hashes a password with a fresh random salt; returns the PHC string. */
    public String hash(String password) {
        Objects.requireNonNull(password, "password");
        return Password.hash(password).addRandomSalt(16).with(Argon2id.FUNCTION).getResult();
    }

    /** Whether {@code password} matches {@code hash}; false for a malformed hash. */
    public boolean verify(String password, String hash) {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(hash, "hash");
        try {
            return Argon2Function.getInstanceFromHash(hash).check(password, hash);
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    /** Spends the time of one verification, for a sign-in with an unknown name. */
    public void verifyNothing(String password) {
        verify(password, Argon2id.DUMMY_HASH);
    }

    /** Why {@code password} is not acceptable as a new password, if it is not. */
    public static java.util.Optional<String> problem(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            return java.util.Optional.of("must be at least " + MIN_LENGTH + " characters");
        }
        if (password.length() > MAX_LENGTH) {
            return java.util.Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        return java.util.Optional.empty();
    }
}
