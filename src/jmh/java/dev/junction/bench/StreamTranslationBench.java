package dev.junction.bench;

import dev.junction.http.SseEvent;
import dev.junction.protocol.ProviderExchange;
import dev.junction.protocol.TranslatableRequest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A translated answer stream, upstream events through the channel's stream decoder and the
 * client's stream encoder to bytes, without SSE framing or I/O. {@code chunk}: one content event in
 * the middle of an answer (the per-token cost); {@code stream}: a whole answer of 18 content pieces
 * with the provider's opening and closing events and the client's end, on a fresh decoder and
 * encoder (the per-request cost of the answer side; the request side is in
 * {@link RequestTranslationBench}). {@code route} is {@code <client API>-via-<channel type>}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StreamTranslationBench {

    @Param({"messages-via-openai", "chat-via-anthropic", "chat-via-gemini", "gemini-via-openai",
            "responses-via-openai", "responses-via-anthropic"})
    public String route;

    private TranslatableRequest request;
    private ProviderExchange exchange;
    private List<SseEvent> stream;
    private SseEvent content;
    private Route.Translator midStream;

    @Setup
    public void setUp() {
        Route translation = Route.of(route, true);
        request = translation.client().get();
        exchange = translation.exchange(request);
        stream = translation.stream();
        content = stream.get(stream.size() / 2);
        openStream();
        if (chunk() == 0) {
            throw new IllegalStateException(route + ": the content event wrote nothing");
        }
    }

    /** A translator that has seen the answer up to its middle (a Responses encoder keeps the text, so anew each iteration). */
    @Setup(Level.Iteration)
    public void openStream() {
        midStream = Route.translator(request, exchange);
        for (SseEvent event : stream.subList(0, stream.size() / 2)) {
            midStream.translate(event);
        }
    }

    @Benchmark
    public int chunk() {
        return midStream.translate(content);
    }

    @Benchmark
    public int stream() {
        return Route.translator(request, exchange).translate(stream);
    }
}
