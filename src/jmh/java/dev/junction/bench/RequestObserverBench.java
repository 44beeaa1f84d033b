package dev.junction.bench;

import dev.junction.core.Attempt;
import dev.junction.core.EndReason;
import dev.junction.core.ErrorKind;
import dev.junction.core.TokenUsage;
import dev.junction.metrics.AccessLog;
import dev.junction.metrics.GatewayMetrics;
import dev.junction.usage.RequestEnd;
import dev.junction.usage.UsageRecord;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * What observing one request's end costs on its thread: the Prometheus meters
 * ({@code GatewayMetrics.onEnd}) for a streamed answer served at the first try ({@code metricsServed}),
 * one that failed over once ({@code metricsFailover}) and a refusal ({@code metricsRefused}); and
 * building the access log's JSON line ({@code accessLine}; writing it is the async appender's work).
 * {@code served2Threads} records from two threads at once into the same series, the contended case.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestObserverBench {

    private static final Instant AT = Instant.parse("2026-12-03T10:15:30.123Z");
    private static final TokenUsage TOKENS = new TokenUsage(1200, 340, 800, 0, 120);

    private GatewayMetrics metrics;
    private RequestEnd served;
    private RequestEnd failover;
    private RequestEnd refused;

    @Setup(Level.Trial)
    public void setUp() {
        metrics = GatewayMetrics.builder().jvm(false).knownModels(Set.of("claude-sonnet", "gpt-4o")::contains)
                .build();
        served = new RequestEnd(new UsageRecord("req-1", AT, "laptop", "claude-sonnet", "zhipu", "glm-4.6", 200,
                TOKENS, 2300, 410, true, List.of(new Attempt("zhipu", "abcd", 200, "ok", 402)), EndReason.DONE),
                "POST", "/v1/messages", "10.0.0.7", null, 180_000, 2_300_000_000L);
        failover = new RequestEnd(new UsageRecord("req-2", AT, "laptop", "gpt-4o", "openai", "gpt-4o", 200,
                TOKENS, 2300, 910, true, List.of(new Attempt("deepseek", "efgh", 503, "HTTP 503", 480),
                        new Attempt("openai", "abcd", 200, "ok", 402)), EndReason.DONE),
                "POST", "/v1/chat/completions", "10.0.0.7", null, 180_000, 2_300_000_000L);
        refused = new RequestEnd(new UsageRecord("req-3", AT, null, "gpt-4o", null, null, 401, TokenUsage.NONE, 0,
                -1, false, List.of(), EndReason.REJECTED), "POST", "/v1/chat/completions", "10.0.0.7",
                ErrorKind.AUTHENTICATION, -1, 40_000);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        metrics.close();
    }

    @Benchmark
    public void metricsServed() {
        metrics.onEnd(served);
    }

    @Benchmark
    public void metricsFailover() {
        metrics.onEnd(failover);
    }

    @Benchmark
    public void metricsRefused() {
        metrics.onEnd(refused);
    }

    @Benchmark
    @Threads(2)
    public void served2Threads() {
        metrics.onEnd(served);
    }

    @Benchmark
    public String accessLine() {
        return AccessLog.line(served);
    }
}
