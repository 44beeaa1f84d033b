package dev.junction.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Function;
import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master secret and what is derived from it with HKDF-SHA-256: the pepper for gateway-key
 * hashes and the AES-256-GCM key that encrypts provider keys at rest. The master secret comes
 * from {@code JUNCTION_MASTER_KEY} (required to be the same on every instance sharing a database)
 * or, for a single machine, from {@code master.key} in the data folder, created on first start.
 */
public final class Secrets {

    public static final String ENV = "JUNCTION_MASTER_KEY";
    private static final byte[] SALT = "junction/v1".getBytes(StandardCharsets.US_ASCII);
    private static final String PREFIX = "v1:";

    private final byte[] master;
    private final SecureRandom random = new SecureRandom();

    private Secrets(byte[] master) {
        this.master = master;
    }

    /** Reads the master secret from the environment, or from (or into) {@code dataDir/master.key}. */
    public static Secrets load(Path dataDir, Function<String, String> environment) {
        String fromEnv = environment.apply(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            if (fromEnv.length() < 32) {
                throw new IllegalStateException(ENV + " must be at least 32 characters");
            }
            return new Secrets(fromEnv.getBytes(StandardCharsets.UTF_8));
        }
        Path file = dataDir.resolve("master.key");
        try {
            if (Files.exists(file)) {
                return new Secrets(Base64.getDecoder().decode(Files.readString(file).strip()));
            }
            Files.createDirectories(dataDir);
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            Files.writeString(file, Base64.getEncoder().encodeToString(fresh) + "\n", StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // Not a POSIX file system; the folder's permissions have to do.
            }
            return new Secrets(fresh);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }

    /** For tests and tools: secrets from a given master value. */
    public static Secrets of(byte[] master) {
        return new Secrets(master.clone());
    }

    /** A 32-byte key for one purpose, e.g. {@code "gateway-key-pepper"}. */
    public byte[] derive(String purpose) {
        try {
            KDF hkdf = KDF.getInstance("HKDF-SHA256");
            return hkdf.deriveData(HKDFParameterSpec.ofExtract().addIKM(master).addSalt(SALT)
                    .thenExpand(purpose.getBytes(StandardCharsets.UTF_8), 32));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF-SHA256 is not available", e);
        }
    }

    /**
     * Encrypts a secret for storage; {@code context} (e.g. {@code channels.api_key:7}) is bound as
     * associated data so a ciphertext cannot be moved to another row.
     */
    public String encrypt(String plaintext, String context) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        byte[] sealed = cipher(Cipher.ENCRYPT_MODE, nonce, context).doFinalUnchecked(
                plaintext.getBytes(StandardCharsets.UTF_8));
        byte[] out = new byte[nonce.length + sealed.length];
        System.arraycopy(nonce, 0, out, 0, nonce.length);
        System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
        return PREFIX + Base64.getEncoder().encodeToString(out);
    }

    /** Decrypts what {@link #encrypt} produced under the same context. */
    public String decrypt(String stored, String context) {
        if (!stored.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not an encrypted value");
        }
        byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        byte[] nonce = java.util.Arrays.copyOf(in, 12);
        byte[] plain = cipher(Cipher.DECRYPT_MODE, nonce, context).doFinalUnchecked(
                java.util.Arrays.copyOfRange(in, 12, in.length));
        return new String(plain, StandardCharsets.UTF_8);
    }

    private SealedCipher cipher(int mode, byte[] nonce, String context) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(derive("provider-key-encryption"), "AES"),
                    new GCMParameterSpec(128, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new SealedCipher(cipher);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private record SealedCipher(Cipher cipher) {
        byte[] doFinalUnchecked(byte[] input) {
            try {
                return cipher.doFinal(input);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("the value was not encrypted with this master key and context", e);
            }
        }
    }
}
