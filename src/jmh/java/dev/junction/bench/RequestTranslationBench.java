package dev.junction.bench;

import dev.junction.protocol.ProviderExchange;
import dev.junction.protocol.TranslatableRequest;
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
 * The non-streamed halves of a translated request. {@code request}: the client's body (about 2 KB:
 * system prompt, tool call and result, two tools) parsed, made canonical and encoded for the
 * channel; {@code answer}: the provider's whole answer (about 1 KB) decoded and written in the
 * client's API. {@code route} is {@code <client API>-via-<channel type>}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestTranslationBench {

    @Param({"messages-via-openai", "chat-via-anthropic", "chat-via-gemini", "responses-via-openai"})
    public String route;

    private Route translation;
    private TranslatableRequest request;
    private ProviderExchange exchange;

    @Setup
    public void setUp() {
        translation = Route.of(route, false);
        request = translation.client().get();
        exchange = translation.exchange(request);
    }

    @Benchmark
    public byte[] request() {
        return translation.request();
    }

    @Benchmark
    public byte[] answer() {
        return Route.answer(request, exchange, translation.answer());
    }
}
