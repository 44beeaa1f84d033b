package dev.junction.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other test of {@code ./mvnw verify} (the last failsafe execution in pom.xml) and
 * reads every line the test run logged: {@code target/test-logs/} (every test JVM's log, see
 * logback-test.xml) and each test class's captured stdout and stderr in
 * {@code target/surefire-reports/*-output.txt}. A gateway key, a provider key or a password used by
 * the tests ({@link TestSecrets}) on any line fails the build, naming the file and line.
 */
class NoSecretsInLogsIT {

    private static final Path TARGET = Path.of("target");

    @Test
    void noLogLineOfTheTestRunHoldsASecret() throws IOException {
        List<Path> logs = logs();
        List<String> leaks = new ArrayList<>();
        long lines = 0;
        for (Path log : logs) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(log),
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                            .onUnmappableCharacter(CodingErrorAction.REPLACE)))) {
                String line;
                int number = 0;
                while ((line = reader.readLine()) != null) {
                    number++;
                    lines++;
                    String secret = TestSecrets.find(line);
                    if (secret != null && leaks.size() < 50) {
                        leaks.add(TARGET.relativize(log) + ":" + number + ": " + mask(secret));
                    }
                }
            }
        }
        System.out.println("scanned " + lines + " log lines in " + logs.size() + " files");
        assertThat(leaks).as("secrets in the logs of the test run").isEmpty();
    }

    /** Enough of the secret to find it in the log, not enough to copy it from a build report. */
    private static String mask(String secret) {
        return secret.substring(0, Math.min(6, secret.length())) + "... (" + secret.length() + " chars)";
    }

    private static List<Path> logs() throws IOException {
        List<Path> logs = new ArrayList<>();
        Path testLogs = TARGET.resolve("test-logs");
        if (Files.isDirectory(testLogs)) {
            try (Stream<Path> files = Files.walk(testLogs)) {
                files.filter(Files::isRegularFile).sorted().forEach(logs::add);
            }
        }
        Path reports = TARGET.resolve("surefire-reports");
        if (Files.isDirectory(reports)) {
            try (Stream<Path> files = Files.list(reports)) {
                files.filter(p -> p.getFileName().toString().endsWith("-output.txt")).sorted().forEach(logs::add);
            }
        }
        return logs;
    }
}
