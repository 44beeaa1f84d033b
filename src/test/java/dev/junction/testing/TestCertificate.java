package dev.junction.testing;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code 127.0.0.1} and {@code localhost}, made by the JDK's own
 * {@code keytool} into a PKCS12 store in a temporary folder: the key a TLS fake provider serves
 * with, and (its certificate entry being trusted) the only authority a test's upstream client trusts.
 */
public record TestCertificate(KeyStore keyStore, String password) {

    /** Generates a fresh key pair and certificate under {@code dir}. */
    public static TestCertificate generate(Path dir) throws Exception {
        Path file = dir.resolve("fake-provider.p12");
        String password = "fake-provider-store";
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "fake",
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", password))
                .redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + new String(output));
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return new TestCertificate(store, password);
    }
}
