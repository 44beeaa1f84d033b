package dev.junction.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fakes refuse what the real APIs refuse, so that a translation that breaks a provider rule
 * fails the end-to-end tests instead of passing against a lenient fake.
 */
class FakeProvidersTest {

    static FakeAnthropic anthropic;
    static FakeGemini gemini;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        anthropic = FakeAnthropic.start("k");
        gemini = FakeGemini.start("k");
    }

    @AfterAll
    static void stop() throws Exception {
        anthropic.close();
        gemini.close();
    }

    private static HttpResponse<String> toAnthropic(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(anthropic.baseUrl() + "/v1/messages"))
                .header("x-api-key", "k").header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> toGemini(String model, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gemini.baseUrl() + "/v1beta/models/" + model
                + ":generateContent")).header("x-goog-api-key", "k").POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void refusedByAnthropic(String body, String message) throws Exception {
        HttpResponse<String> response = toAnthropic(body);
        assertThat(response.statusCode()).as(body).isEqualTo(400);
        assertThat(response.body()).contains("\"type\":\"error\"").contains(message);
    }

    private static void refusedByGemini(String model, String body, String message) throws Exception {
        HttpResponse<String> response = toGemini(model, body);
        assertThat(response.statusCode()).as(body).isEqualTo(400);
        assertThat(response.body()).contains("INVALID_ARGUMENT").contains(message);
    }

    private static final String TOOLS = ",\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}]";

    @Test
    void anthropicRefusesMalformedMessagesRequests() throws Exception {
        assertThat(toAnthropic("{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .statusCode()).isEqualTo(200);
        refusedByAnthropic("{\"model\":\"c\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "max_tokens: Field required");
        refusedByAnthropic("{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"system\",\"content\":\"s\"},"
                + "{\"role\":\"user\",\"content\":\"hi\"}]}", "top-level `system` parameter");
        refusedByAnthropic("{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"a\"},"
                + "{\"role\":\"user\",\"content\":\"b\"}]}", "roles must alternate");
        refusedByAnthropic("{\"model\":\"c\",\"max_tokens\":5,\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}",
                "n: Extra inputs are not permitted");
        refusedByAnthropic("{\"model\":\"c\",\"max_tokens\":5" + TOOLS + ",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"a\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\","
                + "\"input\":{}}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t2\"}]}]}",
                "unexpected `tool_use_id`");
        refusedByAnthropic("{\"model\":\"c\",\"max_tokens\":5" + TOOLS + ",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"a\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\","
                + "\"input\":{}}]},{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"x\"},"
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"t1\"}]}]}", "must come first");
        refusedByAnthropic("{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"a\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t.1\",\"name\":\"f\","
                + "\"input\":{}}]}]" + TOOLS + "}", "should match pattern");
        refusedByAnthropic("{\"model\":\"c\",\"max_tokens\":5,\"tool_choice\":{\"type\":\"auto\"},\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"a\"}]}", "tool_choice may only be specified while providing tools");
        refusedByAnthropic("{\"model\":\"c\",\"max_tokens\":5000,\"temperature\":0.5,\"thinking\":{\"type\":\"enabled\","
                + "\"budget_tokens\":2000},\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}",
                "temperature and top_k may not be set");
        refusedByAnthropic("{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
                + "\"text\",\"text\":\"\"}]}]}", "text content blocks must be non-empty");
    }

    @Test
    void geminiRefusesMalformedGenerateContentRequests() throws Exception {
        String user = "{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}";
        String call = "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"f\",\"args\":{}}}]}";
        String tools = ",\"tools\":[{\"functionDeclarations\":[{\"name\":\"f\"}]}]";
        assertThat(toGemini("gemini-2.5-flash", "{\"contents\":[" + user + "]}").statusCode()).isEqualTo(200);
        refusedByGemini("gemini-2.5-flash", "{\"contents\":[" + user + "," + call + ",{\"role\":\"user\",\"parts\":"
                + "[{\"functionResponse\":{\"response\":{}}}]}]" + tools + "}", "Name cannot be empty");
        refusedByGemini("gemini-2.5-flash", "{\"contents\":[{\"role\":\"assistant\",\"parts\":[{\"text\":\"x\"}]}]}",
                "valid role");
        refusedByGemini("gemini-2.5-flash", "{\"contents\":[" + user + "],\"tools\":[{\"functionDeclarations\":"
                + "[{\"name\":\"f\",\"parameters\":{\"type\":\"object\",\"additionalProperties\":false,"
                + "\"properties\":{\"a\":{\"type\":\"string\"}}}}]}]}", "Unknown name \\\"additionalProperties\\\"");
        refusedByGemini("gemini-2.5-flash", "{\"contents\":[" + user + "," + call + "," + user + "]" + tools + "}",
                "number of function response parts");
        refusedByGemini("gemini-3-pro-preview", "{\"contents\":[" + user + "," + call + ",{\"role\":\"user\",\"parts\":"
                + "[{\"functionResponse\":{\"name\":\"f\",\"response\":{}}}]}]" + tools + "}",
                "missing a thought_signature");
        refusedByGemini("gemini-2.5-flash", "{\"contents\":[" + user + "],\"temperature\":1}",
                "Unknown name \\\"temperature\\\"");
    }
}
