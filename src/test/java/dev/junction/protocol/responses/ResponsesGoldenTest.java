package dev.junction.protocol.responses;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.http.SseEvent;
import dev.junction.http.SseReader;
import dev.junction.protocol.ChannelCodec;
import dev.junction.protocol.ClientStream;
import dev.junction.protocol.ProviderCall;
import dev.junction.protocol.ProviderExchange;
import dev.junction.protocol.StreamDecoder;
import dev.junction.protocol.anthropic.AnthropicCodec;
import dev.junction.protocol.gemini.GeminiCodec;
import dev.junction.testing.Golden;
import dev.junction.testing.StrictFakes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The Responses bridge against golden files under {@code fixtures/responses}: requests
 * ({@code requests/}) as each provider receives them ({@code anthropic/}, {@code gemini/}; its strict
 * fake must accept them too), and
 * the providers' recorded answers and streams ({@code fixtures/<provider>/responses|streams}) as a
 * Responses client receives them ({@code responses/}, {@code streams/}), event lines and sequence
 * numbers included. {@code -Dgolden.update=true} rewrites the expected files for review.
 */
class ResponsesGoldenTest {

    private static final Path ROOT = Golden.FIXTURES;
    private static final long CREATED = 1_700_000_000L;
    private static final String SEED = "seed000001";
    private static final String ID = "resp_golden0001";

    @AutoClose
    private static final StrictFakes FAKES = StrictFakes.start();

    private enum Provider {
        ANTHROPIC("anthropic", ChannelType.ANTHROPIC, AnthropicCodec.INSTANCE, "claude-sonnet-4-5"),
        GEMINI("gemini", ChannelType.GEMINI, GeminiCodec.INSTANCE, "gemini-2.5-flash");

        final String dir;
        final ChannelType type;
        final ChannelCodec codec;
        final String model;

        Provider(String dir, ChannelType type, ChannelCodec codec, String model) {
            this.dir = dir;
            this.type = type;
            this.codec = codec;
            this.model = model;
        }
    }

    private static ResponsesClientRequest request(byte[] body) {
        return ResponsesClientRequest.parse(body, ResponseLog.NONE, ID);
    }

    @TestFactory
    Stream<DynamicTest> requests() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Provider provider : Provider.values()) {
            for (Path input : Golden.files(ROOT.resolve("responses/requests"), ".json")) {
                Path expected = ROOT.resolve("responses").resolve(provider.dir).resolve(input.getFileName());
                tests.add(DynamicTest.dynamicTest(provider.dir + " request " + input.getFileName(),
                        () -> Golden.compareJson(expected, call(provider, input).body())));
                tests.add(DynamicTest.dynamicTest(provider.dir + " request " + input.getFileName()
                        + " is accepted by the strict fake", () -> FAKES.assertAccepted(provider.type,
                        call(provider, input))));
            }
        }
        return tests.stream();
    }

    /** The provider request for a Responses request. */
    private static ProviderCall call(Provider provider, Path input) throws IOException {
        CanonicalRequest canonical = request(Files.readAllBytes(input)).canonical(ChannelQuirks.NONE);
        return provider.codec.prepare(canonical, provider.model, StrictFakes.KEY, SEED).call();
    }

    @TestFactory
    Stream<DynamicTest> responses() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Provider provider : Provider.values()) {
            for (Path input : Golden.files(ROOT.resolve(provider.dir + "/responses"), ".json")) {
                Path expected = ROOT.resolve("responses/responses").resolve(provider.dir + "-" + input.getFileName());
                tests.add(DynamicTest.dynamicTest(provider.dir + " response " + input.getFileName(), () -> {
                    ResponsesClientRequest client = request(plain(input, false));
                    ProviderExchange exchange = exchange(provider, client);
                    Golden.compareJson(expected, client.encode(exchange.decode(Files.readAllBytes(input)), CREATED));
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> streams() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Provider provider : Provider.values()) {
            for (Path input : Golden.files(ROOT.resolve(provider.dir + "/streams"), ".sse")) {
                Path expected = ROOT.resolve("responses/streams").resolve(provider.dir + "-" + input.getFileName());
                tests.add(DynamicTest.dynamicTest(provider.dir + " stream " + input.getFileName(), () -> {
                    ResponsesClientRequest client = request(plain(input, true));
                    StreamDecoder decoder = exchange(provider, client).streamDecoder();
                    ClientStream encoder = client.streamEncoder(SEED, provider.model, CREATED);
                    SseReader reader = SseReader.of(new ByteArrayInputStream(Files.readAllBytes(input)), 1 << 20);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    for (SseEvent event = reader.next(); event != null; event = reader.next()) {
                        for (StreamEvent canonical : decoder.decode(event)) {
                            byte[] bytes = encoder.encode(canonical);
                            if (bytes != null) {
                                out.writeBytes(bytes);
                            }
                        }
                    }
                    out.writeBytes(encoder.end());
                    Golden.compareStream(expected, out.toString(StandardCharsets.UTF_8));
                }));
            }
        }
        return tests.stream();
    }

    /** A plain request with one function tool, asking for JSON for {@code json-*} files. */
    private static byte[] plain(Path input, boolean stream) {
        String name = input.getFileName().toString();
        return ("{\"model\":\"m\",\"stream\":" + stream + ",\"input\":\"x\",\"store\":false"
                + (name.startsWith("json-") ? ",\"text\":{\"format\":{\"type\":\"json_object\"}}" : "")
                + ",\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static ProviderExchange exchange(Provider provider, ResponsesClientRequest client) {
        return provider.codec.prepare(client.canonical(ChannelQuirks.NONE), provider.model, "test-key", SEED);
    }
}
