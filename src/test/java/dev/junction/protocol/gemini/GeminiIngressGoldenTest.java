package dev.junction.protocol.gemini;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.http.SseEvent;
import dev.junction.http.SseReader;
import dev.junction.protocol.ClientStream;
import dev.junction.protocol.ProviderExchange;
import dev.junction.protocol.StreamDecoder;
import dev.junction.protocol.anthropic.AnthropicCodec;
import dev.junction.testing.Golden;
import dev.junction.testing.StrictFakes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The Gemini ingress codecs against golden files under {@code fixtures/gemini-ingress}: Gemini
 * requests ({@code requests}) decoded and encoded for an anthropic channel ({@code anthropic}, which
 * the strict fake must also accept),
 * and Anthropic answers and streams ({@code fixtures/anthropic/responses|streams}) written back
 * in Gemini's shape ({@code responses}, {@code streams}). Run with {@code -Dgolden.update=true}
 * to rewrite the expected files after a deliberate change, then review the diff.
 */
class GeminiIngressGoldenTest {

    private static final Path ROOT = Golden.FIXTURES;
    private static final Path HERE = ROOT.resolve("gemini-ingress");
    private static final String SEED = "seed000001";
    private static final String MODEL = "claude-sonnet-4-5";

    @AutoClose
    private static final StrictFakes FAKES = StrictFakes.start();

    @TestFactory
    Stream<DynamicTest> requestsReachAnthropic() throws IOException {
        return Golden.files(HERE.resolve("requests"), ".json").stream().flatMap(input -> Stream.of(
                DynamicTest.dynamicTest(input.getFileName().toString(), () -> {
                    ProviderExchange exchange = exchange(input.getFileName().toString(), false);
                    Golden.compareJson(HERE.resolve("anthropic").resolve(input.getFileName()), exchange.call().body());
                }),
                DynamicTest.dynamicTest(input.getFileName() + " is accepted by the strict fake", () -> FAKES
                        .assertAccepted(ChannelType.ANTHROPIC, exchange(input.getFileName().toString(), false).call()))));
    }

    @TestFactory
    Stream<DynamicTest> anthropicAnswersComeBackInGeminiShape() throws IOException {
        return Golden.files(ROOT.resolve("anthropic/responses"), ".json").stream().map(input -> DynamicTest.dynamicTest(
                input.getFileName().toString(), () -> {
                    String name = input.getFileName().toString();
                    GeminiClientRequest request = request(name, false);
                    var answer = exchange(name, false).decode(Files.readAllBytes(input));
                    Golden.compareJson(HERE.resolve("responses").resolve("anthropic-" + name), request.encode(answer, 0));
                }));
    }

    @TestFactory
    Stream<DynamicTest> anthropicStreamsComeBackAsGeminiEvents() throws IOException {
        return Golden.files(ROOT.resolve("anthropic/streams"), ".sse").stream().map(input -> DynamicTest.dynamicTest(
                input.getFileName().toString(), () -> {
                    String name = input.getFileName().toString();
                    StreamDecoder decoder = exchange(name, true).streamDecoder();
                    ClientStream encoder = request(name, true).streamEncoder(SEED, MODEL, 0);
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
                    Golden.compareStream(HERE.resolve("streams").resolve("anthropic-" + name),
                            out.toString(StandardCharsets.UTF_8));
                }));
    }

    /** The Gemini request a fixture stands for: {@code json-*} answers belong to the JSON classifier call. */
    private static GeminiClientRequest request(String fixture, boolean stream) throws IOException {
        String file = fixture.startsWith("json-") ? "json-classifier.json"
                : fixture.endsWith(".json") && Files.exists(HERE.resolve("requests").resolve(fixture)) ? fixture
                : "cli-tool-round-trip.json";
        return GeminiClientRequest.parse("chat", stream, Files.readAllBytes(HERE.resolve("requests").resolve(file)));
    }

    private static ProviderExchange exchange(String fixture, boolean stream) throws IOException {
        return AnthropicCodec.INSTANCE.prepare(request(fixture, stream).canonical(ChannelQuirks.NONE), MODEL,
                "test-key", SEED);
    }

}
