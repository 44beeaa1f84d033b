package dev.junction.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeGemini;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.JsonTree;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /v1/embeddings} in OpenAI's shape from openai channels (pass-through) and gemini channels. */
class EmbeddingsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private FakeOpenAi openai;
    private FakeGemini gemini;
    private FakeAnthropic anthropic;
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {gateway, openai, gemini, anthropic}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private void start() throws Exception {
        openai = FakeOpenAi.start("sk-fake-oai");
        gemini = FakeGemini.start("sk-fake-gemini");
        anthropic = FakeAnthropic.start("sk-fake-claude");
        gateway = TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("oai", openai, "{small: text-embedding-3-small}", "")
                + TestGateway.channel("gemini", gemini, "{gembed: gemini-embedding-001}", "")
                + TestGateway.channel("claude", anthropic, "{claude: claude-sonnet-4-5}", ""));
    }

    @Test
    void openAiChannelsGetTheRequestWithTheUpstreamModelAndUsageIsRecorded() throws Exception {
        start();
        HttpResponse<String> response = gateway.post("/v1/embeddings", "{\"model\":\"small\",\"input\":[\"ab\","
                + "\"abcd\"],\"encoding_format\":\"float\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.at("/data/1/embedding/0").asInt()).isEqualTo(4);
        assertThat(openai.received().getLast().path()).isEqualTo("/v1/embeddings");
        assertThat(openai.received().getLast().body().get("model").asString()).isEqualTo("text-embedding-3-small");
        assertThat(openai.received().getLast().body().get("encoding_format").asString()).isEqualTo("float");
        assertThat(((Number) gateway.usageRows(1).getLast().get("prompt_tokens")).intValue()).isEqualTo(6);
    }

    @Test
    void geminiChannelsAnswerThroughBatchEmbedContentsInOpenAisShape() throws Exception {
        start();
        HttpResponse<String> response = gateway.post("/v1/embeddings", "{\"model\":\"gembed\",\"input\":[\"hello\","
                + "\"hi\"],\"dimensions\":3}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.get("object").asString()).isEqualTo("list");
        assertThat(answer.get("model").asString()).isEqualTo("gembed");
        assertThat(answer.at("/data/0/object").asString()).isEqualTo("embedding");
        assertThat(answer.at("/data/1/index").asInt()).isEqualTo(1);
        assertThat(JsonTree.of(answer.at("/data/0/embedding"))).isEqualTo(JsonTree.of("[5.0,0.5,-0.25]"));
        assertThat(answer.at("/usage/prompt_tokens").asInt()).isEqualTo(3);
        assertThat(gemini.last().path()).isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
        assertThat(gemini.last().body().at("/requests/0/outputDimensionality").asInt()).isEqualTo(3);

        HttpResponse<String> single = gateway.post("/v1/embeddings", "{\"model\":\"gembed\",\"input\":\"hey\"}");
        assertThat(JSON.readTree(single.body()).get("data")).hasSize(1);
    }

    @Test
    void whatCannotBeServedIsRefusedInOpenAisShape() throws Exception {
        start();
        HttpResponse<String> base64 = gateway.post("/v1/embeddings", "{\"model\":\"gembed\",\"input\":\"x\","
                + "\"encoding_format\":\"base64\"}");
        assertThat(base64.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(base64.body()).at("/error/message").asString()).contains("base64");
        HttpResponse<String> chatOnly = gateway.post("/v1/embeddings", "{\"model\":\"claude\",\"input\":\"x\"}");
        assertThat(chatOnly.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(chatOnly.body()).at("/error/message").asString()).contains("openai or gemini");
        assertThat(gateway.post("/v1/embeddings", "{\"model\":\"small\"}").statusCode()).isEqualTo(400);
        assertThat(gemini.requestCount() + anthropic.requestCount()).isZero();

        gemini.then(new dev.junction.testing.FakeProvider.Status(400, "{\"error\":{\"code\":400,\"message\":"
                + "\"Text too long\",\"status\":\"INVALID_ARGUMENT\"}}", java.util.Map.of()));
        HttpResponse<String> relayed = gateway.post("/v1/embeddings", "{\"model\":\"gembed\",\"input\":\"x\"}");
        assertThat(relayed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(relayed.body()).at("/error/message").asString()).isEqualTo("Text too long");
        assertThat(JSON.readTree(relayed.body()).at("/error/code").asString()).isEqualTo("INVALID_ARGUMENT");
    }
}
