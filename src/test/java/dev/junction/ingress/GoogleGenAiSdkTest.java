package dev.junction.ingress;

import static dev.junction.testing.FakeProvider.call;
import static dev.junction.testing.FakeProvider.text;
import static dev.junction.testing.FakeProvider.toolCalls;
import static dev.junction.testing.TwoChannels.geminiAndClaude;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.Schema;
import com.google.genai.types.Tool;
import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeGemini;
import dev.junction.testing.TestGateway;
import dev.junction.testing.TwoChannels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official google-genai Java SDK pointed at Junction with its base URL, on gemini and anthropic channels. */
class GoogleGenAiSdkTest {

    @TempDir
    Path dir;

    private FakeGemini gemini;
    private FakeAnthropic anthropic;
    private TwoChannels channels;
    private TestGateway gateway;
    private Client client;

    @BeforeEach
    void start() throws Exception {
        channels = geminiAndClaude(dir, "{flash: gemini-2.5-flash}");
        gemini = (FakeGemini) channels.first();
        anthropic = (FakeAnthropic) channels.second();
        gateway = channels.gateway();
        client = Client.builder().apiKey(TestGateway.KEY)
                .httpOptions(HttpOptions.builder().baseUrl(gateway.baseUrl()).apiVersion("v1beta").build()).build();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        channels.close();
    }

    @Test
    void generateContentAndItsStreamWorkOnBothChannelTypes() throws Exception {
        for (String model : List.of("flash", "claude")) {
            gemini.then(text("Hello from Gemini."), text("Streamed from Gemini."));
            anthropic.then(text("Hello from Gemini."), text("Streamed from Gemini."));
            GenerateContentResponse answer = client.models.generateContent(model, "Say hello", null);
            assertThat(answer.text()).as(model).isEqualTo("Hello from Gemini.");
            assertThat(answer.usageMetadata().orElseThrow().promptTokenCount()).hasValue(11);
            StringBuilder streamed = new StringBuilder();
            try (ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream(model,
                    "Say hello", null)) {
                for (GenerateContentResponse chunk : stream) {
                    if (chunk.text() != null) {
                        streamed.append(chunk.text());
                    }
                }
            }
            assertThat(streamed.toString()).as(model).isEqualTo("Streamed from Gemini.");
        }
        assertThat(anthropic.last().body().at("/messages/0/content").toString()).contains("Say hello");
    }

    @Test
    void aFunctionCallFromAnAnthropicChannelReachesTheSdkWithItsArguments() throws Exception {
        anthropic.then(toolCalls(call("get_weather", "{\"city\":\"Paris\"}")));
        GenerateContentConfig config = GenerateContentConfig.builder().tools(Tool.builder().functionDeclarations(
                FunctionDeclaration.builder().name("get_weather").description("Weather of a city")
                        .parameters(Schema.builder().type("OBJECT").properties(Map.of("city",
                                Schema.builder().type("STRING").build())).required("city").build()).build()).build())
                .build();
        GenerateContentResponse answer = client.models.generateContent("claude", "Weather in Paris?", config);
        var calls = answer.functionCalls();
        assertThat(calls).hasSize(1);
        assertThat(calls.getFirst().name()).hasValue("get_weather");
        assertThat(calls.getFirst().args().orElseThrow()).containsEntry("city", "Paris");
        assertThat(calls.getFirst().id()).isPresent();
        assertThat(anthropic.last().body().at("/tools/0/input_schema/properties/city/type").asString())
                .isEqualTo("string");
    }

    /** Issue 16, bug 0: the SDK must not take a stream cut after content for a complete answer. */
    @Test
    void aStreamCutAfterContentMakesTheSdkThrowOnBothChannelTypes() throws Exception {
        gemini.then(new dev.junction.testing.FakeProvider.BrokenStream(2, dev.junction.testing.FakeProvider.Fault.CUT));
        anthropic.then(new dev.junction.testing.FakeProvider.BrokenStream(2,
                dev.junction.testing.FakeProvider.Fault.CUT));
        for (String model : List.of("flash", "claude")) {
            StringBuilder streamed = new StringBuilder();
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> {
                try (ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream(model,
                        "Say hello", null)) {
                    for (GenerateContentResponse chunk : stream) {
                        if (chunk.text() != null) {
                            streamed.append(chunk.text());
                        }
                    }
                }
            });
            assertThat(streamed.toString()).as(model).isEqualTo("part0 part1 ");
            assertThat(thrown).as(model).isInstanceOf(com.google.genai.errors.ServerException.class)
                    .hasMessageContaining("500").hasMessageContaining("stream broke");
        }
    }
}
