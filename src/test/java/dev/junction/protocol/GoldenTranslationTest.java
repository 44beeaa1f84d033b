package dev.junction.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
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
 * Every translation direction against golden files under {@code src/test/resources/fixtures}:
 * OpenAI requests ({@code openai/requests}) into each provider's request ({@code <provider>/requests}),
 * which the provider's strict fake must also accept,
 * provider answers ({@code <provider>/responses}) and event streams ({@code <provider>/streams}) into
 * OpenAI's ({@code openai/responses/<provider>-*}, {@code openai/streams/<provider>-*}). JSON is
 * compared as trees, streams event by event. Run with {@code -Dgolden.update=true} to rewrite the
 * expected files after a deliberate change, then review the diff.
 */
class GoldenTranslationTest {

    private static final Path ROOT = Golden.FIXTURES;
    private static final long CREATED = 1_700_000_000L;
    private static final String SEED = "seed000001";

    @AutoClose
    private static final StrictFakes FAKES = StrictFakes.start();

    private enum Provider {
        ANTHROPIC("anthropic", ChannelType.ANTHROPIC, AnthropicCodec.INSTANCE, "claude", "claude-sonnet-4-5"),
        GEMINI("gemini", ChannelType.GEMINI, GeminiCodec.INSTANCE, "gemini", "gemini-2.5-flash");

        final String dir;
        final ChannelType type;
        final ChannelCodec codec;
        final String family;
        final String defaultModel;

        Provider(String dir, ChannelType type, ChannelCodec codec, String family, String defaultModel) {
            this.dir = dir;
            this.type = type;
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
            for (Path expected : Golden.files(ROOT.resolve(provider.dir + "/requests"), ".json")) {
                Path input = ROOT.resolve("openai/requests").resolve(expected.getFileName());
                tests.add(DynamicTest.dynamicTest(provider.dir + " request " + expected.getFileName(),
                        () -> Golden.compareJson(expected, call(provider, input).body())));
                tests.add(DynamicTest.dynamicTest(provider.dir + " request " + expected.getFileName()
                        + " is accepted by the strict fake", () -> FAKES.assertAccepted(provider.type,
                        call(provider, input))));
            }
        }
        return tests.stream();
    }

    /** The provider request for an OpenAI client request. */
    private static ProviderCall call(Provider provider, Path input) throws IOException {
        ChatRequest chat = ChatRequest.parse(Files.readAllBytes(input));
        CanonicalRequest request = OpenAiChatDecoder.decode(chat, ChannelQuirks.NONE);
        return provider.codec.prepare(request, provider.model(chat.model()), StrictFakes.KEY, SEED).call();
    }

    @TestFactory
    Stream<DynamicTest> responses() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Provider provider : Provider.values()) {
            for (Path input : Golden.files(ROOT.resolve(provider.dir + "/responses"), ".json")) {
                Path expected = ROOT.resolve("openai/responses").resolve(provider.dir + "-" + input.getFileName());
                tests.add(DynamicTest.dynamicTest(provider.dir + " response " + input.getFileName(), () -> {
                    ProviderExchange exchange = exchange(provider, input, false);
                    Golden.compareJson(expected, ChatCompletionEncoder.encode(exchange.decode(Files.readAllBytes(input)),
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
            for (Path input : Golden.files(ROOT.resolve(provider.dir + "/streams"), ".sse")) {
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
                    Golden.compareStream(expected, out.toString(StandardCharsets.UTF_8));
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
}
