package dev.junction.bench;

import dev.junction.protocol.openai.ChunkScan;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pass-through usage scan, per chunk, against the obvious alternative of binding the chunk to
 * a tree and reading usage from it ({@code *Tree}), measured in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChunkScanBench {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private final byte[] content = Samples.contentChunk(7).getBytes(StandardCharsets.UTF_8);
    private final byte[] usage = Samples.usageChunk().getBytes(StandardCharsets.UTF_8);
    private final byte[] completion = Samples.completion().getBytes(StandardCharsets.UTF_8);

    @Benchmark
    public ChunkScan contentChunk() {
        return ChunkScan.of(content);
    }

    @Benchmark
    public ChunkScan usageChunk() {
        return ChunkScan.of(usage);
    }

    @Benchmark
    public ChunkScan completion() {
        return ChunkScan.of(completion);
    }

    @Benchmark
    public long contentChunkTree() {
        JsonNode node = MAPPER.readTree(content);
        return node.path("choices").path(0).path("delta").path("content").asString().length()
                + node.path("usage").path("prompt_tokens").asLong();
    }

    @Benchmark
    public long completionTree() {
        JsonNode node = MAPPER.readTree(completion);
        return node.path("usage").path("prompt_tokens").asLong() + node.path("usage").path("completion_tokens").asLong();
    }
}
