package dev.junction.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.http.SseEvent;
import dev.junction.http.SseReader;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.StreamDecoder;
import dev.junction.testing.Golden;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Round trips through the canonical model, on the golden inputs and on many generated ones (fixed
 * seeds, so a failure names a reproducible case):
 * <ul>
 *   <li>an OpenAI request, decoded by {@link OpenAiChatDecoder} and encoded by {@link OpenAiCodec},
 *       is the same request up to what canonical form does not keep or OpenAI spells two ways;</li>
 *   <li>a {@code chat.completion}, decoded by the codec and written by {@link ChatCompletionEncoder},
 *       has the same content, reasoning, refusal, tool calls, finish and usage;</li>
 *   <li>a chunk stream, decoded by the codec and written by {@link ChatChunkEncoder}, assembles into
 *       the same answer as the original stream, however the original was cut, interleaved and ended.</li>
 * </ul>
 */
class OpenAiChannelRoundTripTest {

    private static final Path FIXTURES = Golden.FIXTURES;
    private static final int GENERATED = 300;
    /** Golden requests that change by design: tool-result images move to a user message, text files become text. */
    private static final Set<String> NOT_ROUND_TRIPS = Set.of("tool-result-media.json");

    // --- requests --------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> requestsSurviveTheCanonicalModel() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path input : Golden.files(FIXTURES.resolve("openai/requests"), ".json")) {
            if (!NOT_ROUND_TRIPS.contains(input.getFileName().toString())) {
                ObjectNode request = (ObjectNode) JsonTrees.MAPPER.readTree(Files.readAllBytes(input));
                tests.add(DynamicTest.dynamicTest("request " + input.getFileName(), () -> assertRequestRoundTrip(
                        request)));
            }
        }
        IntStream.range(0, GENERATED).forEach(seed -> tests.add(DynamicTest.dynamicTest("generated request " + seed,
                () -> assertRequestRoundTrip(new RequestGenerator(new Random(seed)).request()))));
        return tests.stream();
    }

    private static void assertRequestRoundTrip(ObjectNode original) {
        String model = original.path("model").asString();
        CanonicalRequest canonical = OpenAiChatDecoder.decode(ChatRequest.parse(JsonTrees.bytes(original)),
                ChannelQuirks.NONE);
        ObjectNode encoded = JsonTrees.object(OpenAiCodec.INSTANCE.prepare(canonical, model, "k", "seed").call()
                .body());
        boolean replay = ChatRequestEncoder.replaysReasoning(model);
        assertThat(RequestForm.of(encoded, replay)).as(original.toString())
                .isEqualTo(RequestForm.of(original, replay));
    }

    // --- whole answers ---------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> completionsSurviveTheCanonicalModel() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path input : Golden.files(FIXTURES.resolve("openai-channel/responses"), ".json")) {
            ObjectNode completion = JsonTrees.object(Files.readAllBytes(input));
            tests.add(DynamicTest.dynamicTest("completion " + input.getFileName(), () -> assertCompletionRoundTrip(
                    completion)));
        }
        IntStream.range(0, GENERATED).forEach(seed -> tests.add(DynamicTest.dynamicTest("generated completion " + seed,
                () -> assertCompletionRoundTrip(new AnswerGenerator(new Random(seed)).answer().completion()))));
        return tests.stream();
    }

    private static void assertCompletionRoundTrip(ObjectNode original) {
        CanonicalResponse response = OpenAiChannelGoldenTest.exchange(false).decode(JsonTrees.bytes(original));
        ObjectNode encoded = JsonTrees.object(ChatCompletionEncoder.encode(response, 1));
        assertThat(Answer.ofCompletion(encoded)).as(original.toString()).isEqualTo(Answer.ofCompletion(original));
    }

    // --- streams ---------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> streamsSurviveTheCanonicalModel() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path input : Golden.files(FIXTURES.resolve("openai-channel/streams"), ".sse")) {
            if (!input.getFileName().toString().startsWith("error")) {
                String sse = Files.readString(input);
                tests.add(DynamicTest.dynamicTest("stream " + input.getFileName(), () -> assertStreamRoundTrip(sse)));
            }
        }
        IntStream.range(0, GENERATED).forEach(seed -> tests.add(DynamicTest.dynamicTest("generated stream " + seed,
                () -> {
                    Random random = new Random(seed);
                    assertStreamRoundTrip(new AnswerGenerator(random).answer().stream(random));
                })));
        return tests.stream();
    }

    private static void assertStreamRoundTrip(String sse) throws IOException {
        StreamDecoder decoder = OpenAiChannelGoldenTest.exchange(true).streamDecoder();
        ChatChunkEncoder encoder = ChatChunkEncoder.create("chatcmpl-seed", "fallback", 1, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int finishes = 0;
        SseReader reader = SseReader.of(new ByteArrayInputStream(sse.getBytes(StandardCharsets.UTF_8)), 1 << 20);
        for (SseEvent event = reader.next(); event != null; event = reader.next()) {
            for (StreamEvent canonical : decoder.decode(event)) {
                finishes += canonical instanceof StreamEvent.Finish ? 1 : 0;
                byte[] bytes = encoder.encode(canonical);
                if (bytes != null) {
                    out.writeBytes(bytes);
                }
            }
        }
        assertThat(decoder.complete()).as("complete: " + sse).isTrue();
        assertThat(finishes).as("finishes: " + sse).isEqualTo(1);
        out.writeBytes(encoder.end());
        assertThat(Answer.ofStream(out.toString(StandardCharsets.UTF_8))).as(sse).isEqualTo(Answer.ofStream(sse));
    }

    // --- comparing answers -----------------------------------------------------------------------
}
