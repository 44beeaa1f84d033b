package dev.junction.bench;

import dev.junction.http.SseEvent;
import dev.junction.protocol.PassThrough;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The Anthropic Messages and OpenAI Responses pass-through scanners, which read each event the
 * provider sends for its type and usage. {@code event}: one text delta mid-answer; {@code stream}:
 * a whole answer of 18 deltas with its lifecycle events, on a fresh scanner.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PassThroughScanBench {

    @Param({"messages", "responses"})
    public String api;

    private PassThrough passThrough;
    private PassThrough.StreamScanner scanner;
    private SseEvent delta;
    private List<SseEvent> stream;

    @Setup
    public void setUp() {
        passThrough = Route.passThrough(api);
        scanner = passThrough.scanner();
        delta = api.equals("messages") ? Samples.messagesDelta(7) : Samples.responsesDelta();
        stream = api.equals("messages") ? Samples.messagesEvents() : Samples.responsesEvents();
    }

    @Benchmark
    public PassThrough.Verdict event() {
        return scanner.scan(delta);
    }

    @Benchmark
    public Object stream() {
        PassThrough.StreamScanner fresh = passThrough.scanner();
        for (SseEvent event : stream) {
            fresh.scan(event);
        }
        return fresh.usage();
    }
}
