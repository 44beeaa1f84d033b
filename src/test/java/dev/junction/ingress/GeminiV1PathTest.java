package dev.junction.ingress;

import static dev.junction.testing.FakeProvider.text;
import static dev.junction.testing.TwoChannels.geminiAndClaude;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.genai.Client;
import com.google.genai.Pager;
import com.google.genai.ResponseStream;
import com.google.genai.types.CountTokensResponse;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.ListModelsConfig;
import com.google.genai.types.Model;
import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeGemini;
import dev.junction.testing.JsonTree;
import dev.junction.testing.TestGateway;
import dev.junction.testing.TwoChannels;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 16, bug 2: the Gemini API under {@code /v1/models/…} as well as {@code /v1beta/models/…},
 * without taking {@code /v1/models} away from OpenAI's and Anthropic's model list and lookup.
 */
class GeminiV1PathTest {

    @TempDir
    Path dir;

    private FakeGemini gemini;
    private FakeAnthropic anthropic;
    private TwoChannels channels;
    private TestGateway gateway;
    private Client client;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        channels = geminiAndClaude(dir, "{flash: gemini-2.5-flash, 'qwen3:8b': gemini-2.5-flash}");
        gemini = (FakeGemini) channels.first();
        anthropic = (FakeAnthropic) channels.second();
        gateway = channels.gateway();
        client = Client.builder().apiKey(TestGateway.KEY)
                .httpOptions(HttpOptions.builder().baseUrl(gateway.baseUrl()).apiVersion("v1").build()).build();
    }

    @AfterEach
    void stop() throws Exception {
        http.close(); // first: an idle keep-alive connection would hold up the gateway's graceful stop
        client.close();
        channels.close();
    }

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theJavaSdkOnApiVersionV1GeneratesStreamsCountsAndLooksUpOnBothChannelTypes() throws Exception {
        for (String model : List.of("flash", "claude")) {
            gemini.then(text("Hello on v1."), text("Streamed on v1."));
            anthropic.then(text("Hello on v1."), text("Streamed on v1."));
            GenerateContentResponse answer = client.models.generateContent(model, "Say hello", null);
            assertThat(answer.text()).as(model).isEqualTo("Hello on v1.");
            StringBuilder streamed = new StringBuilder();
            try (ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream(model,
                    "Say hello", null)) {
                for (GenerateContentResponse chunk : stream) {
                    if (chunk.text() != null) {
                        streamed.append(chunk.text());
                    }
                }
            }
            assertThat(streamed.toString()).as(model).isEqualTo("Streamed on v1.");
            Model found = client.models.get(model, null);
            assertThat(found.name()).as(model).hasValueSatisfying(name -> assertThat(name).endsWith(model));
        }
        CountTokensResponse counted = client.models.countTokens("claude", "Say hello", null);
        assertThat(counted.totalTokens()).hasValueSatisfying(n -> assertThat(n).isPositive());
        assertThat(gemini.received()).allSatisfy(r -> assertThat(r.path()).startsWith("/v1beta/models/"));

        Pager<Model> pager = client.models.list(ListModelsConfig.builder().build());
        List<String> names = new ArrayList<>();
        pager.forEach(m -> names.add(m.name().orElseThrow()));
        assertThat(names).anySatisfy(n -> assertThat(n).endsWith("flash")).anySatisfy(n -> assertThat(n)
                .endsWith("claude"));
    }

    @Test
    void aPostNamingAMethodIsGeminiWhateverItsKeyHeader() throws Exception {
        gemini.then(text("Hello."));
        HttpResponse<String> answer = send("POST", "/v1/models/flash:generateContent",
                "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}",
                Map.of("Authorization", "Bearer " + TestGateway.KEY, "Content-Type", "application/json"));
        assertThat(answer.statusCode()).isEqualTo(200);
        StringBuilder text = new StringBuilder();
        JsonTree.of(answer.body()).at("/candidates/0/content/parts")
                .forEach(p -> text.append(p.path("text").asString()));
        assertThat(text.toString()).isEqualTo("Hello.");

        HttpResponse<String> unknown = send("POST", "/v1/models/nope:generateContent?key=" + TestGateway.KEY,
                "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}", Map.of("Content-Type", "application/json"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JsonTree.of(unknown.body()).at("/error/status").asString()).isEqualTo("NOT_FOUND");
    }

    @Test
    void aGetWithGeminisKeyStyleIsGeminiAndEveryOtherGetKeepsItsOwnShape() throws Exception {
        JsonNode geminiList = JsonTree.of(send("GET", "/v1/models", null,
                Map.of("x-goog-api-key", TestGateway.KEY)).body());
        assertThat(geminiList.at("/models/0/name").asString()).startsWith("models/");
        JsonNode geminiOne = JsonTree.of(send("GET", "/v1/models/flash?key=" + TestGateway.KEY, null, Map.of())
                .body());
        assertThat(geminiOne.at("/name").asString()).isEqualTo("models/flash");
        JsonNode geminiMissing = JsonTree.of(send("GET", "/v1/models/nope", null,
                Map.of("x-goog-api-key", TestGateway.KEY)).body());
        assertThat(geminiMissing.at("/error/status").asString()).isEqualTo("NOT_FOUND");

        JsonNode openAiList = JsonTree.of(gateway.get("/v1/models", TestGateway.KEY).body());
        assertThat(openAiList.at("/object").asString()).isEqualTo("list");
        assertThat(openAiList.at("/data/0/id").asString()).isEqualTo("flash");
        JsonNode openAiColon = JsonTree.of(gateway.get("/v1/models/qwen3:8b", TestGateway.KEY).body());
        assertThat(openAiColon.at("/id").asString()).isEqualTo("qwen3:8b");
        assertThat(openAiColon.at("/object").asString()).isEqualTo("model");
        JsonNode anthropicList = JsonTree.of(send("GET", "/v1/models", null, Map.of("x-api-key", TestGateway.KEY,
                "anthropic-version", "2023-06-01")).body());
        assertThat(anthropicList.at("/data/0/type").asString()).isEqualTo("model");
    }
}
