package dev.junction.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.http.SseEvent;
import dev.junction.http.SseReader;
import dev.junction.protocol.anthropic.AnthropicCodec;
import dev.junction.protocol.gemini.GeminiCodec;
import dev.junction.protocol.openai.ChatChunkEncoder;
import dev.junction.protocol.openai.ChatCompletionEncoder;
import dev.junction.protocol.openai.ChatRequest;
import dev.junction.protocol.openai.OpenAiChatDecoder;
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
 * Every translation direction against golden files under {@code src/test/resources/fixtures}:
 * OpenAI requests ({@code openai/requests}) into each provider's request ({@code <provider>/requests}),
 * provider answers ({@code <provider>/responses}) and event streams ({@code <provider>/streams}) into
 * OpenAI's ({@code openai/responses/<provider>-*}, {@code openai/streams/<provider>-*}). JSON is
 * compared as trees, streams event by event. Run with {@code -Dgolden.update=true} to rewrite the
 * expected files after a deliberate change, then review the diff.
 */
class GoldenTranslationTest {

    private static final Path ROOT = Path.of("src/test/resources/fixtures");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final long CREATED = 1_700_000_000L;
    private static final String SEED = "seed000001";

    private enum Provider {
        ANTHROPIC("anthropic", AnthropicCodec.INSTANCE, "claude", "claude-sonnet-4-5"),
        GEMINI("gemini", GeminiCodec.INSTANCE, "gemini", "gemini-2.5-flash");

        final String dir;
        final ChannelCodec codec;
        final String family;
        final String defaultModel;

        Provider(String dir, ChannelCodec codec, String family, String defaultModel) {
            this.dir = dir;
            this.codec = codec;
            this.family = family;
            this.defaultModel = defaultModel;
        }

        /** The request's model when it names one of this provider's, else a typical one. */
        String model(String clientModel) {
            return clientModel.startsWith(family) ? clientModel : defaultModel;
        }
    }

    @TestFactory
    Stream<DynamicTest> requests() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Provider provider : Provider.values()) {
            for (Path expected : files(provider.dir + "/requests", ".json")) {
                Path input = ROOT.resolve("openai/requests").resolve(expected.getFileName());
                tests.add(DynamicTest.dynamicTest(provider.dir + " request " + expected.getFileName(), () -> {
                    ChatRequest chat = ChatRequest.parse(Files.readAllBytes(input));
                    CanonicalRequest request = OpenAiChatDecoder.decode(chat, ChannelQuirks.NONE);
                    ProviderCall call = provider.codec.prepare(request, provider.model(chat.model()),
                            "test-key", SEED).call();
                    compareJson(expected, call.body());
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
                Path expected = ROOT.resolve("openai/responses").resolve(provider.dir + "-" + input.getFileName());
                tests.add(DynamicTest.dynamicTest(provider.dir + " response " + input.getFileName(), () -> {
                    ProviderExchange exchange = exchange(provider, input, false);
                    compareJson(expected, ChatCompletionEncoder.encode(exchange.decode(Files.readAllBytes(input)),
                            CREATED));
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
                Path expected = ROOT.resolve("openai/streams").resolve(provider.dir + "-" + input.getFileName());
                tests.add(DynamicTest.dynamicTest(provider.dir + " stream " + input.getFileName(), () -> {
                    StreamDecoder decoder = exchange(provider, input, true).streamDecoder();
                    ChatChunkEncoder encoder = ChatChunkEncoder.create("chatcmpl-" + SEED, provider.defaultModel,
                            CREATED, true);
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
                    assertThat(decoder.complete()).as("the stream says it is complete").isTrue();
                    out.writeBytes(encoder.end());
                    compareStream(expected, out.toString(StandardCharsets.UTF_8));
                }));
            }
        }
        return tests.stream();
    }

    /** The exchange answers are decoded with: a plain request, or one asking for JSON for {@code json-*} files. */
    private static ProviderExchange exchange(Provider provider, Path input, boolean stream) {
        String name = input.getFileName().toString();
        String body = "{\"model\":\"m\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]"
                + (name.startsWith("json-") ? ",\"response_format\":{\"type\":\"json_object\"}" : "") + "}";
        CanonicalRequest request = OpenAiChatDecoder.decode(ChatRequest.parse(body.getBytes(StandardCharsets.UTF_8)),
                ChannelQuirks.NONE);
        return provider.codec.prepare(request, provider.defaultModel, "test-key", SEED);
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

    private static void compareStream(Path expected, String actual) throws IOException {
        if (UPDATE) {
            Files.writeString(expected, actual);
        }
        List<String> want = events(Files.readString(expected));
        List<String> got = events(actual);
        assertThat(got).as(expected + " event count").hasSameSizeAs(want);
        for (int i = 0; i < want.size(); i++) {
            String w = want.get(i);
            String g = got.get(i);
            if (w.startsWith("{")) {
                assertThat(JSON.readTree(g)).as(expected + " event " + i).isEqualTo(JSON.readTree(w));
            } else {
                assertThat(g).as(expected + " event " + i).isEqualTo(w);
            }
        }
    }

    /** The data of each event. */
    private static List<String> events(String sse) {
        return Stream.of(sse.split("\n\n")).map(String::strip).filter(e -> !e.isEmpty())
                .map(e -> e.startsWith("data: ") ? e.substring(6) : e).toList();
    }
}
