package dev.junction.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeGemini;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeResponses;
import dev.junction.testing.TestGateway;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One admission path over real HTTP, on every client API: a model the key may not use is a 403 and
 * an unknown one a 404 for GET lookups as for requests; 405 comes in the route's API shape with
 * {@code Allow}; a malformed query string is a recorded 400; a body with a key twice is refused
 * before any upstream is called. Each channel speaks its client's API, so the pass-through paths
 * (which forward the client's bytes) are the ones proved.
 */
class AdmissionHttpTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String NARROW = "sk-narrow-key";

    @TempDir
    static Path dir;

    private static FakeOpenAi openai;
    private static FakeResponses responses;
    private static FakeAnthropic anthropic;
    private static FakeGemini gemini;
    private static TestGateway gateway;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** The API a route speaks, with how a key is sent and how its errors look. */
    enum Api {
        OPENAI("Authorization", "Bearer "),
        ANTHROPIC("x-api-key", ""),
        GEMINI("x-goog-api-key", "");

        final String header;
        final String prefix;

        Api(String header, String prefix) {
            this.header = header;
            this.prefix = prefix;
        }

        /** The error's type (OpenAI, Anthropic) or status (Gemini). */
        String errorType(JsonNode body) {
            return switch (this) {
                case OPENAI -> body.at("/error/type").asString();
                case ANTHROPIC -> {
                    assertThat(body.path("type").asString()).isEqualTo("error");
                    yield body.at("/error/type").asString();
                }
                case GEMINI -> body.at("/error/status").asString();
            };
        }
    }

    @BeforeAll
    static void start() throws Exception {
        openai = FakeOpenAi.start("sk-fake-gpt");
        responses = FakeResponses.start("sk-fake-resp");
        anthropic = FakeAnthropic.start("sk-fake-claude");
        gemini = FakeGemini.start("sk-fake-gemini");
        gateway = TestGateway.start(dir, """
                keys:
                  - name: test
                    key: %s
                  - name: narrow
                    key: %s
                    models: [flash, "*-mini"]
                channels:
                """.formatted(TestGateway.KEY, NARROW)
                + TestGateway.channel("gpt", openai, "{gpt: gpt-4o, embed: text-embedding-3-small}", "")
                + ResponsesHttpTest.responsesChannel("resp", responses, "{resp: gpt-5}")
                + TestGateway.channel("claude", anthropic, "{claude: claude-sonnet-4-5}", "")
                + TestGateway.channel("gemini", gemini, "{flash: gemini-2.5-flash}", ""));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {gateway, openai, responses, anthropic, gemini}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static int upstreamCalls() {
        return openai.requestCount() + responses.requestCount() + anthropic.requestCount() + gemini.requestCount();
    }

    private static HttpResponse<String> send(String method, String path, String body, Api api, String key)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header(api.header, api.prefix + key);
        if (api == Api.ANTHROPIC) {
            request.header("anthropic-version", "2023-06-01");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, Api api, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("x-request-id")).isPresent();
        JsonNode body = JSON.readTree(response.body());
        assertThat(api.errorType(body)).as(response.body()).isEqualTo(type);
    }

    private static String forbidden(Api api) {
        return switch (api) {
            case OPENAI, ANTHROPIC -> "permission_error";
            case GEMINI -> "PERMISSION_DENIED";
        };
    }

    private static String notFound(Api api) {
        return switch (api) {
            case OPENAI -> "invalid_request_error";
            case ANTHROPIC -> "not_found_error";
            case GEMINI -> "NOT_FOUND";
        };
    }

    private static String invalid(Api api) {
        return api == Api.GEMINI ? "INVALID_ARGUMENT" : "invalid_request_error";
    }

    // --- GET lookups agree with POST -------------------------------------------------------------------

    /** A lookup and a request for one model on one API. */
    record Route(Api api, String lookup, String post, String body) {
        Route forModel(String model) {
            return new Route(api, lookup.replace("{m}", model), post.replace("{m}", model),
                    body.replace("{m}", model));
        }
    }

    private static final List<Route> ROUTES = List.of(
            new Route(Api.OPENAI, "/v1/models/{m}", "/v1/chat/completions",
                    "{\"model\":\"{m}\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
            new Route(Api.ANTHROPIC, "/v1/models/{m}", "/v1/messages",
                    "{\"model\":\"{m}\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
            new Route(Api.ANTHROPIC, "/v1/models/{m}", "/v1/messages/count_tokens",
                    "{\"model\":\"{m}\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
            new Route(Api.GEMINI, "/v1beta/models/{m}", "/v1beta/models/{m}:generateContent",
                    "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}"),
            new Route(Api.GEMINI, "/v1beta/models/{m}", "/v1beta/models/{m}:countTokens",
                    "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}"));

    @Test
    void aModelTheKeyMayNotUseIs403AndAnUnknownOne404ForLookupsAsForRequestsOnEveryApi() throws Exception {
        int before = upstreamCalls();
        for (Route template : ROUTES) {
            Route denied = template.forModel("claude");
            assertError(send("GET", denied.lookup(), null, denied.api(), NARROW), denied.api(), 403,
                    forbidden(denied.api()));
            assertError(send("POST", denied.post(), denied.body(), denied.api(), NARROW), denied.api(), 403,
                    forbidden(denied.api()));

            Route unknown = template.forModel("nope");
            assertError(send("GET", unknown.lookup(), null, unknown.api(), TestGateway.KEY), unknown.api(), 404,
                    notFound(unknown.api()));
            assertError(send("POST", unknown.post(), unknown.body(), unknown.api(), TestGateway.KEY), unknown.api(),
                    404, notFound(unknown.api()));
            // The allow-list is asked first: a key that may not use a model learns nothing of whether it exists.
            Route unknownDenied = template.forModel("nope");
            assertError(send("GET", unknownDenied.lookup(), null, unknownDenied.api(), NARROW), unknownDenied.api(),
                    403, forbidden(unknownDenied.api()));
        }
        assertThat(upstreamCalls()).isEqualTo(before);

        JsonNode openAiModel = JSON.readTree(send("GET", "/v1/models/gpt", null, Api.OPENAI, TestGateway.KEY).body());
        assertThat(openAiModel.path("id").asString()).isEqualTo("gpt");
        assertThat(openAiModel.path("object").asString()).isEqualTo("model");
        JsonNode anthropicModel = JSON.readTree(send("GET", "/v1/models/claude", null, Api.ANTHROPIC,
                TestGateway.KEY).body());
        assertThat(anthropicModel.path("type").asString()).isEqualTo("model");
        assertThat(anthropicModel.path("id").asString()).isEqualTo("claude");
        JsonNode geminiModel = JSON.readTree(send("GET", "/v1beta/models/flash", null, Api.GEMINI, NARROW).body());
        assertThat(geminiModel.path("name").asString()).isEqualTo("models/flash");
    }

    // --- 405 --------------------------------------------------------------------------------------------

    @Test
    void aWrongMethodIs405InTheRoutesApiShapeWithAllow() throws Exception {
        record Case(String method, String path, Api api, String allow) {
        }
        List<Case> cases = List.of(
                new Case("GET", "/v1/messages", Api.ANTHROPIC, "POST"),
                new Case("GET", "/v1/messages/count_tokens", Api.ANTHROPIC, "POST"),
                new Case("DELETE", "/v1/messages", Api.ANTHROPIC, "POST"),
                new Case("GET", "/v1/chat/completions", Api.OPENAI, "POST"),
                new Case("GET", "/v1/embeddings", Api.OPENAI, "POST"),
                new Case("POST", "/v1/models", Api.OPENAI, "GET, HEAD"),
                new Case("POST", "/v1/models/gpt", Api.OPENAI, "GET, HEAD"),
                new Case("DELETE", "/v1/responses/resp_1", Api.OPENAI, "GET, HEAD"),
                new Case("POST", "/v1beta/models", Api.GEMINI, "GET, HEAD"),
                new Case("GET", "/v1beta/models/flash:generateContent", Api.GEMINI, "POST"),
                new Case("PUT", "/v1beta/models/flash:streamGenerateContent", Api.GEMINI, "POST"),
                new Case("DELETE", "/v1beta/models/flash", Api.GEMINI, "GET, HEAD"));
        for (Case c : cases) {
            HttpResponse<String> response = send(c.method(), c.path(), c.method().equals("GET") ? null : "{}",
                    c.api(), TestGateway.KEY);
            assertError(response, c.api(), 405, invalid(c.api()));
            assertThat(response.headers().firstValue("Allow")).as(c.toString()).contains(c.allow());
        }
    }

    // --- malformed query string --------------------------------------------------------------------------

    /** Sends raw bytes (the JDK's client will not send a malformed URL) and reads the whole answer. */
    private static String raw(String requestLine, String body, Map<String, String> headers) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", URI.create(gateway.baseUrl()).getPort())) {
            socket.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder(requestLine).append("\r\nHost: localhost\r\n")
                    .append("Content-Type: application/json\r\nConnection: close\r\n")
                    .append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").append(body).toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aMalformedQueryStringIsA400InTheRoutesShapeAndIsRecorded() throws Exception {
        int before = upstreamCalls();
        int rows = gateway.usageRows(0).size();
        String hello = "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}";
        String viaHeader = raw("POST /v1beta/models/flash:streamGenerateContent?alt=sse&%zz=1 HTTP/1.1", hello,
                Map.of("x-goog-api-key", TestGateway.KEY));
        String viaQuery = raw("POST /v1beta/models/flash:generateContent?%zz=1&key=" + TestGateway.KEY
                + " HTTP/1.1", hello, Map.of());
        for (String answer : List.of(viaHeader, viaQuery)) {
            assertThat(answer).startsWith("HTTP/1.1 400");
            JsonNode error = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).path("error");
            assertThat(error.path("status").asString()).isEqualTo("INVALID_ARGUMENT");
            assertThat(error.path("message").asString()).contains("query string");
        }
        assertThat(upstreamCalls()).isEqualTo(before);
        List<Map<String, Object>> recorded = gateway.usageRows(rows + 2);
        assertThat(recorded.subList(rows, recorded.size())).hasSize(2)
                .allSatisfy(row -> assertThat(row).containsEntry("status", 400).containsEntry("end_reason", "rejected"));
        // (a row is queued just after its answer, so the two may be written in either order)
        assertThat(recorded.subList(rows, recorded.size()))
                .anySatisfy(row -> assertThat(row).containsEntry("key_name", "test").containsEntry("public_model", null));
    }

    // --- duplicate keys -------------------------------------------------------------------------------------

    @Test
    void aBodyWithAKeyTwiceAtAnyDepthIsA400OnEveryClientApiAndNeverReachesAProvider() throws Exception {
        record Case(Api api, String path, String body) {
        }
        String chatMessages = "[{\"role\":\"user\",\"content\":\"hi\"}]";
        String nestedMessages = "[{\"role\":\"user\",\"content\":\"hi\",\"content\":\"bye\"}]";
        String contents = "[{\"parts\":[{\"text\":\"hi\"}]}]";
        String nestedContents = "[{\"parts\":[{\"text\":\"hi\",\"text\":\"bye\"}]}]";
        List<Case> cases = List.of(
                new Case(Api.OPENAI, "/v1/chat/completions",
                        "{\"model\":\"gpt-4o-EXPENSIVE\",\"messages\":" + chatMessages + ",\"model\":\"gpt\"}"),
                new Case(Api.OPENAI, "/v1/chat/completions", "{\"model\":\"gpt\",\"messages\":" + nestedMessages + "}"),
                new Case(Api.OPENAI, "/v1/chat/completions", "{\"model\":\"gpt\",\"messages\":" + chatMessages
                        + ",\"stream\":true,\"stream_options\":{\"include_usage\":false,\"include_usage\":true}}"),
                new Case(Api.OPENAI, "/v1/embeddings", "{\"model\":\"other\",\"input\":\"hi\",\"model\":\"embed\"}"),
                new Case(Api.OPENAI, "/v1/embeddings", "{\"model\":\"embed\",\"input\":\"hi\",\"x\":{\"a\":1,\"a\":2}}"),
                new Case(Api.OPENAI, "/v1/responses", "{\"model\":\"other\",\"input\":\"hi\",\"model\":\"resp\"}"),
                new Case(Api.OPENAI, "/v1/responses",
                        "{\"model\":\"resp\",\"input\":[{\"role\":\"user\",\"role\":\"system\",\"content\":\"hi\"}]}"),
                new Case(Api.ANTHROPIC, "/v1/messages",
                        "{\"model\":\"other\",\"max_tokens\":10,\"messages\":" + chatMessages + ",\"model\":\"claude\"}"),
                new Case(Api.ANTHROPIC, "/v1/messages",
                        "{\"model\":\"claude\",\"max_tokens\":10,\"messages\":" + nestedMessages + "}"),
                new Case(Api.ANTHROPIC, "/v1/messages/count_tokens",
                        "{\"model\":\"other\",\"messages\":" + chatMessages + ",\"model\":\"claude\"}"),
                new Case(Api.ANTHROPIC, "/v1/messages/count_tokens",
                        "{\"model\":\"claude\",\"messages\":" + nestedMessages + "}"),
                new Case(Api.GEMINI, "/v1beta/models/flash:generateContent",
                        "{\"contents\":" + contents + ",\"contents\":" + contents + "}"),
                new Case(Api.GEMINI, "/v1beta/models/flash:generateContent", "{\"contents\":" + nestedContents + "}"),
                new Case(Api.GEMINI, "/v1beta/models/flash:streamGenerateContent?alt=sse",
                        "{\"contents\":" + nestedContents + "}"),
                new Case(Api.GEMINI, "/v1beta/models/flash:countTokens", "{\"contents\":" + nestedContents + "}"));
        int before = upstreamCalls();
        for (Case c : cases) {
            HttpResponse<String> response = send("POST", c.path(), c.body(), c.api(), TestGateway.KEY);
            assertError(response, c.api(), 400, invalid(c.api()));
            assertThat(response.body()).as(c.toString()).containsIgnoringCase("duplicate");
        }
        assertThat(upstreamCalls()).isEqualTo(before);
    }
}
