package dev.junction.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * All fuzz targets behind one {@code @FuzzTest}, for CI: Jazzer fuzzes one test per JVM, and a
 * JVM's start (agent, instrumentation) costs more than a few seconds of fuzzing, so the build fuzzes
 * this one for {@code fuzz.duration} and the input's last byte picks the target. Its seeds are every
 * target's committed corpus (each file with its target's byte appended), so the build also replays
 * every past finding. Fuzz one target longer through its own class (README, Testing).
 */
class EveryTargetFuzzTest {

    /** A target: its check and the class whose inputs directory holds its corpus. */
    private record Target(Class<?> owner, String method, Check check) {
    }

    @FunctionalInterface
    private interface Check {
        void run(byte[] input) throws Exception;
    }

    private static final List<Target> TARGETS = List.of(
            new Target(ChatCompletionsFuzzTest.class, "anyBodyIsServedOrRefusedWith400", ChatCompletionsFuzzTest::check),
            new Target(AnthropicMessagesFuzzTest.class, "anyBodyIsServedOrRefusedWith400",
                    AnthropicMessagesFuzzTest::check),
            new Target(GeminiFuzzTest.class, "anyBodyIsServedOrRefusedWith400", GeminiFuzzTest::check),
            new Target(ResponsesFuzzTest.class, "anyBodyIsServedOrRefusedWith400", ResponsesFuzzTest::check),
            new Target(EmbeddingsFuzzTest.class, "anyBodyIsServedOrRefusedWith400", EmbeddingsFuzzTest::check),
            new Target(SseReaderFuzzTest.class, "eventsDoNotDependOnHowTheBytesArrive", SseReaderFuzzTest::check),
            new Target(ProviderAnswersFuzzTest.class, "anyAnswerIsReadOrRefusedAsMalformed",
                    ProviderAnswersFuzzTest::check),
            new Target(ConfigFuzzTest.class, "anyFileLoadsOrIsRefusedWithConfigException", ConfigFuzzTest::check));

    static Stream<byte[]> everyTarget() {
        return java.util.stream.IntStream.range(0, TARGETS.size()).boxed()
                .flatMap(i -> corpus(TARGETS.get(i)).map(seed -> withTarget(seed, i)));
    }

    @MethodSource
    @FuzzTest
    void everyTarget(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        Target target = TARGETS.get(Math.floorMod(input[input.length - 1], TARGETS.size()));
        target.check().run(Arrays.copyOf(input, input.length - 1));
    }

    private static byte[] withTarget(byte[] seed, int target) {
        byte[] input = Arrays.copyOf(seed, seed.length + 1);
        input[seed.length] = (byte) target;
        return input;
    }

    /** The files of {@code <Owner>Inputs/<method>/} on the test classpath. */
    private static Stream<byte[]> corpus(Target target) {
        URL dir = target.owner().getResource(target.owner().getSimpleName() + "Inputs/" + target.method());
        if (dir == null) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.walk(Path.of(dir.toURI()))) {
            return files.filter(Files::isRegularFile).sorted().map(EveryTargetFuzzTest::read).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
