package dev.junction.bench;

import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.openai.ChatRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pass-through request rewrite: {@code ChatRequest.parse} then {@code forUpstream} (model
 * replaced, usage requested for streams), against binding the body to a tree, editing it and
 * writing it back ({@code tree}), measured in the same run. {@code kilobytes} is the size of the
 * conversation; 400 KB is about a 100K-token prompt. {@code tokensStrict} against {@code tokensLax}
 * is what refusing duplicate keys costs: every token of the body read with and without the
 * parser's duplicate detection.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ChatRequestBench {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @Param({"1", "40", "400"})
    public int kilobytes;

    @Param({"false", "true"})
    public boolean stream;

    private byte[] body;

    @Setup
    public void setUp() {
        body = Samples.chatRequest(kilobytes, stream).getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public byte[] passThrough() {
        return ChatRequest.parse(body).forUpstream("gpt-4o-2024-08-06", true);
    }

    @Benchmark
    public byte[] tree() {
        ObjectNode root = (ObjectNode) MAPPER.readTree(body);
        root.put("model", "gpt-4o-2024-08-06");
        if (root.path("stream").asBoolean(false)) {
            root.putObject("stream_options").put("include_usage", true);
        }
        return MAPPER.writeValueAsBytes(root);
    }

    @Benchmark
    public int tokensStrict() {
        return tokens(JsonTrees.CLIENT_FACTORY);
    }

    @Benchmark
    public int tokensLax() {
        return tokens(JsonTrees.FACTORY);
    }

    private int tokens(JsonFactory factory) {
        int count = 0;
        try (JsonParser p = factory.createParser(ObjectReadContext.empty(), body)) {
            while (p.nextToken() != null) {
                count++;
            }
        }
        return count;
    }
}
