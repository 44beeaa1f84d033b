package dev.junction.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.protocol.JsonTrees;
import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeGemini;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Input the gateway cannot send on (numbers beyond what a provider's field holds, wrong types,
 * invalid text) is the client's 400 in its own API's shape: nothing goes upstream, and however
 * often it is sent, the channel's breaker does not open (issue 21, defect 1).
 */
class ClientInputTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private AutoCloseable fake;
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    /** Which client API the bad input arrives in, and which channel type serves it. */
    enum Api {
        CHAT("/v1/chat/completions", "authorization", "Bearer " + TestGateway.KEY),
        RESPONSES("/v1/responses", "authorization", "Bearer " + TestGateway.KEY),
        MESSAGES("/v1/messages", "x-api-key", TestGateway.KEY),
        GEMINI("/v1beta/models/chat:generateContent", "x-goog-api-key", TestGateway.KEY);

        final String path;
        final String header;
        final String value;

        Api(String path, String header, String value) {
            this.path = path;
            this.header = header;
            this.value = value;
        }
    }

    enum Channel { OPENAI, ANTHROPIC, GEMINI }

    record Case(String name, Api api, Channel channel, byte[] body, String good) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String CHAT_GOOD = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String MESSAGES_GOOD = "{\"model\":\"chat\",\"max_tokens\":100,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String GEMINI_GOOD = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";
    private static final String RESPONSES_GOOD = "{\"model\":\"chat\",\"input\":\"hi\"}";

    static Stream<Case> cases() {
        String tool = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{\"type\":"
                + "\"function\",\"function\":{\"name\":\"%s\",\"parameters\":%s}}]}";
        return Stream.of(
                new Case("max_tokens beyond int, chat to anthropic", Api.CHAT, Channel.ANTHROPIC, utf8(
                        "{\"model\":\"chat\",\"max_tokens\":2147483648,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                        CHAT_GOOD),
                new Case("max_tokens beyond int, messages to openai", Api.MESSAGES, Channel.OPENAI, utf8(
                        "{\"model\":\"chat\",\"max_tokens\":2147483648,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                        MESSAGES_GOOD),
                new Case("seed beyond 64 bits, chat to gemini", Api.CHAT, Channel.GEMINI, utf8(
                        "{\"model\":\"chat\",\"seed\":18446744073709551616,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                        CHAT_GOOD),
                new Case("topK beyond int, gemini to anthropic", Api.GEMINI, Channel.ANTHROPIC, utf8(
                        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],"
                                + "\"generationConfig\":{\"topK\":2147483648}}"), GEMINI_GOOD),
                new Case("seed beyond int, gemini to openai", Api.GEMINI, Channel.OPENAI, utf8(
                        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],"
                                + "\"generationConfig\":{\"seed\":2147483648}}"), GEMINI_GOOD),
                new Case("max_output_tokens beyond int, responses to anthropic", Api.RESPONSES, Channel.ANTHROPIC,
                        utf8("{\"model\":\"chat\",\"input\":\"hi\",\"max_output_tokens\":2147483648}"), RESPONSES_GOOD),
                new Case("stopSequences [[]], gemini to openai", Api.GEMINI, Channel.OPENAI, utf8(
                        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],"
                                + "\"generationConfig\":{\"stopSequences\":[[]]}}"), GEMINI_GOOD),
                new Case("tools as an object, chat to anthropic", Api.CHAT, Channel.ANTHROPIC, utf8(
                        "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                                + "\"tools\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}}}"), CHAT_GOOD),
                new Case("lone surrogate in a tool schema, chat to anthropic", Api.CHAT, Channel.ANTHROPIC, utf8(
                        tool.formatted("f", "{\"type\":\"object\",\"description\":\"\\ud800\"}")), CHAT_GOOD),
                new Case("encoded surrogate bytes in a tool name, chat to anthropic", Api.CHAT, Channel.ANTHROPIC,
                        withBytes(tool.formatted("f@", "{\"type\":\"object\"}"), '@',
                                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}), CHAT_GOOD),
                new Case("UTF-16LE body, messages pass-through", Api.MESSAGES, Channel.ANTHROPIC,
                        MESSAGES_GOOD.getBytes(StandardCharsets.UTF_16LE), MESSAGES_GOOD));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void inputThatCannotBeSentIsTheClientsBadRequestAndNeverTripsTheBreaker(Case c) throws Exception {
        String channel = switch (c.channel()) {
            case OPENAI -> {
                FakeOpenAi openai = FakeOpenAi.start("sk-fake-only");
                fake = openai;
                yield TestGateway.channel("only", openai, "{chat: gpt-4o}", "");
            }
            case ANTHROPIC -> {
                FakeAnthropic anthropic = FakeAnthropic.start("sk-fake-only");
                fake = anthropic;
                yield TestGateway.channel("only", anthropic, "{chat: claude-sonnet-4-5}", "");
            }
            case GEMINI -> {
                FakeGemini gemini = FakeGemini.start("sk-fake-only");
                fake = gemini;
                yield TestGateway.channel("only", gemini, "{chat: gemini-2.5-flash}", "");
            }
        };
        gateway = TestGateway.start(dir, "channels:\n" + channel);
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = send(c.api(), c.body());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertClientShape(c.api(), JsonTrees.MAPPER.readTree(response.body()));
        }
        assertThat(upstreamCalls()).as("nothing reached the provider").isZero();
        HttpResponse<String> good = send(c.api(), utf8(c.good()));
        assertThat(good.statusCode()).as("the only channel still serves (its breaker is closed): " + good.body()).isEqualTo(200);
        assertThat(good.headers().firstValue("x-junction-channel")).contains("only");
    }

    private int upstreamCalls() {
        return fake instanceof FakeOpenAi openai ? openai.requestCount() : ((FakeProvider) fake).requestCount();
    }

    private static void assertClientShape(Api api, JsonNode error) {
        switch (api) {
            case CHAT, RESPONSES -> assertThat(error.at("/error/type").asString()).isEqualTo("invalid_request_error");
            case MESSAGES -> {
                assertThat(error.at("/type").asString()).isEqualTo("error");
                assertThat(error.at("/error/type").asString()).isEqualTo("invalid_request_error");
            }
            case GEMINI -> {
                assertThat(error.at("/error/code").asInt()).isEqualTo(400);
                assertThat(error.at("/error/status").asString()).isEqualTo("INVALID_ARGUMENT");
            }
        }
    }

    private HttpResponse<String> send(Api api, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + api.path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json").header(api.header, api.value)
                .header("anthropic-version", "2023-06-01").build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code text} as UTF-8 with {@code marker} replaced by raw bytes. */
    private static byte[] withBytes(String text, char marker, byte[] bytes) {
        int at = text.indexOf(marker);
        byte[] head = utf8(text.substring(0, at));
        byte[] tail = utf8(text.substring(at + 1));
        byte[] all = new byte[head.length + bytes.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bytes, 0, all, head.length, bytes.length);
        System.arraycopy(tail, 0, all, head.length + bytes.length, tail.length);
        return all;
    }
}
