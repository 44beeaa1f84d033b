package dev.junction.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.TestGateway;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests Jetty refuses before the gateway's handler sees them are answered like every other
 * error: JSON in the client API's shape, with an {@code x-request-id}.
 */
class EdgeErrorsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private TestGateway gateway;
    private int port;

    @BeforeEach
    void start() throws Exception {
        gateway = TestGateway.start(dir, "");
        port = gateway.gateway().port();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private RawHttp.Response send(String request) throws Exception {
        RawHttp.Response response = RawHttp.exchange(port, request);
        assertThat(response.header("x-request-id")).as("x-request-id").startsWith("req_");
        assertThat(response.header("content-type")).startsWith("application/json");
        return response;
    }

    /** Asserts OpenAI's shape: {@code {"error":{"message","type","code"}}}. */
    private static JsonNode openAi(RawHttp.Response response) {
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("message").asString()).isNotBlank();
        assertThat(error.path("type").asString()).isNotBlank();
        assertThat(error.path("code").asString()).isNotBlank();
        return error;
    }

    @Test
    void headersOverTheLimitGet431InOpenAiShape() throws Exception {
        RawHttp.Response response = send("GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: " + "x".repeat(65536)
                + "\r\n\r\n");
        assertThat(response.status()).isEqualTo(431);
        assertThat(openAi(response).path("code").asString()).isEqualTo("request_headers_too_large");
    }

    @Test
    void aHugeUriGets414() throws Exception {
        RawHttp.Response response = send("GET /v1/chat/completions?" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(response.status()).isEqualTo(414);
        assertThat(openAi(response).path("type").asString()).isEqualTo("invalid_request_error");
    }

    @Test
    void aBadContentLengthOnTheMessagesRouteGets400InAnthropicShape() throws Exception {
        RawHttp.Response response = send("POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
        assertThat(response.status()).isEqualTo(400);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("type").asString()).isEqualTo("error");
        assertThat(body.path("error").path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(body.path("error").path("message").asString()).contains("Content-Length");
    }

    @Test
    void anEmptyPathSegmentOnAGeminiRouteGets400InGeminiShape() throws Exception {
        RawHttp.Response response = send("POST /v1beta/models//gemini:generateContent HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(response.status()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(400);
        assertThat(error.path("status").asString()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.path("message").asString()).contains("Ambiguous");
    }

    @Test
    void anEncodedSlashInThePathGets400() throws Exception {
        RawHttp.Response response = send("POST /v1/chat%2fcompletions HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(response.status()).isEqualTo(400);
        assertThat(openAi(response).path("message").asString()).contains("Ambiguous URI path separator");
    }

    @Test
    void aMissingHostGets400() throws Exception {
        RawHttp.Response response = send("GET /v1/models HTTP/1.1\r\n\r\n");
        assertThat(response.status()).isEqualTo(400);
        assertThat(openAi(response).path("message").asString()).contains("No Host");
    }

    @Test
    void anUnknownExpectationGets417() throws Exception {
        RawHttp.Response response = send("POST /v1/messages HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n"
                + "Content-Length: 2\r\n\r\n{}");
        assertThat(response.status()).isEqualTo(417);
        assertThat(JSON.readTree(response.body()).path("error").path("type").asString())
                .isEqualTo("invalid_request_error");
    }

    @Test
    void anUnknownHttpVersionGets505() throws Exception {
        RawHttp.Response response = send("GET /v1/models HTTP/1.2\r\nHost: x\r\n\r\n");
        assertThat(response.status()).isEqualTo(505);
        assertThat(openAi(response).path("code").asString()).isEqualTo("http_version_not_supported");
    }
}
