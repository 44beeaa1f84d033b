package dev.junction.bench;

import dev.junction.http.SseEvent;
import dev.junction.http.SseReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The SSE framer on a typical OpenAI chat stream: 100 events of about 230 bytes, read from memory
 * in 8 KB pieces as they come off the upstream. Score and allocation are per event.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SseReaderBench {

    static final int EVENTS = 100;
    private final byte[] stream = Samples.chatStream(EVENTS - 1).getBytes(StandardCharsets.UTF_8);
    private final byte[] anthropic = Samples.anthropicStream(EVENTS).getBytes(StandardCharsets.UTF_8);

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void openAiEvents(Blackhole hole) throws IOException {
        read(stream, hole);
    }

    /** Named events ({@code event:} lines), as Anthropic streams them. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void anthropicEvents(Blackhole hole) throws IOException {
        read(anthropic, hole);
    }

    private static void read(byte[] bytes, Blackhole hole) throws IOException {
        SseReader reader = SseReader.of(new ByteArrayInputStream(bytes), 16 << 20);
        SseEvent event;
        while ((event = reader.next()) != null) {
            hole.consume(event);
        }
    }
}
