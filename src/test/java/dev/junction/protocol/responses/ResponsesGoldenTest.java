package dev.junction.protocol.responses;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.http.SseEvent;
import dev.junction.http.SseReader;
import dev.junction.protocol.ChannelCodec;
import dev.junction.protocol.ClientStream;
import dev.junction.protocol.ProviderExchange;
import dev.junction.protocol.StreamDecoder;
import dev.junction.protocol.anthropic.AnthropicCodec;
import dev.junction.protocol.gemini.GeminiCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Responses bridge against golden files under {@code fixtures/responses}: requests
 * ({@code requests/}) as each provider receives them ({@code anthropic/}, {@code gemini/}), and
 * the providers' recorded answers and streams ({@code fixtures/<provider>/responses|streams}) as a
 * Responses client receives them ({@code responses/}, {@code streams/}), event lines and sequence
 * numbers included. {@code -Dgolden.update=true} rewrites the expected files for review.
 */
class ResponsesGoldenTest {

    private static final Path ROOT = Path.of("src/test/resources/fixtures");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final long CREATED = 1_700_000_000L;
    private static final String SEED = "seed000001";
    private static final String ID = "resp_golden0001";

    private enum Provider {
        ANTHROPIC("anthropic", AnthropicCodec.INSTANCE, "claude-sonnet-4-5"),
        GEMINI("gemini", GeminiCodec.INSTANCE, "gemini-2.5-flash");

        final String dir;
        final ChannelCodec codec;
        final String model;

        Provider(String dir, ChannelCodec codec, String model) {
            this.dir = dir;
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
            for (Path input : files("responses/requests", ".json")) {
                Path expected = ROOT.resolve("responses").resolve(provider.dir).resolve(input.getFileName());
                tests.add(DynamicTest.dynamicTest(provider.dir + " request " + input.getFileName(), () -> {
                    CanonicalRequest canonical = request(Files.readAllBytes(input)).canonical(ChannelQuirks.NONE);
                    compareJson(expected, provider.codec.prepare(canonical, provider.model, "test-key", SEED).call()
                            .body());
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> responses() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Provider provider : Provider.values()) {
            for (Path input : files(provider.dir + "/responses", ".json")) {
                Path expected = ROOT.resolve("responses/responses").resolve(provider.dir + "-" + input.getFileName());
                tests.add(DynamicTest.dynamicTest(provider.dir + " response " + input.getFileName(), () -> {
                    ResponsesClientRequest client = request(plain(input, false));
                    ProviderExchange exchange = exchange(provider, client);
                    compareJson(expected, client.encode(exchange.decode(Files.readAllBytes(input)), CREATED));
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> streams() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Provider provider : Provider.values()) {
            for (Path input : files(provider.dir + "/streams", ".sse")) {
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
                    compareStream(expected, out.toString(StandardCharsets.UTF_8));
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

    private static List<Path> files(String dir, String suffix) throws IOException {
        try (Stream<Path> list = Files.list(ROOT.resolve(dir))) {
            return list.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static void compareJson(Path expected, byte[] actual) throws IOException {
        JsonNode tree = JSON.readTree(actual);
        if (UPDATE) {
            Files.writeString(expected, JSON.writeValueAsString(tree) + "\n");
        }
        assertThat(tree).as(expected.toString()).isEqualTo(JSON.readTree(Files.readString(expected)));
    }

    /** Events compared one by one: the {@code event:} line as text, the data as JSON. */
    private static void compareStream(Path expected, String actual) throws IOException {
        if (UPDATE) {
            Files.writeString(expected, actual);
        }
        List<String> want = blocks(Files.readString(expected));
        List<String> got = blocks(actual);
        assertThat(got).as(expected + " event count").hasSameSizeAs(want);
        for (int i = 0; i < want.size(); i++) {
            String[] w = want.get(i).split("\n", 2);
            String[] g = got.get(i).split("\n", 2);
            assertThat(g[0]).as(expected + " event line " + i).isEqualTo(w[0]);
            assertThat(JSON.readTree(g[1].substring("data: ".length()))).as(expected + " event " + i)
                    .isEqualTo(JSON.readTree(w[1].substring("data: ".length())));
        }
    }

    private static List<String> blocks(String sse) {
        return Stream.of(sse.split("\n\n")).map(String::strip).filter(e -> !e.isEmpty()).toList();
    }
}
