package dev.junction.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real client CLI from {@code e2e/clients} (installed by {@code .ci/run}, or by hand with
 * {@code npm ci --prefix e2e/clients --ignore-scripts && npm rebuild --prefix e2e/clients
 * @anthropic-ai/claude-code}) with a clean environment, a throwaway HOME, no stdin and a time limit.
 */
public final class Cli {

    /** What a run printed and how it ended. */
    public record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private Cli() {
    }

    /** The installed binary of {@code name} ({@code claude}, {@code codex}, {@code gemini}). */
    public static Path binary(String name) {
        Path bin = Path.of("e2e/clients/node_modules/.bin", name).toAbsolutePath();
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException(bin + " is missing: run npm ci --prefix e2e/clients --ignore-scripts"
                    + " && npm rebuild --prefix e2e/clients @anthropic-ai/claude-code (as .ci/run does)");
        }
        return bin;
    }

    /**
     * Runs {@code command} in {@code workDir} with only PATH, HOME={@code home} and {@code env} set,
     * stdin from /dev/null, killed after {@code limit}.
     */
    public static Result run(List<String> command, Path workDir, Path home, Map<String, String> env,
            Duration limit) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(workDir.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        builder.environment().put("HOME", home.toString());
        builder.environment().putAll(env);
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path out = Files.createTempFile(home, "stdout", ".txt");
        Path err = Files.createTempFile(home, "stderr", ".txt");
        builder.redirectOutput(out.toFile());
        builder.redirectError(err.toFile());
        Process process = builder.start();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return new Result(-1, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8) + "\n(killed after " + limit + ")");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
