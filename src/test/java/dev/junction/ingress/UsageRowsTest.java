package dev.junction.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.catalog.Catalog;
import dev.junction.protocol.Tokens;
import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeGemini;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.FakeResponses;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the usage table records. Every client API to every channel type, whole and streamed, on the
 * pass-through and the translated path: the usage row carries all five token counts (input, output,
 * cached read, cache write, reasoning), in the gateway's one convention (totals include the
 * details), their cost in micro-dollars from the serving channel's price (its {@code prices:} over
 * the catalog), the client API, where the counts came from and the client's address. A stream
 * cut after content, or one whose provider sends no usage, is counted on the text delivered, with
 * the tokenizer. A request refused before relaying is recorded as {@code rejected}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageRowsTest {

    /** What each fake reports, as the usage row must read it. */
    private static final long[] OPENAI = {11, 7, 3, 0, 2};
    private static final long[] ANTHROPIC = {11, 7, 4, 2, 0}; // input_tokens 5 + cache read 4 + cache write 2
    private static final long[] GEMINI = {11, 7, 4, 0, 5}; // candidates 2 + thoughts 5
    private static final long[] RESPONSES = {11, 7, 4, 0, 3};

    private Path dir;
    private FakeOpenAi openai;
    private FakeAnthropic anthropic;
    private FakeGemini gemini;
    private FakeResponses responses;
    private TestGateway gateway;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("junction-usage-rows");
        openai = FakeOpenAi.start("sk-fake-oa");
        openai.reportTokenDetails(3, 2);
        openai.acceptAlso("sk-fake-mystery").acceptAlso("sk-fake-quiet");
        anthropic = FakeAnthropic.start("sk-fake-an");
        gemini = FakeGemini.start("sk-fake-ge");
        responses = FakeResponses.start("sk-fake-rs");
        responses.reportCachedTokens(4);
        gateway = TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("oa", openai, "{oa: gpt-5}", "")
                + TestGateway.channel("an", anthropic, "{an: claude-sonnet-4-5}", """
                        prices:
                          claude-sonnet-4-5: {input: 1, output: 2, cached_input: 0.5, cache_write: 1.5}
                        """)
                + TestGateway.channel("mystery", openai, "{mystery: mystery-model-x}", "")
                + TestGateway.channel("quiet", openai, "{quiet: gpt-5}", "stream_options: false\n")
                + TestGateway.channel("ge", gemini, "{ge: gemini-2.5-flash}", "")
                + """
                  - name: rs
                    type: openai
                    base_url: %s
                    api_key: sk-fake-rs
                    models: {rs: gpt-5}
                    responses: true
                """.formatted(responses.baseUrl()));
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {gateway, openai, anthropic, gemini, responses}) {
            if (closeable != null) {
                closeable.close();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    enum Client { CHAT, MESSAGES, RESPONSES, GEMINI }

    static Stream<Arguments> routes() {
        List<Arguments> routes = new ArrayList<>();
        for (Client client : Client.values()) {
            for (boolean stream : new boolean[] {false, true}) {
                routes.add(Arguments.of(client, "oa", stream));
                routes.add(Arguments.of(client, "an", stream));
                routes.add(Arguments.of(client, "ge", stream));
                if (client == Client.RESPONSES) {
                    routes.add(Arguments.of(client, "rs", stream));
                }
            }
        }
        return routes.stream();
    }

    @ParameterizedTest(name = "{0} client to channel {1}, stream {2}")
    @MethodSource("routes")
    void theUsageRowCarriesCachedAndReasoningTokens(Client client, String model, boolean stream) throws Exception {
        FakeProvider.Reply thinking = new FakeProvider.Thinking("Let me think.", FakeProvider.text("Hi there you"));
        long[] expected = switch (model) {
            case "oa" -> OPENAI;
            case "an" -> {
                anthropic.then(FakeProvider.text("Hi there you"));
                yield ANTHROPIC;
            }
            case "ge" -> {
                gemini.then(thinking);
                yield GEMINI;
            }
            default -> {
                responses.then(thinking);
                yield RESPONSES;
            }
        };
        HttpResponse<String> response = send(client, model, stream);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String requestId = response.headers().firstValue("x-request-id").orElseThrow();
        Map<String, Object> row = row(requestId);
        assertThat(row).containsEntry("channel", model).containsEntry("end_reason", "done")
                .containsEntry("client_api", switch (client) {
                    case CHAT -> "openai";
                    case MESSAGES -> "anthropic";
                    case RESPONSES -> "responses";
                    case GEMINI -> "gemini";
                })
                .containsEntry("token_source", "provider")
                .containsEntry("client_ip", "127.0.0.1");
        long expectedCost = model.equals("an")
                // the channel's prices: (5 uncached · $1 + 4 cached · $0.5 + 2 written · $1.5 + 7 out · $2) / 1M
                ? 24
                : Catalog.builtIn().cost((String) row.get("upstream_model"), expected[0], expected[1], expected[2],
                        expected[3], expected[4]).orElseThrow();
        assertThat(((Number) row.get("cost_micros")).longValue()).as("cost in micro-dollars").isEqualTo(expectedCost);
        assertThat(List.of("prompt_tokens", "completion_tokens", "cached_read_tokens", "cache_write_tokens",
                "reasoning_tokens").stream().map(c -> ((Number) row.get(c)).longValue()).toList())
                .as("input, output, cached read, cache write, reasoning")
                .containsExactly(expected[0], expected[1], expected[2], expected[3], expected[4]);
    }

    @Test
    void aModelWithoutAKnownPriceIsServedAndItsCostIsUnknown() throws Exception {
        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"mystery\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> row = row(response.headers().firstValue("x-request-id").orElseThrow());
        assertThat(row).containsEntry("upstream_model", "mystery-model-x").containsEntry("token_source", "provider");
        assertThat(row.get("cost_micros")).as("unknown, not zero").isNull();
        assertThat(((Number) row.get("completion_tokens")).longValue()).isPositive();
    }

    @Test
    void embeddingsAreRecordedWithTheirClientApiAndCost() throws Exception {
        HttpResponse<String> response = gateway.post("/v1/embeddings",
                "{\"model\":\"oa\",\"input\":[\"one\",\"two\"]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, Object> row = row(response.headers().firstValue("x-request-id").orElseThrow());
        assertThat(row).containsEntry("client_api", "embeddings").containsEntry("token_source", "provider")
                .containsEntry("prompt_tokens", 6);
        assertThat(((Number) row.get("cost_micros")).longValue())
                .isEqualTo(Catalog.builtIn().cost("gpt-5", 6, 0, 0, 0, 0).orElseThrow());
    }

    /** Every client API to every channel type: a stream cut after content, on the pass-through and the translated path. */
    static Stream<Arguments> cutStreams() {
        List<Arguments> routes = new ArrayList<>();
        for (Client client : Client.values()) {
            for (String model : List.of("oa", "an", "ge", "rs")) {
                if (!model.equals("rs") || client == Client.RESPONSES) {
                    routes.add(Arguments.of(client, model));
                }
            }
        }
        return routes.stream();
    }

    @ParameterizedTest(name = "{0} client to channel {1}")
    @MethodSource("cutStreams")
    void aStreamCutAfterContentIsCountedOnTheTextDelivered(Client client, String model) throws Exception {
        int pieces = 120;
        FakeProvider fake = switch (model) {
            case "oa" -> openai;
            case "an" -> anthropic;
            case "ge" -> gemini;
            default -> responses;
        };
        fake.then(new FakeProvider.BrokenStream(pieces, FakeProvider.Fault.CUT));
        HttpResponse<String> response = send(client, model, true);
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> row = row(response.headers().firstValue("x-request-id").orElseThrow());
        StringBuilder delivered = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            delivered.append("part").append(i).append(' ');
        }
        long truth = Tokens.count(delivered.toString());
        assertThat(row).containsEntry("end_reason", "upstream_cut").containsEntry("token_source", "estimated");
        assertThat(((Number) row.get("completion_tokens")).longValue()).as("within 5% of the delivered text's count")
                .isBetween(Math.round(truth * 0.95), Math.round(truth * 1.05));
        assertThat(((Number) row.get("prompt_tokens")).longValue()).as("the prompt, reported or estimated").isPositive();
        assertThat(row.get("cost_micros")).isNotNull();
    }

    @ParameterizedTest(name = "{0} client")
    @EnumSource(Client.class)
    void aStreamWhoseProviderSendsNoUsageIsEstimated(Client client) throws Exception {
        openai.then(FakeProvider.text("Hi there you, this answer has no usage chunk"));
        HttpResponse<String> response = send(client, "quiet", true);
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> row = row(response.headers().firstValue("x-request-id").orElseThrow());
        assertThat(row).containsEntry("end_reason", "done").containsEntry("token_source", "estimated");
        long truth = Tokens.count("Hi there you, this answer has no usage chunk");
        assertThat(((Number) row.get("completion_tokens")).longValue()).isBetween(truth - 1, truth + 1);
        assertThat(((Number) row.get("prompt_tokens")).longValue()).isPositive();
    }

    @Test
    void aRequestRefusedBeforeRelayingIsRecordedAsRejected() throws Exception {
        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertThat(response.statusCode()).isEqualTo(404);
        Map<String, Object> row = row(response.headers().firstValue("x-request-id").orElseThrow());
        assertThat(row).containsEntry("end_reason", "rejected").containsEntry("status", 404)
                .containsEntry("attempts", "[]").containsEntry("prompt_tokens", 0)
                .containsEntry("cost_micros", 0).containsEntry("client_api", "openai");
        assertThat(row.get("token_source")).isNull();
    }

    private HttpResponse<String> send(Client client, String model, boolean stream) throws Exception {
        return switch (client) {
            case CHAT -> gateway.post("/v1/chat/completions", "{\"model\":\"" + model + "\",\"stream\":" + stream
                    + ",\"reasoning_effort\":\"high\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}]}");
            case MESSAGES -> gateway.post("/v1/messages", "{\"model\":\"" + model + "\",\"stream\":" + stream
                    + ",\"max_tokens\":4096,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048},"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}]}");
            case RESPONSES -> gateway.post("/v1/responses", "{\"model\":\"" + model + "\",\"stream\":" + stream
                    + ",\"reasoning\":{\"effort\":\"high\"},\"input\":\"Say hi\"}");
            case GEMINI -> gateway.post("/v1beta/models/" + model
                    + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent"),
                    "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Say hi\"}]}],\"generationConfig\":"
                            + "{\"thinkingConfig\":{\"includeThoughts\":true,\"thinkingBudget\":1024}}}");
        };
    }

    private Map<String, Object> row(String requestId) throws Exception {
        for (int i = 0; i < 200; i++) {
            for (Map<String, Object> row : gateway.usageRows()) {
                if (requestId.equals(row.get("request_id"))) {
                    return row;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no usage row for " + requestId);
    }
}
