package dev.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two kinds of credential never stand in for each other, in any of the places each is
 * accepted: a gateway key (as {@code Authorization: Bearer}, {@code x-api-key},
 * {@code x-goog-api-key} or {@code ?key=}) opens no admin route or dashboard page, and an admin
 * token or a dashboard session serves no model traffic.
 */
class AuthSeparationTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    /** Admin routes, one of each area, reads and writes. */
    private static final List<String[]> ADMIN_ROUTES = List.of(
            new String[] {"GET", "/api/me"}, new String[] {"GET", "/api/channels"},
            new String[] {"POST", "/api/channels"}, new String[] {"GET", "/api/keys"},
            new String[] {"POST", "/api/keys"}, new String[] {"GET", "/api/users"},
            new String[] {"POST", "/api/users"}, new String[] {"GET", "/api/teams"},
            new String[] {"GET", "/api/tokens"}, new String[] {"POST", "/api/tokens"},
            new String[] {"GET", "/api/audit"}, new String[] {"GET", "/api/usage/summary"}, new String[] {"GET", "/api/usage/export"},
            new String[] {"GET", "/api/versions"}, new String[] {"POST", "/api/reload"},
            new String[] {"GET", "/api/limits"});

    @TempDir
    Path dir;

    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aGatewayKeyOpensNoAdminRouteNorDashboardPageWhereverItIsPut() throws Exception {
        gateway = TestGateway.start(dir, "");
        new AdminClient(gateway.baseUrl()).post("/api/setup", "{\"name\":\"root\",\"password\":\"owner-password-1\"}");
        String key = TestGateway.KEY;
        List<Map<String, String>> placements = List.of(Map.of("Authorization", "Bearer " + key),
                Map.of("x-api-key", key), Map.of("x-goog-api-key", key));
        for (String[] route : ADMIN_ROUTES) {
            for (Map<String, String> headers : placements) {
                HttpResponse<String> answer = send(route[0], route[1], headers);
                assertThat(answer.statusCode()).as("%s %s with %s", route[0], route[1], headers.keySet())
                        .isIn(401, 403);
            }
            HttpResponse<String> query = send(route[0], route[1] + "?key=" + key, Map.of());
            assertThat(query.statusCode()).as("%s %s?key=", route[0], route[1]).isIn(401, 403);
        }
        for (String page : List.of("/", "/channels", "/keys", "/users", "/settings", "/logs")) {
            HttpResponse<String> answer = send("GET", page, Map.of("Authorization", "Bearer " + key));
            assertThat(answer.statusCode()).as(page).isEqualTo(303);
            assertThat(answer.headers().firstValue("Location").orElse("")).startsWith("/login");
        }
        assertThat(gateway.get("/v1/models", key).statusCode()).as("the key itself works").isEqualTo(200);
    }

    @Test
    void anAdminTokenOrASessionServesNoModelTrafficWhereverItIsPut() throws Exception {
        gateway = TestGateway.start(dir, "");
        AdminClient owner = new AdminClient(gateway.baseUrl());
        AdminClient.Response created = owner.post("/api/setup",
                "{\"name\":\"root\",\"password\":\"owner-password-1\"}");
        owner.keepSession(created);
        String cookie = created.raw().headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        String token = owner.post("/api/tokens", "{\"name\":\"deploy\"}").json().path("token").asString();
        assertThat(token).startsWith("jat-");
        assertThat(AdminClient.withBearer(gateway.baseUrl(), token).get("/api/me").status()).isEqualTo(200);

        String chat = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        String gemini = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";
        List<Object[]> attempts = List.of(
                new Object[] {"/v1/chat/completions", chat, Map.of("Authorization", "Bearer " + token)},
                new Object[] {"/v1/responses", "{\"model\":\"m\",\"input\":\"hi\"}",
                    Map.of("Authorization", "Bearer " + token)},
                new Object[] {"/v1/messages", "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"hi\"}]}", Map.of("x-api-key", token)},
                new Object[] {"/v1beta/models/m:generateContent", gemini, Map.of("x-goog-api-key", token)},
                new Object[] {"/v1beta/models/m:generateContent?key=" + token, gemini, Map.of()},
                new Object[] {"/v1/chat/completions", chat, Map.of("Cookie", cookie)},
                new Object[] {"/v1/embeddings", "{\"model\":\"m\",\"input\":\"hi\"}", Map.of("Cookie", cookie)});
        for (Object[] attempt : attempts) {
            @SuppressWarnings("unchecked")
            Map<String, String> headers = (Map<String, String>) attempt[2];
            HttpResponse<String> answer = post((String) attempt[0], (String) attempt[1], headers);
            assertThat(answer.statusCode()).as("%s with %s", attempt[0], headers.keySet()).isEqualTo(401);
            assertThat(answer.body()).doesNotContain(token);
        }
        HttpResponse<String> models = send("GET", "/v1/models", Map.of("Authorization", "Bearer " + token));
        assertThat(models.statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}"));
        if (!method.equals("GET")) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
