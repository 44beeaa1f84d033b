package dev.junction.protocol.openai;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.http.SseEvent;
import dev.junction.http.SseReader;
import dev.junction.protocol.ProviderCall;
import dev.junction.protocol.ProviderExchange;
import dev.junction.protocol.StreamDecoder;
import dev.junction.testing.Golden;
import dev.junction.testing.StrictFakes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAI channel codec against golden files under {@code src/test/resources/fixtures/openai-channel}:
 * OpenAI client requests ({@code openai/requests/<name>}) through the canonical model into the channel's
 * request ({@code openai-channel/requests/<name>}), which the strict fake must also accept; provider answers ({@code openai-channel/responses}) and
 * chunk streams ({@code openai-channel/streams}) into canonical form, written as JSON
 * ({@code openai-channel/canonical/{responses,streams}/<name>.json}: every record with its type, every
 * stream event in order). Run with {@code -Dgolden.update=true} to rewrite the expected files after a
 * deliberate change, then review the diff.
 */
class OpenAiChannelGoldenTest {

    private static final Path ROOT = Golden.FIXTURES;
    private static final Path CHANNEL = ROOT.resolve("openai-channel");
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final String SEED = "seed000001";
    @AutoClose
    private static final StrictFakes FAKES = StrictFakes.start();
    /**
     * Golden requests the strict fake refuses because of a gateway bug, with the bug: each is
     * reported as skipped until the bug is fixed (then remove it here).
     */
    private static final Map<String, String> KNOWN_REFUSALS = Map.of();
    /** The channel's model for client requests that name the gateway's public model. */
    private static final String CHANNEL_MODEL = "gpt-4.1";

    @TestFactory
    Stream<DynamicTest> requests() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path expected : Golden.files(CHANNEL.resolve("requests"), ".json")) {
            Path input = ROOT.resolve("openai/requests").resolve(expected.getFileName());
            tests.add(DynamicTest.dynamicTest("request " + expected.getFileName(),
                    () -> compare(expected, JSON.readTree(call(input).body()))));
            tests.add(DynamicTest.dynamicTest("request " + expected.getFileName() + " is accepted by the strict fake",
                    () -> {
                        String bug = KNOWN_REFUSALS.get(expected.getFileName().toString());
                        Assumptions.assumeTrue(bug == null, bug);
                        FAKES.assertAccepted(ChannelType.OPENAI, call(input));
                    }));
        }
        return tests.stream();
    }

    /** The channel request for an OpenAI client request, to the model it names or the channel's. */
    private static ProviderCall call(Path input) throws IOException {
        ChatRequest chat = ChatRequest.parse(Files.readAllBytes(input));
        CanonicalRequest request = OpenAiChatDecoder.decode(chat, ChannelQuirks.NONE);
        String model = chat.model().equals("assistant") ? CHANNEL_MODEL : chat.model();
        return OpenAiCodec.INSTANCE.prepare(request, model, StrictFakes.KEY, SEED).call();
    }

    @TestFactory
    Stream<DynamicTest> responses() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path input : Golden.files(CHANNEL.resolve("responses"), ".json")) {
            Path expected = CHANNEL.resolve("canonical/responses").resolve(input.getFileName());
            tests.add(DynamicTest.dynamicTest("response " + input.getFileName(), () -> compare(expected,
                    tree(exchange(false).decode(Files.readAllBytes(input))))));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> streams() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path input : Golden.files(CHANNEL.resolve("streams"), ".sse")) {
            String name = input.getFileName().toString().replace(".sse", ".json");
            Path expected = CHANNEL.resolve("canonical/streams").resolve(name);
            tests.add(DynamicTest.dynamicTest("stream " + input.getFileName(), () -> {
                StreamDecoder decoder = exchange(true).streamDecoder();
                SseReader reader = SseReader.of(new ByteArrayInputStream(Files.readAllBytes(input)), 1 << 20);
                ArrayNode events = JSON.createArrayNode();
                for (SseEvent event = reader.next(); event != null; event = reader.next()) {
                    for (StreamEvent canonical : decoder.decode(event)) {
                        events.add(tree(canonical));
                    }
                }
                ObjectNode result = JSON.createObjectNode();
                result.set("events", events);
                result.put("complete", decoder.complete());
                compare(expected, result);
            }));
        }
        return tests.stream();
    }

    /** The exchange answers are decoded with: a plain request to the channel's model. */
    static ProviderExchange exchange(boolean stream) {
        String body = "{\"model\":\"m\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        CanonicalRequest request = OpenAiChatDecoder.decode(ChatRequest.parse(body.getBytes(StandardCharsets.UTF_8)),
                ChannelQuirks.NONE);
        return OpenAiCodec.INSTANCE.prepare(request, CHANNEL_MODEL, "test-key", SEED);
    }

    /**
     * A canonical value as JSON: records as objects (members of a sealed interface, such as parts
     * and stream events, with their {@code @type}), lists as arrays, enums by name.
     */
    static JsonNode tree(Object value) {
        return switch (value) {
            case null -> JSON.nullNode();
            case Record record -> {
                ObjectNode object = JSON.createObjectNode();
                Class<?> type = record.getClass();
                if (type.getEnclosingClass() != null && type.getEnclosingClass().isInterface()) {
                    object.put("@type", type.getEnclosingClass().getSimpleName() + "." + type.getSimpleName());
                }
                for (RecordComponent component : type.getRecordComponents()) {
                    try {
                        object.set(component.getName(), tree(component.getAccessor().invoke(record)));
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                }
                yield object;
            }
            case List<?> list -> {
                ArrayNode array = JSON.createArrayNode();
                list.forEach(item -> array.add(tree(item)));
                yield array;
            }
            case Optional<?> optional -> tree(optional.orElse(null));
            case Enum<?> constant -> JSON.getNodeFactory().stringNode(constant.name());
            default -> JSON.valueToTree(value);
        };
    }

    /** Written out and read back, so numbers are typed as a reader types them, like the expected file's. */
    private static void compare(Path expected, JsonNode tree) throws IOException {
        Golden.compareJson(expected, JSON.writeValueAsBytes(tree));
    }
}
